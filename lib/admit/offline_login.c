/* SPDX-License-Identifier: MIT */
/* The offline verifier: yescrypt through libcrypt, a root-only record, and
 * the rules that bound its use. */
#include "config.h"

#include <crypt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "admit/access.h"
#include "admit/offline_login.h"
#include "base/bounds.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/json.h"
#include "base/secret.h"
#include "store/private_files.h"

#define RECORD_FILE "offline.json" /* in the user's root-only area */
/* Held while the record is read, changed and written back, by every
 * process: parallel attempts each count (issue 22, item 3). */
#define LOCK_FILE "offline.lock"
#define RECORD_MAX 16384
#define DAY 86400LL

struct record {
  long long uid;
  long long last_online;
  long long failures;
  long long failed_at;
  int mfa;
  char *verifier; /* "$y$..." */
  char **groups;
};

static void record_free(void *rec) {
  struct record *r = rec;

  pc_free_secret(&r->verifier);
  pc_access_groups_free(r->groups);
  memset(r, 0, sizeof *r);
}

/* yescrypt(password, setting) into out (CRYPT_OUTPUT_SIZE): 0 or -1. The
 * work area holds password-derived state: wiped. */
static int hash_with(const char *password, const char *setting, char *out) {
  struct crypt_data *cd = calloc(1, sizeof *cd);
  const char *h;
  int rc = -1;

  if (cd == NULL)
    return -1;
  h = crypt_r(password, setting, cd);
  if (h != NULL && h[0] == '$' && strlen(h) < CRYPT_OUTPUT_SIZE) {
    memcpy(out, h, strlen(h) + 1);
    rc = 0;
  }
  pc_wipe(cd, sizeof *cd);
  free(cd);
  return rc;
}

/* 1 when password hashes to verifier, in time that does not depend on
 * where they differ. */
static int verifier_matches(const char *verifier, const char *password) {
  char out[CRYPT_OUTPUT_SIZE];
  size_t n = strlen(verifier);
  int same;

  if (hash_with(password, verifier, out) != 0)
    return 0;
  same = strlen(out) == n && CRYPTO_memcmp(out, verifier, n) == 0;
  pc_wipe(out, sizeof out);
  return same;
}

/* The record's fields (json-c copies wiped with the document). */
static int record_parse(json_object *doc, void *rec, long long *uid,
                        struct pc_error *why) {
  struct record *r = rec;
  const char *v = pc_json_str(doc, "verifier");

  memset(r, 0, sizeof *r);
  if (pc_json_int(doc, "uid", &r->uid) == 0 &&
      pc_json_int(doc, "last_online", &r->last_online) == 0 &&
      pc_json_int(doc, "failures", &r->failures) == 0 &&
      pc_json_int(doc, "failed_at", &r->failed_at) == 0 &&
      pc_json_bool(doc, "mfa", &r->mfa) == 0 && v != NULL &&
      strncmp(v, "$y$", 3) == 0 &&
      json_object_object_get_ex(doc, "groups", NULL)) {
    *uid = r->uid;
    r->verifier = strdup(v);
    r->groups = pc_json_str_list(doc, "groups", PC_MAX_GROUPS);
    if (r->verifier != NULL && r->groups != NULL)
      return 0;
  }
  record_free(r);
  pc_error_set(why, PC_ERR_PROTOCOL, "%s", "the offline record is unusable");
  return -1;
}

static int record_json(const void *rec, struct pc_buf *b) {
  const struct record *r = rec;
  char num[192];

  (void)snprintf(num, sizeof num,
                 "{\"uid\": %lld, \"last_online\": %lld, \"mfa\": %s, "
                 "\"failures\": %lld, \"failed_at\": %lld, \"verifier\": ",
                 r->uid, r->last_online, r->mfa ? "true" : "false", r->failures,
                 r->failed_at);
  if (pc_buf_append(b, num, strlen(num)) ||
      pc_buf_append_json_str(b, r->verifier) ||
      pc_buf_append(b, ", \"groups\": ", 12) ||
      pc_buf_append_json_str_list(b, r->groups))
    return -1;
  return pc_buf_append(b, "}\n", 2);
}

static const struct pc_private_record RECORD = {
    RECORD_FILE,
    "offline record",
    RECORD_MAX,
    record_json,
    "the offline record is unusable",
    record_parse,
    record_free};

static void record_remove(const struct pc_config *cfg, const char *user) {
  pc_private_remove(cfg->cache_dir, user, RECORD_FILE);
}

/* The record of user made for uid into r: 0, 1 none (or another uid's),
 * -1 unusable (why says why). */
