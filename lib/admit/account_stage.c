/* SPDX-License-Identifier: MIT */
/* The account record (root-only) and the account-stage decision. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit/access.h"
#include "admit/account_renew.h"
#include "admit/account_stage.h"
#include "admit/logout_revoke.h"
#include "base/bounds.h"
#include "base/buf.h"
#include "base/codec.h"
#include "base/error.h"
#include "base/json.h"
#include "base/secret.h"
#include "config/syncstate.h"
#include "net/unavail.h"
#include "store/private_files.h"
#include "tokens/tokens.h"

#define RECORD_FILE "account.json" /* in the user's root-only area */
#define RECORD_MAX (64 * 1024)

struct record {
  long long uid;
  long long verified_at;
  int admitted;
  int expired; /* Cognito refused the refresh: final until a password login */
  char *cognito_user;
  char *refresh_token; /* secret */
  char *device_key;    /* the device the refresh token is bound to */
  char **groups;
};

static void record_free(void *rec) {
  struct record *r = rec;

  free(r->cognito_user);
  pc_free_secret(&r->refresh_token);
  pc_free_secret(&r->device_key);
  pc_access_groups_free(r->groups);
  memset(r, 0, sizeof *r);
}

/* The document, written without json-c: it holds the refresh token. */
static int record_json(const void *rec, struct pc_buf *b) {
  const struct record *r = rec;
  char num[96];

  (void)snprintf(num, sizeof num,
                 "{\"uid\": %lld, \"verified_at\": %lld, \"admitted\": %s, "
                 "\"expired\": %s",
                 r->uid, r->verified_at, r->admitted ? "true" : "false",
                 r->expired ? "true" : "false");
  if (pc_buf_append(b, num, strlen(num)) ||
      pc_buf_append_json_member(b, "cognito_user",
                                r->cognito_user ? r->cognito_user : ""))
    return -1;
  if (r->refresh_token != NULL &&
      pc_buf_append_json_member(b, "refresh_token", r->refresh_token))
    return -1;
  if (r->device_key != NULL &&
      pc_buf_append_json_member(b, "device_key", r->device_key))
    return -1;
  if (pc_buf_append(b, ", \"groups\": ", 12) ||
      pc_buf_append_json_str_list(b, r->groups))
    return -1;
  return pc_buf_append(b, "}\n", 2);
}

/* The record's fields (json-c copies wiped with the document). */
static int record_parse(json_object *doc, void *rec, long long *uid,
                        struct pc_error *why) {
  struct record *r = rec;
  const char *cu = pc_json_str(doc, "cognito_user");
  const char *rt = pc_json_str(doc, "refresh_token");
  const char *dk = pc_json_str(doc, "device_key");

  memset(r, 0, sizeof *r);
  if (pc_json_int(doc, "uid", &r->uid) != 0 ||
      pc_json_int(doc, "verified_at", &r->verified_at) != 0 || cu == NULL ||
      pc_json_bool(doc, "admitted", &r->admitted) != 0 ||
      pc_json_bool(doc, "expired", &r->expired) != 0) {
    pc_error_set(why, PC_ERR_PROTOCOL, "%s",
                 "the account record is incomplete");
    return -1;
  }
  *uid = r->uid;
  r->cognito_user = strdup(cu);
  r->refresh_token = rt && *rt ? strdup(rt) : NULL;
  r->device_key = dk && *dk ? strdup(dk) : NULL;
  r->groups = pc_json_str_list(doc, "groups", PC_MAX_GROUPS);
  if (r->cognito_user == NULL || r->groups == NULL ||
      (rt && *rt && r->refresh_token == NULL) ||
      (dk && *dk && r->device_key == NULL)) {
    record_free(r);
    pc_error_set(why, PC_ERR_PROTOCOL, "%s", "the account record is unusable");
    return -1;
  }
  return 0;
}

static const struct pc_private_record RECORD = {
    RECORD_FILE,
    "account record",
    RECORD_MAX,
    record_json,
    "the account record is not JSON",
    record_parse,
    record_free};

