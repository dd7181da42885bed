/* The session stages: AWS credentials from the identity pool.
 *
 * The hand-over. sshd (privilege separation) runs pam_authenticate in a
 * forked child and pam_setcred/pam_open_session in the monitor, so nothing
 * kept with pam_set_data during auth survives into the session stages,
 * while pam_putenv values from auth do reach the monitor's handle and the
 * user's shell. So the whole exchange happens in auth, right after the login
 * and over its connection:
 *   GetId (skipped when <cache_dir>/<user>/identity_id remembers the id),
 *   GetCredentialsForIdentity, then
 *   - credentials.json (credential_process shape) and refresh.json (what the
 *     unprivileged helper needs to renew them: refresh token, user name and
 *     precomputed SECRET_HASH, pool settings; never the client secret) into
 *     the per-user cache, owned by the user's local account;
 *   - AWS_* variables into the PAM environment.
 * setcred (establish/reinitialize/refresh) and open_session put the cached
 * credentials into the environment when they are not there already (another
 * process ran auth, or the application dropped the environment). Deleting
 * credentials and closing the session leave the cache alone: other sessions
 * of the same user, and the helper, still use it.
 *
 * A user with no local account gets the environment only (the cache needs an
 * owner). A failed exchange does not lock anyone out unless
 * credentials_required is set. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "credcache.h"
#include "credfile.h"
#include "creds.h"
#include "jwt.h"
#include "secret.h"
#include "session.h"

/* A cached credential this close to expiry is not handed to a new session. */
#define MIN_VALIDITY 60

struct owner {
  uid_t uid;
  gid_t gid;
  char name[PC_USER_NAME_MAX + 1];
};

/* The local account of user: 0, or -1 (none, or a name the cache refuses). */
static int lookup_owner(struct pc_module *m, const char *user,
                        struct owner *o) {
  struct passwd pw, *res = NULL;
  long sz = sysconf(_SC_GETPW_R_SIZE_MAX);
  char *buf;
  int rc = -1;

  if (sz < 1024 || sz > 1048576)
    sz = 16384;
  if ((buf = malloc((size_t)sz)) == NULL)
    return -1;
  if (getpwnam_r(user, &pw, buf, (size_t)sz, &res) == 0 && res != NULL &&
      pc_user_name_valid(pw.pw_name)) {
    o->uid = pw.pw_uid;
    o->gid = pw.pw_gid;
    (void)snprintf(o->name, sizeof o->name, "%s", pw.pw_name);
    rc = 0;
  }
  free(buf);
  if (rc != 0)
    pc_debug(m,
             "user=%s has no usable local account: AWS credentials go to "
             "the environment only, no cache",
             user);
  return rc;
}

/* Open the user's cache: 0 open, 1 absent (only without create), -1 refused
 * (logged with the reason). A first login racing another may see the fresh
 * directory before it is handed to the user: one retry settles that. */
static int open_cache(struct pc_module *m, const struct owner *o, int create,
                      struct pc_cache *c) {
  char err[512];
  int rc, tries;

  for (tries = 0; tries < 2; tries++) {
    rc = pc_cache_open(c, m->cfg.cache_dir, o->name, o->uid, o->gid, create,
                       err, sizeof err);
    if (rc >= 0 || !create)
      break;
    (void)usleep(50000);
  }
  if (rc == 0 && err[0])
    pam_syslog(m->pamh, LOG_NOTICE, "%s", err);
  else if (rc < 0)
    pam_syslog(m->pamh, LOG_WARNING, "AWS credential cache refused: %s", err);
  return rc;
}

/* pc_creds_fetch's notes: warnings always, the rest as fetch's debug. */
static void fetch_log(void *ctx, int priority, const char *text) {
  struct pc_module *m = ctx;

  if (priority != LOG_DEBUG)
    pam_syslog(m->pamh, priority, "%s", text);
  else if (m->debug)
    pam_syslog(m->pamh, LOG_DEBUG, "fetch: %s", text);
}

/* pam_putenv("name=value"), wiping the temporary copy. */
static int put_env(struct pc_module *m, const char *name, const char *value) {
  size_t n = strlen(name) + strlen(value) + 2;
  char *s = malloc(n);
  int rc;

  if (s == NULL)
    return PAM_BUF_ERR;
  (void)snprintf(s, n, "%s=%s", name, value);
  rc = pam_putenv(m->pamh, s);
  pc_free_secret(&s);
  return rc;
}