static int record_load(const struct pc_config *cfg, const char *user, uid_t uid,
                       struct record *r, struct pc_error *why) {
  enum pc_status st = pc_private_load_record(&RECORD, cfg->cache_dir, user,
                                             (long long)uid, r, why);

  return st == PC_OK ? 0 : st == PC_ABSENT ? 1 : -1;
}

/* A fresh yescrypt verifier of password into out (CRYPT_OUTPUT_SIZE). */
static int new_verifier(const char *password, char *out) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];

  /* NULL rbytes: libcrypt draws the salt from the OS's random source. */
  if (crypt_gensalt_rn("$y$", PC_OFFLINE_COST, NULL, 0, setting,
                       (int)sizeof setting) == NULL)
    return -1;
  return hash_with(password, setting, out);
}

/* The record's lock; with create 0, -2 when the user has no root-only
 * area (so no record): nothing is created for users never seen. */
static int lock(const struct pc_config *cfg, const char *user, int create,
                struct pc_error *why) {
  return pc_private_lock(cfg->cache_dir, user, LOCK_FILE, create, why);
}

int pc_offline_repassword(const struct pc_config *cfg, const char *user,
                          uid_t uid, const char *password) {
  char out[CRYPT_OUTPUT_SIZE];
  struct pc_error why;
  struct record r;
  int rc, fd = lock(cfg, user, 0, &why);

  if (fd == -2)
    return 0; /* nothing cached */
  rc = fd < 0 ? -1 : record_load(cfg, user, uid, &r, &why);
  if (rc == 0) {
    pc_free_secret(&r.verifier);
    if (new_verifier(password, out) == 0) {
      r.verifier = out;
      r.failures = 0;
      r.failed_at = 0;
      rc =
          pc_private_save_json(&RECORD, cfg->cache_dir, user, &r, &why) == PC_OK
              ? 1
              : -1;
      r.verifier = NULL;
    } else {
      rc = -1;
    }
    record_free(&r);
  } else if (rc == 1) {
    rc = 0; /* nothing cached */
  }
  /* The old password must not keep working offline. */
  if (rc < 0)
    record_remove(cfg, user);
  pc_private_unlock(fd);
  pc_wipe(out, sizeof out);
  return rc;
}

enum pc_status pc_offline_remember(const struct pc_config *cfg,
                                   const char *user, uid_t uid,
                                   const char *password, int mfa_used,
                                   char *const *groups, time_t now,
                                   struct pc_error *why) {
  char out[CRYPT_OUTPUT_SIZE];
  struct record r;
  enum pc_status st;
  int fd;

  if (cfg->offline_days <= 0)
    return PC_OK;
  if (new_verifier(password, out) != 0)
    return pc_error_set(why, PC_ERR_PROTOCOL,
                        "cannot compute the password verifier");
  memset(&r, 0, sizeof r);
  r.uid = (long long)uid;
  r.last_online = (long long)now;
  r.mfa = mfa_used ? 1 : 0;
  r.verifier = out;
  r.groups = (char **)(uintptr_t)groups;
  /* Under the lock: an offline attempt in flight must not write the old
   * verifier back over this one. */
  fd = lock(cfg, user, 1, why);
  st = fd < 0 ? PC_ERR_PROTOCOL /* why says why */
              : pc_private_save_json(&RECORD, cfg->cache_dir, user, &r, why);
  pc_private_unlock(fd);
  pc_wipe(out, sizeof out);
  return st;
}

/* Count one attempt, under the lock and before the password is checked,
 * so that neither a parallel attempt nor a killed process loses it. What
 * the record said before is in *r. 0, or -1 (the attempt must fail). */
static int count_attempt(const struct pc_config *cfg, const char *user,
                         struct record *r, time_t now, struct pc_error *why) {
  struct record c = *r;

  if (c.failures >= cfg->offline_failures)
    c.failures = 0; /* the lockout ran out: count afresh */
  c.failures++;
  c.failed_at = (long long)now;
  if (pc_private_save_json(&RECORD, cfg->cache_dir, user, &c, why) != 0)
    return -1;
  r->failures = c.failures;
  r->failed_at = c.failed_at;
  return 0;
}

/* The password was right: take this attempt's count back (clear: the
 * login succeeds; one less: a rule refused it). 0 or -1. */
static int settle_attempt(const struct pc_config *cfg, const char *user,
                          uid_t uid, int clear) {
  struct record r;
  struct pc_error why;
  int rc, fd = lock(cfg, user, 0, &why);

  rc = fd < 0 ? -1 : record_load(cfg, user, uid, &r, &why);
  if (rc == 0) {
    r.failures = clear || r.failures <= 0 ? 0 : r.failures - 1;
    if (r.failures == 0)
      r.failed_at = 0;
    rc = pc_private_save_json(&RECORD, cfg->cache_dir, user, &r, &why);
    record_free(&r);
  }
  pc_private_unlock(fd);
  return rc == 0 ? 0 : -1;
}