enum pc_status pc_account_remember(const struct pc_config *cfg,
                                   const char *user, uid_t uid,
                                   const char *refresh_token,
                                   const char *device_key,
                                   const struct pc_verdict *v, time_t now,
                                   struct pc_error *why) {
  struct record r;

  memset(&r, 0, sizeof r);
  r.uid = (long long)uid;
  r.verified_at = (long long)now;
  r.admitted = v->access == PC_ACCESS_ALLOWED;
  r.cognito_user = v->cognito_user;
  r.refresh_token = (char *)(uintptr_t)refresh_token;
  r.device_key = (char *)(uintptr_t)device_key;
  r.groups = v->groups;
  return pc_private_save_json(&RECORD, cfg->cache_dir, user, &r, why);
}

void pc_account_forget(const struct pc_config *cfg, const char *user) {
  pc_private_remove(cfg->cache_dir, user, RECORD_FILE);
}

enum pc_status pc_account_revoke(const struct pc_config *cfg, const char *user,
                                 uid_t uid, int *revoked,
                                 struct pc_error *err) {
  struct pc_error why;
  enum pc_status st, rv = PC_OK;
  struct record r;

  *revoked = 0;
  pc_error_clear(&why);
  st = pc_private_load_record(&RECORD, cfg->cache_dir, user, (long long)uid, &r,
                              &why);
  if (st == PC_OK && r.refresh_token != NULL) {
    rv = pc_logout_revoke_token(cfg, r.refresh_token, err);
    *revoked = rv == PC_OK;
  }
  if (st == PC_OK)
    record_free(&r);
  /* Gone either way: no later decision may rest on it. */
  pc_account_forget(cfg, user);
  if (st != PC_OK && st != PC_ABSENT)
    return pc_error_set(err, st, "%s (removed)", why.detail);
  return rv;
}

/* Cognito could not be asked: the last verified decision, if recent. */
static enum pc_account_result grace(const struct pc_config *cfg,
                                    const char *user, const struct record *r,
                                    time_t now, int *graced,
                                    struct pc_error *why, const char *reason) {
  long long age = (long long)now - r->verified_at;

  if (!r->admitted) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "%s; the last verified decision refused the user", reason);
    return PC_ACCOUNT_NOT_ALLOWED;
  }
  if (age < 0 || age >= cfg->account_grace) {
    pc_error_set(
        why, PC_ERR_PROTOCOL,
        "%s; the last verified decision is %lld s old, account_grace is "
        "%ld s",
        reason, age, cfg->account_grace);
    return PC_ACCOUNT_STALE;
  }
  /* The rules of today's configuration over the groups last verified. */
  if (!pc_access_rules_admit(cfg, user, r->groups)) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "%s; by the last verified groups: not allowed", reason);
    return PC_ACCOUNT_NOT_ALLOWED;
  }
  *graced = 1;
  pc_error_set(why, PC_ERR_PROTOCOL,
               "%s; admitted by the decision verified %lld s ago", reason, age);
  return PC_ACCOUNT_OK;
}

/* No yes from Cognito: grace when it is unavailable by lib/net/unavail.h's
 * rule, else a denial (throttling, a Lambda or WAF refusal, an invalid
 * parameter, a timeout the user could have caused). */
static enum pc_account_result
no_yes(const struct pc_config *cfg, const char *user, const struct record *r,
       const struct pc_error *err, int user_can_signal, time_t now, int *graced,
       struct pc_error *why, const char *what) {
  char reason[320], text[640];

  if (pc_error_cognito_down(err, user_can_signal)) {
    (void)snprintf(reason, sizeof reason, "Cognito unavailable (%s%s%s)", what,
                   what[0] ? ": " : "", pc_cause_str(err->cause));
    return grace(cfg, user, r, now, graced, why, reason);
  }
  if (err->status == PC_ERR_NOMEM || err->status == PC_ERR_CONFIG) {
    pc_error_set(why, PC_ERR_PROTOCOL, "%s%s%s", what, what[0] ? ": " : "",
                 pc_error_text(err, text, sizeof text));
    return PC_ACCOUNT_ERROR;
  }
  pc_error_set(
      why, PC_ERR_PROTOCOL, "Cognito gave no yes%s%s: %s; no grace: %s",
      what[0] ? " to " : "", what, pc_error_text(err, text, sizeof text),
      pc_error_not_down_why(err, user_can_signal));
  return PC_ACCOUNT_DENIED;
}

