/* SPDX-License-Identifier: MIT */
/* fuzz_config: bytes as pam_cognito.conf through pc_config_load (any owner
 * allowed) and pc_config_validate. pc_config_load opens a path without
 * following symlinks, so the input goes to a private 0600 temporary file
 * (a memfd's /proc path would be a symlink). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/cfg.h"
#include "config/urlpolicy.h"
#include "net/http.h"

static char path[64];
static int fd = -1;

static void cleanup(void) {
  if (fd >= 0)
    (void)unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *tmp = getenv("TMPDIR");

  (void)argc, (void)argv;
  (void)snprintf(path, sizeof(path), "%s/fuzz_config.XXXXXX",
                 tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  fd = mkstemp(path); /* mode 0600, as the loader demands */
  if (fd < 0)
    abort();
  atexit(cleanup);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct pc_config c;
  struct pc_error err;
  char *url;

  if (ftruncate(fd, 0) != 0 ||
      (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
    abort();
  if (pc_config_init(&c) != 0)
    return 0;
  pc_error_clear(&err);
  if (pc_config_load(&c, path, 1, 1, &err) == 0 &&
      pc_config_validate(&c, &err) == 0) {
    /* A valid configuration yields usable URLs. */
    url = pc_config_idp_url(&c);
    if (url == NULL || !pc_url_allowed(url))
      abort();
    free(url);
    url = pc_config_identity_url(&c);
    if (url == NULL || !pc_url_allowed(url))
      abort();
    free(url);
    (void)pc_config_pool_name(&c);
  }
  if (memchr(err.detail, '\0', sizeof(err.detail)) == NULL)
    abort();
  pc_config_free(&c);
  return 0;
}