/* The answer to an attempt, in the order a person should hear it:
 * counted is 0, or not when the attempt could not be counted (why says
 * so already). */
static enum pc_offline_result judge(const struct pc_config *cfg,
                                    const char *user, const struct record *r,
                                    time_t now, int counted, int locked,
                                    int too_old, int match,
                                    struct pc_error *why) {
  enum pc_offline_result res;

  if (counted != 0) {
    res = PC_OFFLINE_ERROR; /* why: the attempt could not be counted */
  } else if (locked) {
    pc_error_set(
        why, PC_ERR_PROTOCOL,
        "offline login locked after %lld wrong passwords (for %lld more "
        "seconds, or until an online login)",
        r->failures, cfg->offline_lockout - ((long long)now - r->failed_at));
    res = PC_OFFLINE_LOCKED;
  } else if (too_old) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "last online login is older than offline_days (%ld days)",
                 cfg->offline_days);
    res = PC_OFFLINE_TOO_OLD;
  } else if (!match) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "wrong password (offline failure %lld of %ld)", r->failures,
                 cfg->offline_failures);
    res = PC_OFFLINE_WRONG;
  } else if (r->mfa && !cfg->offline_mfa) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "the user signs in with a second factor, which offline login "
                 "cannot ask for (offline_mfa is off)");
    res = PC_OFFLINE_MFA;
  } else if (!pc_access_rules_admit(cfg, user, r->groups)) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "the cached groups are not allowed here");
    res = PC_OFFLINE_NOT_ALLOWED;
  } else {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "password matches the verifier of the login at %lld",
                 r->last_online);
    res = PC_OFFLINE_OK;
  }
  return res;
}

enum pc_offline_result pc_offline_login(const struct pc_config *cfg,
                                        const char *user, uid_t uid,
                                        const char *password, time_t now,
                                        time_t *last_online,
                                        struct pc_error *why) {
  struct record r;
  enum pc_offline_result res;
  int rc, match, fd, locked, too_old;

  *last_online = 0;
  if (cfg->offline_days <= 0) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "offline login is off (offline_days = 0)");
    return PC_OFFLINE_NONE;
  }
  fd = lock(cfg, user, 0, why);
  if (fd == -2) {
    pc_error_set(why, PC_ERR_PROTOCOL, "no online login to fall back on");
    return PC_OFFLINE_NONE;
  }
  if (fd < 0)
    return PC_OFFLINE_ERROR;
  rc = record_load(cfg, user, uid, &r, why);
  if (rc != 0) {
    pc_private_unlock(fd);
    if (why != NULL && why->detail[0] == '\0')
      pc_error_set(why, PC_ERR_PROTOCOL, "no online login to fall back on");
    return rc == 1 ? PC_OFFLINE_NONE : PC_OFFLINE_ERROR;
  }
  *last_online = (time_t)r.last_online;
  locked = r.failures >= cfg->offline_failures &&
           (long long)now - r.failed_at < cfg->offline_lockout;
  too_old = (long long)now - r.last_online > cfg->offline_days * DAY ||
            (long long)now < r.last_online;
  rc = locked || too_old ? 0 : count_attempt(cfg, user, &r, now, why);
  pc_private_unlock(fd);
  /* The verifier is computed in every case below, so that a refusal for
   * age, lockout or rules costs the same time as a wrong password. It is
   * computed outside the lock: parallel attempts are each counted first,
   * then checked side by side. */
  match = verifier_matches(r.verifier, password);
  res = judge(cfg, user, &r, now, rc, locked, too_old, match, why);
  if (match && rc == 0 && !locked && !too_old &&
      settle_attempt(cfg, user, uid, res == PC_OFFLINE_OK) != 0 &&
      res == PC_OFFLINE_OK) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "cannot clear the offline failure count");
    res = PC_OFFLINE_ERROR;
  }
  record_free(&r);
  return res;
}

int pc_offline_refused(const struct pc_config *cfg, const char *user, uid_t uid,
                       const char *password) {
  struct record r;
  struct pc_error why;
  int match = 0, fd = lock(cfg, user, 0, &why);

  if (fd >= 0 && record_load(cfg, user, uid, &r, &why) == 0) {
    match = verifier_matches(r.verifier, password);
    record_free(&r);
    if (match)
      record_remove(cfg, user);
  }
  pc_private_unlock(fd);
  return match;
}