/* Cognito answered no to the refresh: the token is gone for good. The
 * record says so, and keeps no grace. */
static enum pc_account_result refused(const struct pc_config *cfg,
                                      const char *user, struct record *r,
                                      enum pc_status st,
                                      const struct pc_error *err, time_t now,
                                      struct pc_error *why) {
  pc_error_set(why, PC_ERR_PROTOCOL, "Cognito refused the refresh: %s%s%s",
               err->type[0] ? err->type : pc_status_str(st),
               err->message[0] ? ": " : "", err->message);
  pc_free_secret(&r->refresh_token);
  pc_free_secret(&r->device_key);
  r->admitted = 0;
  r->expired = 1;
  r->verified_at = (long long)now;
  if (pc_private_save_json(&RECORD, cfg->cache_dir, user, r, NULL) != PC_OK) {
    /* unwritten, the next check asks Cognito again */
  }
  return PC_ACCOUNT_EXPIRED;
}

/* A fresh ID token: today's rules decide, and the decision is remembered
 * with the refresh token (t's when it rotated, else the record's). */
static enum pc_account_result decide(struct pc_client *cl, const char *user,
                                     uid_t uid, const struct record *r,
                                     const struct pc_tokens *t, time_t now,
                                     int user_can_signal, int *graced,
                                     struct pc_error *why) {
  const struct pc_config *cfg = cl->cfg;
  struct pc_error err;
  struct pc_verdict v;
  struct pc_error rec_err;
  enum pc_account_result res;
  enum pc_status st;

  memset(&v, 0, sizeof v);
  st = pc_authorize(cl, user, t->id_token, now, &v);
  if (pc_status_no_answer(st)) {
    /* The key fetch was the transport's last call. */
    pc_error_clear(&err);
    (void)pc_error_set(&err, st, "%s", v.why.detail);
    err.cause = pc_http_cause(cl->http);
    res = no_yes(cfg, user, r, &err, user_can_signal, now, graced, why,
                 "the pool's keys");
    goto out;
  }
  if (st != PC_OK) {
    res = st == PC_ERR_NOMEM ? PC_ACCOUNT_ERROR : PC_ACCOUNT_NOT_ALLOWED;
    pc_error_set(why, st, "%s", v.why.detail);
    goto out;
  }
  res = v.access == PC_ACCESS_ALLOWED ? PC_ACCOUNT_OK : PC_ACCOUNT_NOT_ALLOWED;
  pc_error_set(why, res == PC_ACCOUNT_OK ? PC_OK : PC_ERR_DENIED, "%s",
               res == PC_ACCOUNT_OK ? "admitted by a fresh token"
                                    : v.why.detail);
  /* Remember this decision (and a rotated refresh token): an admission
   * whose record cannot be written is an error (the next decision would be
   * made from a stale record, or with a token already rotated away). */
  if (pc_account_remember(cfg, user, uid,
                          t->refresh_token ? t->refresh_token
                                           : r->refresh_token,
                          t->device_key ? t->device_key : r->device_key, &v,
                          now, &rec_err) != 0 &&
      res == PC_ACCOUNT_OK) {
    pc_error_set(why, PC_ERR_PROTOCOL, "cannot write the account record: %s",
                 rec_err.detail);
    res = PC_ACCOUNT_ERROR;
  }
out:
  pc_verdict_free(&v);
  return res;
}

/* No record of a password login here: a user pam_cognito-sync wrote (an
 * SSH key user, say) is decided from what the last run saw: the user was
 * enabled and these were their synced groups; today's rules apply, and a
 * state older than account_grace decides nothing (a stopped timer must not
 * keep admitting). *found: the state named the user. */
