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

/* 304: the kept copy of the snapshot applied last, opened (signature,
 * settings) as a fetched one, into s. It must be the one the state names,
 * and it still ages. */
static enum pc_status reopen(const struct pc_config *cfg, long long now,
                             const struct pc_snapshot_state *last,
                             const char *kept, size_t len, struct pc_snap *s,
                             struct pc_error *err) {
  long long serial, when;
  enum pc_status st;

  st = pc_snapshot_open(kept, len, cfg->snapshot_public_key, cfg, s, &serial,
                        &when, err);
  if (st == PC_OK && serial != last->serial)
    st = pc_error_set(err, PC_ERR_PROTOCOL,
                      "the kept copy in %s has serial %lld, not the %lld "
                      "applied last: refused",
                      cfg->nss_dir, serial, last->serial);
  if (st == PC_OK && now - when > cfg->snapshot_max_age)
    st = too_old(cfg, serial, now - when, err);
  if (st != PC_OK) {
    char why[sizeof(err->detail)];

    memcpy(why, err->detail, sizeof(why));
    pc_snap_free(s);
    return pc_error_set(err, st, "304 Not Modified, the kept copy: %s", why);
  }
  return PC_ABSENT;
}

/* The state and the kept copy; without a kept copy (an older version's
 * state) the GET is not conditional, so that a 200 brings one. */
static enum pc_status load_last(const struct pc_config *cfg,
                                struct pc_snapshot_state *last, char **kept,
                                size_t *len, struct pc_error *err) {
  enum pc_status st = pc_snapshot_state_load(cfg, last, err);

  if (st != PC_OK && st != PC_ABSENT)
    return st;
  st = pc_snapshot_kept_read(cfg, kept, len, err);
  if (st == PC_ABSENT)
    last->etag[0] = '\0';
  return st == PC_ABSENT ? PC_OK : st;
}

enum pc_status pc_snapshot_fetch(const struct pc_config *cfg, long long now,
                                 struct pc_snap *s,
                                 struct pc_snapshot_state *next,
                                 struct pc_error *err) {
  struct pc_snapshot_state last;
  long long serial, when;
  char *body = NULL, *kept = NULL;
  size_t len = 0, kept_len = 0;
  enum pc_status st = load_last(cfg, &last, &kept, &kept_len, err);

  if (st != PC_OK)
    return st;
  *next = last;
  st = get(cfg, next->etag, &body, &len, err);
  if (st == PC_ABSENT && last.serial >= 0 && kept != NULL)
    st = reopen(cfg, now, &last, kept, kept_len, s, err);
  else if (st == PC_ABSENT) /* 304 with nothing applied: a state we lost */
    st = pc_error_set(err, PC_ERR_PROTOCOL,
                      "%s: 304 Not Modified but no snapshot was applied",
                      cfg->snapshot_url);
  free(kept);
  if (st != PC_OK)
    return st;
  st = pc_snapshot_open(body, len, cfg->snapshot_public_key, cfg, s, &serial,
                        &when, err);
  if (st == PC_OK)
    st = judge(cfg, now, &last, serial, when, err);
  if (st != PC_OK) {
    pc_buf_string_free(&body);
    pc_snap_free(s);
    return st;
  }
  next->serial = serial;
  next->when = when;
  next->kept = body;
  next->kept_len = len;
  return PC_OK;
}
