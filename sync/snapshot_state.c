/* SPDX-License-Identifier: MIT */
/* The snapshot mode's state file (snapshot_state.h): one line,
 * "<serial> <time> <etag>", the ETag "-" when there is none. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sync/nssfiles.h"
#include "sync/snapshot_state.h"

#define STATE_NAME "pam_cognito-sync.snapshot"

static void state_path(const struct pc_config *cfg, char *p, size_t n) {
  (void)snprintf(p, n, "%s/" STATE_NAME, cfg->nss_dir);
}

enum pc_status pc_snapshot_state_load(const struct pc_config *cfg,
                                      struct pc_snapshot_state *st,
                                      struct pc_error *err) {
  char path[4096], line[512], tag[PC_S3_ETAG_MAX];
  enum pc_status rc;

  memset(st, 0, sizeof(*st));
  st->serial = -1;
  state_path(cfg, path, sizeof(path));
  rc = pc_nss_read_state(path, line, sizeof(line), err);
  if (rc != PC_OK)
    return rc;
  if (sscanf(line, "%lld %lld %127s", &st->serial, &st->when, tag) != 3 ||
      st->serial < 0)
    return pc_error_set(err, PC_ERR_CONFIG, "%s: malformed", path);
  if (strcmp(tag, "-") != 0)
    memcpy(st->etag, tag, strlen(tag) + 1);
  return PC_OK;
}

enum pc_status pc_snapshot_state_save(const struct pc_config *cfg,
                                      const struct pc_snapshot_state *st,
                                      struct pc_error *err) {
  char path[4096], line[512];
  int n;

  state_path(cfg, path, sizeof(path));
  n = snprintf(line, sizeof(line), "%lld %lld %s\n", st->serial, st->when,
               st->etag[0] != '\0' && strpbrk(st->etag, " \t\n") == NULL
                   ? st->etag
                   : "-");
  return pc_nss_write_file(path, line, (size_t)n, 0600, NULL, err);
}