static int put_creds_env(struct pc_module *m, const struct pc_aws_creds *cr) {
  char when[32];
  int rc;

  if (pc_iso8601(cr->expiration, when, sizeof when) != 0)
    return PAM_SYSTEM_ERR;
  if ((rc = put_env(m, "AWS_ACCESS_KEY_ID", cr->access_key_id)) ||
      (rc = put_env(m, "AWS_SECRET_ACCESS_KEY", cr->secret_access_key)) ||
      (rc = put_env(m, "AWS_SESSION_TOKEN", cr->session_token)) ||
      (rc = put_env(m, "AWS_CREDENTIAL_EXPIRATION", when)) ||
      (rc = put_env(m, "AWS_REGION", m->cfg.region)) ||
      (rc = put_env(m, "AWS_DEFAULT_REGION", m->cfg.region)))
    pam_syslog(m->pamh, LOG_ERR, "cannot set the AWS environment: %s",
               pam_strerror(m->pamh, rc));
  return rc;
}

/* credentials.json, and refresh.json for the helper. user_id is the real
 * user name Cognito knows (cognito:username, as USER_ID_FOR_SRP). */
static void write_cache(struct pc_module *m, const struct pc_cache *c,
                        const struct pc_aws_creds *cr, const char *identity_id,
                        const struct pc_tokens *t, const char *user_id) {
  char *hash = NULL, err[512];

  if (pc_cache_store_creds(c, cr, err, sizeof err) != 0)
    pam_syslog(m->pamh, LOG_WARNING, "AWS credentials not cached: %s", err);
  if (t->refresh_token == NULL)
    return;
  if (m->cfg.client_secret != NULL &&
      (hash = pc_secret_hash(m->cfg.client_secret, user_id,
                             m->cfg.client_id)) == NULL)
    return;
  if (pc_cache_store_handover(c, &m->cfg, identity_id, user_id, hash,
                              t->refresh_token, err, sizeof err) != 0)
    pam_syslog(m->pamh, LOG_WARNING,
               "refresh data not cached (the helper "
               "cannot renew credentials): %s",
               err);
  pc_free_secret(&hash);
}

int pc_session_after_auth(struct pc_module *m, const char *user,
                          struct pc_client *cl, const struct pc_tokens *t) {
  struct pc_aws_creds cr = {0};
  struct pc_api_error err = {{0}, {0}, 0};
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_log log = {fetch_log, m};
  struct owner o;
  json_object *claims;
  const char *uid_claim;
  char *identity_id = NULL;
  enum pc_status st;
  int have_cache = 0, rc;

  if (!m->cfg.identity_pool_id) {
    pc_debug(m, "no identity_pool_id configured: no AWS credentials");
    return PAM_SUCCESS;
  }
  if (lookup_owner(m, user, &o) == 0)
    have_cache = open_cache(m, &o, 1, &c) == 0;
  st = pc_creds_fetch(cl, &m->cfg, have_cache ? &c : NULL, t->id_token, &log,
                      &identity_id, &cr, &err);
  if (st != PC_OK) {
    /* err.message is the server's text, already sanitized. */
    pam_syslog(m->pamh, m->cfg.credentials_required ? LOG_ERR : LOG_WARNING,
               "no AWS credentials for user=%s from identity pool %s: %s "
               "(%s%s%s)",
               user, m->cfg.identity_pool_id, pc_status_str(st), err.type,
               err.type[0] && err.message[0] ? ": " : "", err.message);
    rc = m->cfg.credentials_required ? PAM_AUTHINFO_UNAVAIL : PAM_SUCCESS;
    if (rc != PAM_SUCCESS)
      pam_syslog(m->pamh, LOG_ERR,
                 "credentials_required is set: denying "
                 "the login of user=%s",
                 user);
    goto out;
  }
  if (have_cache) {
    /* The token came straight from Cognito in this login: its claims are
     * safe to use for naming the user to Cognito again. */
    claims = pc_jwt_claims(t->id_token);
    uid_claim = pc_jwt_str(claims, "cognito:username");
    write_cache(m, &c, &cr, identity_id, t, uid_claim ? uid_claim : user);
    json_object_put(claims);
  }
  rc = put_creds_env(m, &cr);
  if (rc != PAM_SUCCESS && !m->cfg.credentials_required)
    rc = PAM_SUCCESS;
  else if (rc != PAM_SUCCESS)
    rc = PAM_AUTHINFO_UNAVAIL;
  if (rc == PAM_SUCCESS)
    pc_debug(m, "AWS credentials for user=%s (identity %s) until %lld", user,
             identity_id, cr.expiration);
out:
  pc_cache_close(&c);
  pc_aws_creds_free(&cr);
  free(identity_id);
  return rc;
}

