/* SPDX-License-Identifier: MIT */
/* The back-off state (backoff.h): one line "<until> <level>". */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "sync/backoff.h"
#include "sync/nssfiles.h"

#define BACKOFF_NAME "pam_cognito-sync.backoff"

static void path_of(const struct pc_config *cfg, char *p, size_t n) {
  (void)snprintf(p, n, "%s/" BACKOFF_NAME, cfg->nss_dir);
}

/* The state: PC_OK with until and level; PC_ABSENT none; else err. */
static enum pc_status load(const struct pc_config *cfg, long long *until,
                           long *level, struct pc_error *err) {
  char path[4096], line[128];
  enum pc_status st;

  path_of(cfg, path, sizeof(path));
  st = pc_nss_read_state(path, line, sizeof(line), err);
  if (st != PC_OK)
    return st;
  if (sscanf(line, "%lld %ld", until, level) != 2 || *level < 0 || *level > 62)
    return pc_error_set(err, PC_ERR_CONFIG, "%s: malformed", path);
  return PC_OK;
}

enum pc_status pc_backoff_check(const struct pc_config *cfg, long long now,
                                long long *until, struct pc_error *err) {
  long level;
  enum pc_status st = load(cfg, until, &level, err);

  if (st == PC_ABSENT)
    return PC_OK;
  if (st != PC_OK)
    return st;
  /* A clock set back must not stretch the wait past the longest one. */
  if (*until > now + PC_BACKOFF_MAX)
    *until = now + PC_BACKOFF_MAX;
  return now < *until ? PC_ERR_LIMIT : PC_OK;
}

/* Pause number level (0 for the first) with jitter r (backoff.h). */
static long long pause_for(long level, unsigned int r) {
  long long base =
      level >= 5 ? PC_BACKOFF_MAX : (long long)PC_BACKOFF_FIRST << level;
  long long wait;

  if (base > PC_BACKOFF_MAX)
    base = PC_BACKOFF_MAX;
  wait =
      base + PC_BACKOFF_SLACK + (long long)(r % (unsigned int)(base / 2 + 1));
  /* At the cap, the jitter goes below it: hosts still come back apart. */
  if (wait > PC_BACKOFF_MAX)
    wait = PC_BACKOFF_MAX - (long long)(r % (unsigned int)(PC_BACKOFF_MAX / 8));
  return wait;
}

enum pc_status pc_backoff_throttled(const struct pc_config *cfg, long long now,
                                    long long *until, struct pc_error *err) {
  char path[4096], line[128];
  long level = 0;
  unsigned int r = 0;
  int n;

  if (load(cfg, until, &level, err) == PC_OK && level < 62)
    level++;
  if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
    r = (unsigned int)now;
  *until = now + pause_for(level, r);
  path_of(cfg, path, sizeof(path));
  n = snprintf(line, sizeof(line), "%lld %ld\n", *until, level);
  return pc_nss_write_file(path, line, (size_t)n, 0600, NULL, err);
}

enum pc_status pc_backoff_clear(const struct pc_config *cfg,
                                struct pc_error *err) {
  char path[4096];

  path_of(cfg, path, sizeof(path));
  if (unlink(path) != 0 && errno != ENOENT)
    return pc_error_set(err, PC_ERR_CONFIG, "%s: cannot remove: %s", path,
                        strerror(errno));
  return PC_OK;
}
