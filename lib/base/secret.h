/* SPDX-License-Identifier: MIT */
/* Wiping secrets: the one primitive every buffer holding a password, code,
 * token or key goes through before it is freed. */
#ifndef PAM_COGNITO_SECRET_H
#define PAM_COGNITO_SECRET_H

#include <stddef.h>

/* Overwrite len bytes at p with zeros in a way the compiler cannot elide. */
void pc_wipe(void *p, size_t len);

/* Wipe the NUL-terminated string *p, free it and set *p to NULL. */
void pc_free_secret(char **p);

/* strdup that returns NULL for NULL input. The copy is an ordinary heap
 * string: free it with pc_free_secret when it holds a secret. */
char *pc_strdup(const char *s);

#endif