/* 1 when the PAM environment already holds credentials valid for a while. */
static int env_has_creds(struct pc_module *m) {
  const char *exp = pam_getenv(m->pamh, "AWS_CREDENTIAL_EXPIRATION");
  char limit[32];

  if (!pam_getenv(m->pamh, "AWS_ACCESS_KEY_ID") ||
      !pam_getenv(m->pamh, "AWS_SECRET_ACCESS_KEY") ||
      !pam_getenv(m->pamh, "AWS_SESSION_TOKEN") || !exp)
    return 0;
  /* Both are YYYY-MM-DDTHH:MM:SSZ: text order is time order. */
  if (pc_iso8601((long long)time(NULL) + MIN_VALIDITY, limit, sizeof limit))
    return 0;
  return strlen(exp) == strlen(limit) && strcmp(exp, limit) > 0;
}

/* Bring cached credentials into the environment: 1 done (or already
 * there), 0 none valid (the reason is logged). */
static int session_creds(struct pc_module *m, const char *stage) {
  struct pc_aws_creds cr = {0};
  struct pc_cache c = PC_CACHE_INIT;
  struct owner o;
  const char *user = NULL;
  char err[512];
  int rc, ok = 0;

  if (env_has_creds(m)) {
    pc_debug(m, "%s: AWS credentials already in the environment", stage);
    return 1;
  }
  if (pc_module_user(m, &user) != PAM_SUCCESS || lookup_owner(m, user, &o))
    return 0;
  if ((rc = open_cache(m, &o, 0, &c)) != 0) {
    if (rc > 0)
      pc_debug(m, "%s: no AWS credential cache for user=%s", stage, user);
    return 0;
  }
  switch (pc_cache_load_creds(&c, MIN_VALIDITY, &cr, err, sizeof err)) {
  case PC_CACHE_REFUSED:
  case PC_CACHE_MALFORMED:
    pam_syslog(m->pamh, LOG_WARNING, "AWS credentials not loaded: %s", err);
    break;
  case PC_CACHE_ABSENT:
  case PC_CACHE_EMPTY:
    pc_debug(m, "%s: no cached AWS credentials for user=%s", stage, user);
    break;
  case PC_CACHE_EXPIRED:
    pc_debug(m, "%s: cached AWS credentials for user=%s have expired", stage,
             user);
    break;
  case PC_CACHE_LOADED:
    ok = put_creds_env(m, &cr) == PAM_SUCCESS;
    break;
  }
  if (ok)
    pc_debug(m, "%s: AWS credentials for user=%s loaded from the cache", stage,
             user);
  pc_aws_creds_free(&cr);
  pc_cache_close(&c);
  return ok;
}

/* sshd (auth-pam.c, 9.2 and earlier alike) ends the connection with
 * fatal() when pam_setcred returns anything but PAM_SUCCESS after a
 * successful authentication, and libpam turns a stack in which every module
 * answered PAM_IGNORE into a failure. So setcred answers PAM_SUCCESS when
 * there is nothing to do (no identity pool, deleting credentials) and when
 * credentials are merely missing; only credentials_required makes it fail. */
int pc_setcred(struct pc_module *m) {
  int op = m->flags & ~PAM_SILENT;

  if (!m->cfg.identity_pool_id) {
    pc_debug(m, "no identity_pool_id configured: nothing to do");
    return PAM_SUCCESS;
  }
  if (op == PAM_DELETE_CRED) {
    /* Other sessions of this user and the helper still use the cache. */
    pc_debug(m, "deleting credentials: the cache stays for other sessions");
    return PAM_SUCCESS;
  }
  if (session_creds(m, "setcred") || !m->cfg.credentials_required)
    return PAM_SUCCESS;
  pam_syslog(m->pamh, LOG_ERR,
             "setcred: no valid AWS credentials and "
             "credentials_required is set");
  return PAM_CRED_UNAVAIL;
}

/* No identity pool: PAM_IGNORE, as session modules with nothing to do
 * answer (sshd 9.x only restricts a session whose open fails). */
int pc_open_session(struct pc_module *m) {
  if (!m->cfg.identity_pool_id) {
    pc_debug(m, "no identity_pool_id configured: nothing to do");
    return PAM_IGNORE;
  }
  if (session_creds(m, "open_session") || !m->cfg.credentials_required)
    return PAM_SUCCESS;
  pam_syslog(m->pamh, LOG_ERR,
             "open_session: no valid AWS credentials and "
             "credentials_required is set");
  return PAM_SESSION_ERR;
}
