/* SPDX-License-Identifier: MIT */
/* Shared set-up of the fuzz targets: see fixture.h. */
#include "config.h"

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

/* Every file lib/ writes is fsync'ed; on a fuzzer's hot path that is the
 * whole cost of an input, and durability is not what is tested. The
 * targets link with -Wl,--wrap=fsync. */
int __wrap_fsync(int fd);
int __wrap_fsync(int fd) {
  return fd >= 0 ? 0 : -1;
}

void fixture_config(struct pc_config *cfg) {
  static const char *const kv[][2] = {
      {"region", "us-east-1"},
      {"user_pool_id", "us-east-1_AbC123"},
      {"client_id", "abc123"},
      {"client_secret", "s3cret"},
      {"identity_pool_id", "us-east-1:0b0b0b0b-1111-2222-3333-444455556666"},
  };
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  struct pc_error err;
  size_t i;

  (void)snprintf(dir, sizeof dir, "%s/pc-fuzz-cache.XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
  if (pc_config_init(cfg) != 0 || mkdtemp(dir) == NULL)
    abort();
  for (i = 0; i < sizeof kv / sizeof *kv; i++)
    if (pc_config_set(cfg, kv[i][0], kv[i][1], &err) != 0) {
      fprintf(stderr, "fixture: %s\n", err.detail);
      abort();
    }
  if (pc_config_set(cfg, "cache_dir", dir, &err) != 0) {
    fprintf(stderr, "fixture: %s\n", err.detail);
    abort();
  }
}

const char *fixture_local_user(void) {
  static char name[256];
  struct passwd *pw;

  if (name[0] == '\0') {
    if ((pw = getpwuid(getuid())) == NULL || strlen(pw->pw_name) >= sizeof name)
      abort();
    memcpy(name, pw->pw_name, strlen(pw->pw_name) + 1);
  }
  return name;
}

void fixture_write(const char *path, const void *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0 || (len > 0 && write(fd, data, len) != (ssize_t)len) ||
      close(fd) != 0)
    abort();
}

char *fixture_text(const unsigned char *data, size_t size) {
  char *t = malloc(size + 1);

  if (t == NULL)
    abort();
  memcpy(t, data, size);
  t[size] = '\0';
  return t;
}
