/* SPDX-License-Identifier: MIT */
/* The publisher's serial (snapshot_serial.h): one line, "<serial>\n". */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "sync/nssfiles.h"
#include "sync/snapshot_serial.h"

#define SERIAL_NAME "pam_cognito-sync.published"
/* Far above any clock in milliseconds, far below LLONG_MAX. */
#define SERIAL_MAX 1000000000000000000LL

/* The last serial published into *last (-1: none). */
static enum pc_status load(const char *path, long long *last,
                           struct pc_error *err) {
  char line[64], *end;
  enum pc_status st = pc_nss_read_state(path, line, sizeof(line), err);

  *last = -1;
  if (st == PC_ABSENT)
    return PC_OK;
  if (st != PC_OK)
    return st;
  errno = 0;
  *last = strtoll(line, &end, 10);
  if (errno != 0 || end == line || (*end != '\n' && *end != '\0') ||
      *last < 0 || *last >= SERIAL_MAX)
    return pc_error_set(err, PC_ERR_CONFIG,
                        "%s: malformed (one serial, 0 to %lld, expected)", path,
                        SERIAL_MAX - 1);
  return PC_OK;
}

enum pc_status pc_snapshot_serial_next(const struct pc_config *cfg,
                                       long long now_ms, long long *serial,
                                       struct pc_error *err) {
  char path[4096], line[64];
  long long last;
  enum pc_status st;
  int n;

  (void)snprintf(path, sizeof(path), "%s/" SERIAL_NAME, cfg->nss_dir);
  st = pc_nss_dir_ready(cfg->nss_dir, err);
  if (st == PC_OK)
    st = load(path, &last, err);
  if (st != PC_OK)
    return st;
  *serial = now_ms > last ? now_ms : last + 1;
  n = snprintf(line, sizeof(line), "%lld\n", *serial);
  return pc_nss_write_file(path, line, (size_t)n, 0600, NULL, err);
}
