/* SPDX-License-Identifier: MIT */
/* The session stages: AWS credentials from the identity pool.
 *
 * The hand-over. sshd (privilege separation) runs pam_authenticate in a
 * forked child and pam_setcred/pam_open_session in the monitor, so nothing
 * kept with pam_set_data during auth survives into the session stages,
 * while pam_putenv values from auth do reach the monitor's handle and the
 * user's shell. So the whole exchange happens in auth, right after the login
 * and over its connection, in one lib/ call (pc_credentials_after_login):
 * the identity-pool exchange, then the credentials and what the unprivileged
 * helper needs to renew them into the user's store (lib/store/user_files.h),
 * owned by the user's local account; here, the AWS_* variables into the PAM
 * environment.
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

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/role.h"
#include "aws/session_creds.h"
#include "conv.h"
#include "store/creds_doc.h"
#include "envowner.h"
#include "store/issued_record.h"
#include "logname.h"
#include "net/api_errors.h"
#include "base/secret.h"
#include "session.h"
#include "store/user_files.h"

/* A cached credential this close to expiry is not handed to a new session. */
#define MIN_VALIDITY 60

/* Open the store of user's local account: 0 open, 1 absent (only without
 * create), -1 no usable account or refused (logged with the reason). */
static int open_store(struct pc_module *m, const char *user, int create,
                      struct pc_store *s) {
  struct passwd pw, *res = NULL;
  struct pc_error e;
  long sz = sysconf(_SC_GETPW_R_SIZE_MAX);
  char *buf;
  enum pc_status st;
  int rc = -1;

  if (sz < 1024 || sz > 1048576)
    sz = 16384;
  if ((buf = malloc((size_t)sz)) == NULL)
    return -1;
  if (getpwnam_r(user, &pw, buf, (size_t)sz, &res) != 0 || res == NULL ||
      !pc_user_name_valid(pw.pw_name)) {
    free(buf);
    pc_debug(m,
             "user=%s has no usable local account: AWS credentials go to "
             "the environment only, no cache",
             pc_log_user(m, user));
    return -1;
  }
  st = pc_store_open(s, m->cfg.cache_dir, pw.pw_name, pw.pw_uid, pw.pw_gid,
                     create, &e);
  rc = st == PC_OK ? 0 : st == PC_ABSENT ? 1 : -1;
  free(buf);
  if (rc == 0 && e.detail[0])
    pam_syslog(m->pamh, LOG_NOTICE, "%s", e.detail);
  else if (rc < 0)
    pam_syslog(m->pamh, LOG_WARNING, "AWS credential cache refused: %s",
               e.detail);
  return rc;
}