static enum pc_account_result synced(const struct pc_config *cfg,
                                     const char *user, uid_t uid, time_t now,
                                     int *found, struct pc_error *why) {
  const struct pc_synced_user *u;
  struct pc_syncstate st;
  struct pc_error e;
  enum pc_account_result res;
  long long age;

  *found = 0;
  pc_error_clear(&e);
  if (pc_syncstate_load(cfg, &st, &e) != PC_OK) {
    if (e.status == PC_ERR_USER_UNKNOWN)
      return PC_ACCOUNT_UNKNOWN;
    pc_error_set(why, PC_ERR_CONFIG, "the synced state: %s", e.detail);
    *found = 1;
    return PC_ACCOUNT_ERROR;
  }
  u = pc_syncstate_find(&st, user, (long)uid);
  age = (long long)now - st.written;
  if (u == NULL) {
    res = PC_ACCOUNT_UNKNOWN;
  } else if (age < 0 || age >= cfg->account_grace) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "no password login here; the synced state is %lld s old, "
                 "account_grace is %ld s (is the pam_cognito-sync timer "
                 "running?)",
                 age, cfg->account_grace);
    res = PC_ACCOUNT_STALE;
  } else if (!pc_access_rules_admit(cfg, user, u->groups)) {
    pc_error_set(why, PC_ERR_DENIED,
                 "by the groups pam_cognito-sync saw %lld s ago: not in "
                 "allowed_users%s",
                 age,
                 cfg->allowed_groups ? " and in none of allowed_groups" : "");
    res = PC_ACCOUNT_NOT_ALLOWED;
  } else {
    pc_error_set(why, PC_OK,
                 "admitted by the groups pam_cognito-sync saw %lld s ago", age);
    res = PC_ACCOUNT_OK;
  }
  *found = u != NULL;
  pc_syncstate_free(&st);
  return res;
}

enum pc_account_result pc_account_check(struct pc_client *cl, const char *user,
                                        uid_t uid, time_t now,
                                        const struct pc_usercontext *ctx,
                                        int user_can_signal, int *graced,
                                        struct pc_error *why) {
  const struct pc_config *cfg = cl->cfg;
  struct record r;
  struct pc_tokens t;
  struct pc_error err;
  enum pc_account_result res;
  enum pc_status st;

  *graced = 0;
  memset(&t, 0, sizeof t);
  pc_error_clear(&err); /* a failure before any call leaves no cause */
  st = pc_private_load_record(&RECORD, cfg->cache_dir, user, (long long)uid, &r,
                              why);
  if (st != PC_OK && st != PC_ABSENT) /* never "unknown": stacks skip that
                                         with user_unknown=ignore */
    return PC_ACCOUNT_ERROR;
  if (st == PC_ABSENT) {
    int found;

    res = synced(cfg, user, uid, now, &found, why);
    if (found)
      return res;
    if (why == NULL || why->detail[0] == '\0')
      pc_error_set(why, PC_ERR_PROTOCOL,
                   "never logged in here with a password");
    return PC_ACCOUNT_UNKNOWN;
  }
  if (r.expired) {
    pc_error_set(
        why, PC_ERR_PROTOCOL,
        "Cognito refused this user's sign-in %lld s ago; a password login "
        "renews it",
        (long long)now - r.verified_at);
    res = PC_ACCOUNT_EXPIRED;
  } else if (r.refresh_token == NULL) {
    res = grace(cfg, user, &r, now, graced, why, "no refresh token kept");
  } else {
    /* With the token's device key; a rotated token comes back in t. */
    st = pc_account_refresh(cl, user, r.cognito_user, r.refresh_token,
                            r.device_key, ctx, &t, &err);
    if (st == PC_ERR_AUTH || st == PC_ERR_USER_UNKNOWN ||
        st == PC_ERR_USER_NOT_CONFIRMED || st == PC_ERR_PASSWORD_RESET)
      res = refused(cfg, user, &r, st, &err, now, why);
    else if (st != PC_OK)
      res = no_yes(cfg, user, &r, &err, user_can_signal, now, graced, why, "");
    else
      res = decide(cl, user, uid, &r, &t, now, user_can_signal, graced, why);
  }
  pc_tokens_free(&t);
  record_free(&r);
  return res;
}
