/* SPDX-License-Identifier: MIT */
/* pc_snapshot_fetch (snapshot_fetch.h). The S3 keys come from the same
 * chain as the admin API's (environment, file, instance role); a host in
 * this mode needs no right on the Cognito pool. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "sync/aws_chain.h"
#include "sync/s3.h"
#include "sync/snapshot_fetch.h"
#include "sync/snapshot_sign.h"

/* The conditional GET. PC_OK with the body; PC_ABSENT for 304. */
static enum pc_status get(const struct pc_config *cfg, char etag[], char **body,
                          size_t *len, struct pc_error *err) {
  struct pc_chain_creds cr;
  enum pc_status st = pc_chain_creds_load(cfg, &cr, err);
  char why[sizeof(err->detail)];

  if (st != PC_OK) {
    memcpy(why, err->detail, sizeof(why));
    return pc_error_set(err, st, "AWS credentials for %s: %s",
                        cfg->snapshot_url, why);
  }
  st = pc_s3_get(cfg, &cr, cfg->snapshot_url, etag, body, len, err);
  pc_chain_creds_free(&cr);
  return st;
}

static enum pc_status too_old(const struct pc_config *cfg, long long serial,
                              long long age, struct pc_error *err) {
  return pc_error_set(err, PC_ERR_EXPIRED,
                      "the snapshot at %s (serial %lld) is %lld seconds old, "
                      "older than snapshot_max_age (%ld): is the publisher "
                      "running?",
                      cfg->snapshot_url, serial, age, cfg->snapshot_max_age);
}

/* The opened snapshot's serial and time against the last applied. */
static enum pc_status judge(const struct pc_config *cfg, long long now,
                            const struct pc_snapshot_state *last,
                            long long serial, long long when,
                            struct pc_error *err) {
  if (serial < last->serial)
    return pc_error_set(err, PC_ERR_DENIED,
                        "the snapshot at %s has serial %lld, lower than the "
                        "%lld applied last: refused (no rollback)",
                        cfg->snapshot_url, serial, last->serial);
  if (now - when > cfg->snapshot_max_age)
    return too_old(cfg, serial, now - when, err);
  return PC_OK;
}

enum pc_status pc_snapshot_fetch(const struct pc_config *cfg, long long now,
                                 struct pc_snap *s,
                                 struct pc_snapshot_state *next,
                                 struct pc_error *err) {
  struct pc_snapshot_state last;
  long long serial, when;
  enum pc_status st = pc_snapshot_state_load(cfg, &last, err);
  char *body = NULL;
  size_t len = 0;

  if (st != PC_OK && st != PC_ABSENT)
    return st;
  *next = last;
  st = get(cfg, next->etag, &body, &len, err);
  if (st == PC_ABSENT && last.serial >= 0) {
    /* 304: the copy applied last; it still ages. */
    return now - last.when > cfg->snapshot_max_age
               ? too_old(cfg, last.serial, now - last.when, err)
               : PC_ABSENT;
  }
  if (st == PC_ABSENT) /* 304 with nothing applied: a state we lost */
    return pc_error_set(err, PC_ERR_PROTOCOL,
                        "%s: 304 Not Modified but no snapshot was applied",
                        cfg->snapshot_url);
  if (st != PC_OK)
    return st;
  st = pc_snapshot_open(body, len, cfg->snapshot_public_key, cfg, s, &serial,
                        &when, err);
  pc_buf_string_free(&body);
  if (st == PC_OK)
    st = judge(cfg, now, &last, serial, when, err);
  if (st != PC_OK) {
    pc_snap_free(s);
    return st;
  }
  next->serial = serial;
  next->when = when;
  return PC_OK;
}
