/* SPDX-License-Identifier: MIT */
/* The software authenticator's way in, for the test build of the plugin
 * only (tests/fido/README.md). */
#ifndef PC_FIDO_PASSKEY_TEST_IO_H
#define PC_FIDO_PASSKEY_TEST_IO_H

#include <fido.h>

/* Built with PC_FIDO_TEST_IO (the check-only plugin, never installed): a
 * device whose HID reports go over the Unix socket named by
 * PAM_COGNITO_TEST_FIDO_SOCKET, opened, when that socket answers. In the
 * installed plugin: always NULL, and no variable is read. */
fido_dev_t *pc_passkey_test_device(void);

#endif