/* Warnings always; notes (status PC_OK) as debug. */
static void log_notes(struct pc_module *m, const struct pc_error *e) {
  int i;

  for (i = 0; i < e->n_notes && i < PC_NOTES_MAX; i++) {
    if (e->note[i].status != PC_OK)
      pam_syslog(m->pamh, LOG_WARNING, "%s", e->note[i].text);
    else
      pc_debug(m, "%s", e->note[i].text);
  }
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

/* The marker first: whatever part of the set lands is known to be user's. */
static int put_creds_env(struct pc_module *m, const char *user,
                         const struct pc_aws_creds *cr) {
  char when[32];
  int rc;

  if (pc_iso8601(cr->expiration, when, sizeof when) != 0)
    return PAM_SYSTEM_ERR;
  if ((rc = pc_envowner_set(m->pamh, user)) ||
      (rc = put_env(m, "AWS_ACCESS_KEY_ID", cr->access_key_id)) ||
      (rc = put_env(m, "AWS_SECRET_ACCESS_KEY", cr->secret_access_key)) ||
      (rc = put_env(m, "AWS_SESSION_TOKEN", cr->session_token)) ||
      (rc = put_env(m, "AWS_CREDENTIAL_EXPIRATION", when)) ||
      (rc = put_env(m, "AWS_REGION", m->cfg.region)) ||
      (rc = put_env(m, "AWS_DEFAULT_REGION", m->cfg.region)))
    pam_syslog(m->pamh, LOG_ERR, "cannot set the AWS environment: %s",
               pam_strerror(m->pamh, rc));
  return rc;
}

/* The uid the root-only records are made for (-1: no local account). */
static long long local_uid(const struct pc_module *m) {
  return m->has_local ? (long long)m->uid : -1;
}

/* The table's words for a refusal of the identity pool or STS that waiting
 * will not end (its configuration, a login linked elsewhere): an error when
 * credentials_required denies the login, else a note in a session without
 * AWS credentials. Throttling and outages stay syslog's. */
static void tell_refusal(struct pc_module *m, int denied,
                         const struct pc_error *err) {
  char text[PC_ERRTABLE_SAY_MAX + 1];

  if (err->status == PC_ERR_LIMIT || pc_status_no_answer(err->status))
    return;
  if (pc_errtable_say(err, text, sizeof(text)))
    pc_conv_tell(m, denied, text);
}

int pc_session_after_auth(struct pc_module *m, const char *user,
                          struct pc_client *cl, const struct pc_tokens *t) {
  struct pc_aws_creds cr = {0};
  struct pc_error err;
  struct pc_store s = PC_STORE_INIT;
  char *identity_id = NULL, text[1024];
  enum pc_status st;
  int have_store, rc;

  if (!m->cfg.identity_pool_id) {
    pc_debug(m, "no identity_pool_id configured: no AWS credentials");
    return PAM_SUCCESS;
  }
  have_store = open_store(m, user, 1, &s) == 0;
  st = pc_credentials_after_login(cl, &m->cfg, have_store ? &s : NULL, user, t,
                                  &cr, &identity_id, &err);
  log_notes(m, &err);
  if (st != PC_OK) {
    pam_syslog(m->pamh, m->cfg.credentials_required ? LOG_ERR : LOG_WARNING,
               "no AWS credentials for user=%s from identity pool %s: %s "
               "(%s)",
               pc_log_user(m, user), m->cfg.identity_pool_id, pc_status_str(st),
               pc_error_text(&err, text, sizeof(text)));
    rc = m->cfg.credentials_required ? PAM_AUTHINFO_UNAVAIL : PAM_SUCCESS;
    /* A role that cannot be had: the person is told (role.h). */
    if (pc_role_refused(&err))
      pc_conv_tell(m, rc != PAM_SUCCESS, err.message);
    else
      tell_refusal(m, rc != PAM_SUCCESS, &err);
    if (rc != PAM_SUCCESS)
      pam_syslog(m->pamh, LOG_ERR,
                 "credentials_required is set: denying "
                 "the login of user=%s",
                 pc_log_user(m, user));
    goto out;
  }
  /* What the session stages decide credentials_required on: root's own
   * record, not the user's credentials.json. */
  if (pc_issued_save(m->cfg.cache_dir, user, local_uid(m), cr.expiration,
                     &err) != 0)
    pam_syslog(m->pamh, m->cfg.credentials_required ? LOG_ERR : LOG_WARNING,
               "cannot record the AWS credentials issued to user=%s: %s",
               pc_log_user(m, user), err.detail);
  rc = put_creds_env(m, user, &cr);
  if (rc != PAM_SUCCESS && !m->cfg.credentials_required)
    rc = PAM_SUCCESS;
  else if (rc != PAM_SUCCESS)
    rc = PAM_AUTHINFO_UNAVAIL;
  if (rc == PAM_SUCCESS)
    pc_debug(m, "AWS credentials for user=%s (identity %s) until %lld",
             pc_log_user(m, user), identity_id, cr.expiration);
out:
  pc_store_close(&s);
  pc_aws_creds_free(&cr);
  free(identity_id);
  return rc;
}
/* 1 when the PAM environment already holds user's credentials (set by
 * this module for this user) valid for a while. */
static int env_has_creds(struct pc_module *m, const char *user) {
  const char *exp = pam_getenv(m->pamh, "AWS_CREDENTIAL_EXPIRATION");
  char limit[32];

  if (!pc_envowner_is(m->pamh, user) ||
      !pam_getenv(m->pamh, "AWS_ACCESS_KEY_ID") ||
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
  struct pc_store s = PC_STORE_INIT;
  struct pc_error e;
  const char *user = NULL;
  int rc, ok = 0;

  if (pc_module_user(m, &user) != PAM_SUCCESS)
    return 0;
  if (env_has_creds(m, user)) {
    pc_debug(m, "%s: AWS credentials already in the environment", stage);
    return 1;
  }
  if ((rc = open_store(m, user, 0, &s)) != 0) {
    if (rc > 0)
      pc_debug(m, "%s: no AWS credential cache for user=%s", stage,
               pc_log_user(m, user));
    return 0;
  }
  switch (pc_store_load_creds(&s, MIN_VALIDITY, &cr, &e)) {
  case PC_STORE_REFUSED:
  case PC_STORE_MALFORMED:
    pam_syslog(m->pamh, LOG_WARNING, "AWS credentials not loaded: %s",
               e.detail);
    break;
  case PC_STORE_ABSENT:
  case PC_STORE_EMPTY:
    pc_debug(m, "%s: no cached AWS credentials for user=%s", stage,
             pc_log_user(m, user));
    break;
  case PC_STORE_EXPIRED:
    pc_debug(m, "%s: cached AWS credentials for user=%s have expired", stage,
             pc_log_user(m, user));
    break;
  case PC_STORE_LOADED:
    ok = put_creds_env(m, user, &cr) == PAM_SUCCESS;
    break;
  }
  if (ok)
    pc_debug(m, "%s: AWS credentials for user=%s loaded from the cache", stage,
             pc_log_user(m, user));
  pc_aws_creds_free(&cr);
  pc_store_close(&s);
  return ok;
}

/* Cached credentials into the environment for stage: PAM_SUCCESS, or
 * failed when credentials_required is set and there are none. What the
 * environment or the user's credentials.json hold is the user's data: the
 * decision rests on root's record that a login here was issued
 * credentials still valid (store/issued_record.h). */
static int require_creds(struct pc_module *m, const char *stage, int failed) {
  const char *user = NULL;
  struct pc_error why;
  int have = session_creds(m, stage);
  enum pc_status issued;

  if (!m->cfg.credentials_required)
    return PAM_SUCCESS;
  (void)pc_error_set(&why, PC_ERR_PROTOCOL, "no user name");
  issued = pc_module_user(m, &user) == PAM_SUCCESS
               ? pc_issued_valid(m->cfg.cache_dir, user, local_uid(m),
                                 time(NULL), MIN_VALIDITY, &why)
               : PC_ERR_PROTOCOL;
  if (have && issued == PC_OK)
    return PAM_SUCCESS;
  pam_syslog(m->pamh, LOG_ERR,
             "%s: no valid AWS credentials and credentials_required is set%s%s",
             stage, issued == PC_OK ? "" : ": ",
             issued == PC_OK ? "" : why.detail);
  return failed;
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
  return require_creds(m, "setcred", PAM_CRED_UNAVAIL);
}

/* No identity pool: PAM_IGNORE, as session modules with nothing to do
 * answer (sshd 9.x only restricts a session whose open fails). */
int pc_open_session(struct pc_module *m) {
  pc_logout_opened(m);
  if (!m->cfg.identity_pool_id) {
    pc_debug(m, "no identity_pool_id configured: nothing to do");
    return PAM_IGNORE;
  }
  return require_creds(m, "open_session", PAM_SESSION_ERR);
}
