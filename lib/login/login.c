/* SPDX-License-Identifier: MIT */
/* The challenge loop: InitiateAuth, then one RespondToAuthChallenge per
 * challenge until AuthenticationResult arrives. Every question goes through
 * the prompter; nothing here knows about PAM. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/codec.h"
#include "base/secret.h"
#include "login/login.h"
#include "login/login_internal.h"
#include "login/reset.h"
#include "login/srp.h"
#include "tokens/tokens.h"

void pc_login_detail(struct login *l, const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  (void)pc_error_vset(&l->r->err, l->r->err.status, fmt, ap);
  va_end(ap);
}

void pc_login_tell(struct login *l, int kind, const char *text) {
  if (l->p && l->p->tell)
    l->p->tell(l->p->ctx, kind, text);
}

/* Ask; -1 when the conversation cannot answer. */
int pc_login_ask(struct login *l, enum pc_prompt_style style,
                 const char *prompt, char **answer) {
  *answer = NULL;
  if (!l->p || !l->p->ask || l->p->ask(l->p->ctx, style, prompt, answer) != 0 ||
      *answer == NULL) {
    pc_free_secret(answer);
    return -1;
  }
  return 0;
}

enum pc_new_password pc_login_ask_new_password(struct login *l, const char *old,
                                               char **pw) {
  char *again = NULL;
  enum pc_new_password r = PC_NEW_PASSWORD_OK;

  if (pc_login_ask(l, PC_PROMPT_SECRET, "New password: ", pw) != 0)
    return PC_NEW_PASSWORD_NO_ANSWER;
  if (!**pw)
    r = PC_NEW_PASSWORD_EMPTY;
  else if (old && strcmp(*pw, old) == 0)
    r = PC_NEW_PASSWORD_SAME;
  else if (pc_login_ask(l, PC_PROMPT_SECRET, "Retype new password: ", &again) !=
           0)
    r = PC_NEW_PASSWORD_NO_ANSWER;
  else if (strcmp(*pw, again) != 0) {
    pc_login_tell(l, 1, "Sorry, passwords do not match.");
    pc_free_secret(pw);
  }
  pc_free_secret(&again);
  if (r != PC_NEW_PASSWORD_OK)
    pc_free_secret(pw);
  return r;
}

/* ClientId plus a parameter object (AuthParameters or ChallengeResponses)
 * carrying USERNAME and, for clients with a secret, SECRET_HASH. */
json_object *pc_login_request(struct login *l, const char *params_key,
                              const char *username, json_object **params) {
  const struct pc_config *cfg = l->cl->cfg;
  json_object *req = json_object_new_object();
  json_object *p = json_object_new_object();
  char *hash = NULL;
  int bad = !req || !p;

  if (!bad && json_object_object_add(req, params_key, p) != 0)
    bad = 1;
  else if (!bad)
    p = NULL, *params = json_object_object_get(req, params_key);
  if (!bad)
    bad = pc_json_add_str(req, "ClientId", cfg->client_id) ||
          pc_json_add_str(*params, "USERNAME", username) ||
          (l->dev && pc_json_add_str(*params, "DEVICE_KEY", l->dev->key));
  if (!bad && cfg->client_secret) {
    hash = pc_secret_hash(cfg->client_secret, username, cfg->client_id);
    bad = !hash || pc_json_add_str(*params, "SECRET_HASH", hash);
    pc_free_secret(&hash);
  }
  json_object_put(p);
  return pc_json_keep(req, bad);
}

enum pc_status pc_login_call(struct login *l, const char *op,
                             json_object *req) {

  pc_json_put_secret(l->resp);
  l->resp = NULL;
  /* UserContextData and ClientMetadata ride on every sign-in call. */
  req = pc_usercontext_add(req, l->cl->cfg, l->o->context);
  /* Fills r->err: "type: message" or "op: what failed", request id. */
  return pc_api_send(l->cl, PC_USER_POOL, op, req, &l->resp, &l->r->err);
}

/* The server's words for the last error (Cognito's policy message, say). */
const char *pc_login_server_message(struct login *l, const char *fallback) {
  const struct pc_error *e = &l->r->err;

  return e->type[0] && e->message[0] ? e->message : fallback;
}

enum pc_status pc_login_respond(struct login *l, const char *challenge,
                                json_object *req) {
  req = pc_json_keep(
      req, !req || pc_json_add_str(req, "ChallengeName", challenge) ||
               (l->session && pc_json_add_str(req, "Session", l->session)));
  return pc_login_call(l, "RespondToAuthChallenge", req);
}

static enum pc_status initiate(struct login *l, struct pc_srp *srp) {
  json_object *params = NULL;
  json_object *req =
      pc_login_request(l, "AuthParameters", l->o->username, &params);
  enum pc_auth_flow flow = l->cl->cfg->auth_flow == PC_FLOW_USER_AUTH
                               ? PC_FLOW_USER_AUTH
                           : srp != NULL ? PC_FLOW_SRP
                                         : PC_FLOW_PASSWORD;

  req = pc_json_keep(
      req,
      !req || pc_json_add_str(req, "AuthFlow", pc_auth_flow_name(flow)) ||
          (flow == PC_FLOW_USER_AUTH ? pc_login_user_auth_params(l, params, srp)
           : flow == PC_FLOW_SRP
               ? pc_json_add_str(params, "SRP_A", pc_srp_A_hex(srp))
               : pc_json_add_str(params, "PASSWORD", l->o->password)));
  return pc_login_call(l, "InitiateAuth", req);
}

static enum pc_status password_verifier(struct login *l, struct pc_srp *srp,
                                        json_object *cp) {
  const char *uid = pc_json_str(cp, "USER_ID_FOR_SRP");
  const char *block = pc_json_str(cp, "SECRET_BLOCK");
  const char *salt = pc_json_str(cp, "SALT"), *B = pc_json_str(cp, "SRP_B");
  char ts[64], *sig = NULL;
  enum pc_status st;
  time_t now = l->o->now ? l->o->now() : time(NULL);

  if (!srp || !uid || !*uid || !block || !salt || !B) {
    pc_login_detail(l, "PASSWORD_VERIFIER: %s",
                    srp ? "missing parameter"
                        : "not expected in USER_PASSWORD_AUTH");
    return PC_ERR_PROTOCOL;
  }
  free(l->user_id);
  if (!(l->user_id = strdup(uid)))
    return PC_ERR_NOMEM;
  pc_srp_timestamp(now, ts, sizeof(ts));
  st = pc_srp_signature(srp, pc_config_pool_name(l->cl->cfg), uid,
                        l->o->password, salt, B, block, ts, &sig);
  if (st != PC_OK) {
    pc_login_detail(l, "PASSWORD_VERIFIER: %s", "invalid SRP parameters");
    return st;
  }
  return pc_login_srp_claim(l, "PASSWORD_VERIFIER", block, ts, &sig);
}

enum pc_status pc_login_srp_claim(struct login *l, const char *challenge,
                                  const char *block, const char *ts,
                                  char **sig) {
  json_object *params = NULL, *req;

  req = pc_login_request(l, "ChallengeResponses", l->user_id, &params);
  req = pc_json_keep(
      req, !req ||
               pc_json_add_str(params, "PASSWORD_CLAIM_SECRET_BLOCK", block) ||
               pc_json_add_str(params, "TIMESTAMP", ts) ||
               pc_json_add_str(params, "PASSWORD_CLAIM_SIGNATURE", *sig));
  pc_free_secret(sig);
  return pc_login_respond(l, challenge, req);
}

/* The pool demands a reset (InitiateAuth, or RespondToAuthChallenge after
 * PASSWORD_VERIFIER): with password_reset on, the reset at the prompt,
 * then InitiateAuth again with the new password, which *fresh owns and
 * *again carries from then on. */
static enum pc_status reset_then_initiate(struct login *l,
                                          struct pc_login_opts *again,
                                          char **fresh, struct pc_srp **srp) {
  const struct pc_config *cfg = l->cl->cfg;
  enum pc_status st;

  l->r->reset_required = 1;
  if (!cfg->password_reset)
    return PC_ERR_PASSWORD_RESET;
  st = pc_reset_password(l, fresh);
  *again = *l->o;
  again->password = *fresh; /* r->new_password may change in a challenge */
  if (st == PC_OK && !(l->r->new_password = strdup(*fresh)))
    st = PC_ERR_NOMEM;
  l->o = again;
  pc_srp_free(*srp);
  *srp = NULL;
  pc_free_secret(&l->session); /* the refused sign-in's */
  if (st == PC_OK && pc_login_uses_srp(cfg) && !(*srp = pc_srp_new()))
    st = PC_ERR_NOMEM;
  if (st == PC_OK)
    st = initiate(l, *srp);
  return st;
}

/* InitiateAuth, and the reset when the pool demands one there. */
static enum pc_status begin(struct login *l, struct pc_login_opts *again,
                            char **fresh, struct pc_srp **srp) {
  enum pc_status st = initiate(l, *srp);

  if (st == PC_ERR_PASSWORD_RESET)
    st = reset_then_initiate(l, again, fresh, srp);
  return st;
}

/* 1 when the last reply ended the login with tokens (*st: whether they
 * are usable), 0 when it is not a token reply. */
static int took_tokens(struct login *l, const struct pc_srp *srp,
                       enum pc_status *st) {
  json_object *ar = json_object_object_get(l->resp, "AuthenticationResult");

  if (!ar || !json_object_is_type(ar, json_type_object))
    return 0;
  /* USER_SRP_AUTH proves the password only in PASSWORD_VERIFIER: tokens
   * before it mean the server skipped the proof. */
  if (srp != NULL) {
    pc_login_detail(l, "%s",
                    "tokens before the PASSWORD_VERIFIER round of "
                    "USER_SRP_AUTH");
    *st = PC_ERR_PROTOCOL;
    return 1;
  }
  *st = pc_tokens_from_result(ar, &l->r->tokens);
  if (*st == PC_ERR_PROTOCOL)
    pc_login_detail(l, "%s", "AuthenticationResult without tokens");
  return 1;
}

/* The last reply's challenge: *name, kept sanitized in r->challenge for
 * the log, and its Session kept for the answer. */
static enum pc_status next_challenge(struct login *l, int round,
                                     const char **name) {
  const char *session = pc_json_str(l->resp, "Session");
  int max_rounds = l->o->max_rounds > 0 ? l->o->max_rounds : 10;

  *name = pc_json_str(l->resp, "ChallengeName");
  if (!*name) {
    pc_login_detail(l, "%s", "reply has neither tokens nor a challenge");
    return PC_ERR_PROTOCOL;
  }
  /* Server text: logged from here on, so no control characters. */
  pc_sanitize(l->r->challenge, sizeof(l->r->challenge), *name);
  if (round >= max_rounds) {
    pc_login_detail(l, "too many challenge rounds (last: %s)", l->r->challenge);
    return PC_ERR_PROTOCOL;
  }
  pc_free_secret(&l->session);
  if (session && !(l->session = strdup(session)))
    return PC_ERR_NOMEM;
  return PC_OK;
}

/* A challenge other than the verifiers (challenges.c answers it). */
static enum pc_status other_challenge(struct login *l, const char *name,
                                      json_object *cp) {
  /* Later challenges name the user by USER_ID_FOR_SRP when it differs
   * from the login name (pools that sign in by email). */
  const char *uid = pc_json_str(cp, "USER_ID_FOR_SRP");

  if (uid && *uid && strcmp(uid, l->user_id) != 0) {
    free(l->user_id);
    if (!(l->user_id = strdup(uid)))
      return PC_ERR_NOMEM;
  }
  if (strcmp(name, "SMS_MFA") == 0 || strcmp(name, "SOFTWARE_TOKEN_MFA") == 0 ||
      strcmp(name, "EMAIL_OTP") == 0 || strcmp(name, "SELECT_MFA_TYPE") == 0 ||
      strcmp(name, "MFA_SETUP") == 0)
    l->r->mfa_used = 1;
  return pc_login_challenge(l, name, cp);
}

/* Answer challenge after challenge until a reply carries tokens or
 * something fails. *srp is the password verifier's, used once. */
static enum pc_status challenge_rounds(struct login *l, struct pc_srp **srp) {
  enum pc_status st = PC_OK;
  int round;

  for (round = 0;; round++) {
    json_object *cp = json_object_object_get(l->resp, "ChallengeParameters");
    const char *name;

    if (took_tokens(l, *srp, &st))
      return st;
    if ((st = next_challenge(l, round, &name)) != PC_OK)
      return st;
    if (strcmp(name, "PASSWORD_VERIFIER") == 0) {
      st = password_verifier(l, round == 0 ? *srp : NULL, cp);
      /* The verifier's secrets are needed once. */
      pc_srp_free(*srp);
      *srp = NULL;
    } else if (!pc_login_device_challenge(l, name, cp, &st)) {
      st = other_challenge(l, name, cp);
    }
    if (st != PC_OK)
      return st;
  }
}

/* A login name, and a password or (USER_AUTH with a code among
 * first_factors) the empty password that asks for a one-time code; a
 * password only when first_factors names one. */
static enum pc_status first_factor_ok(const struct pc_config *cfg,
                                      const struct pc_login_opts *o,
                                      struct pc_login_result *r) {
  unsigned want = o->passkey                          ? PC_FACTOR_WEB_AUTHN
                  : *(o->password ? o->password : "") ? PC_FACTORS_PASSWORD
                                                      : PC_FACTORS_CODE;

  if (!o->username || !*o->username || !o->password)
    return PC_ERR_AUTH;
  if (cfg->auth_flow != PC_FLOW_USER_AUTH)
    return *o->password ? PC_OK : PC_ERR_AUTH;
  if (cfg->first_factors & want)
    return PC_OK;
  (void)pc_error_set(&r->err, PC_ERR_AUTH, "%s is not among first_factors",
                     want == PC_FACTORS_CODE       ? "a one-time code"
                     : want == PC_FACTOR_WEB_AUTHN ? "a passkey"
                                                   : "the password");
  return PC_ERR_AUTH;
}

/* One login, presenting dev (NULL: none). *retry: Cognito forgot the
 * device (dropped): run it once more without. */
static enum pc_status login_once(struct pc_client *cl,
                                 const struct pc_login_opts *o,
                                 const struct pc_prompter *p,
                                 struct pc_login_result *r,
                                 struct pc_device *dev, int *retry) {
  struct login l = {.cl = cl, .o = o, .p = p, .r = r, .dev = dev};
  struct pc_login_opts again;
  char *fresh = NULL; /* the password a reset set */
  struct pc_srp *srp = NULL;
  enum pc_status st;

  memset(r, 0, sizeof(*r));
  if ((st = first_factor_ok(cl->cfg, o, r)) != PC_OK)
    return st;
  if (*o->password && pc_login_uses_srp(cl->cfg) && !(srp = pc_srp_new()))
    return PC_ERR_NOMEM;
  if (!(l.user_id = strdup(o->username))) {
    pc_srp_free(srp);
    return PC_ERR_NOMEM;
  }
  st = o->passkey     ? pc_login_passkey_first(&l)
       : *o->password ? begin(&l, &again, &fresh, &srp)
                      : pc_login_code_first(&l);
  if (st == PC_OK)
    st = challenge_rounds(&l, &srp);
  /* The demand can also come after PASSWORD_VERIFIER: reset once, then the
   * challenges of the new sign-in. */
  if (st == PC_ERR_PASSWORD_RESET && fresh == NULL && *o->password) {
    st = reset_then_initiate(&l, &again, &fresh, &srp);
    if (st == PC_OK)
      st = challenge_rounds(&l, &srp);
  }
  pc_srp_free(srp);
  if (!(*retry = pc_login_device_forgotten(&l, st)))
    pc_login_device_end(&l, st);
  pc_json_put_secret(l.resp);
  pc_free_secret(&l.session);
  pc_free_secret(&fresh);
  free(l.user_id);
  if (st != PC_OK)
    pc_tokens_free(&r->tokens);
  pc_error_add_notes(&r->err, &l.notes);
  r->err.status = st;
  if (st != PC_OK && !r->err.detail[0])
    (void)pc_error_set(&r->err, st, "%s", pc_status_str(st));
  return st;
}

enum pc_status pc_login(struct pc_client *cl, const struct pc_login_opts *o,
                        const struct pc_prompter *p,
                        struct pc_login_result *r) {
  struct pc_device dev;
  struct pc_error kept; /* the device's note from before this run */
  enum pc_status st;
  int retry = 0;

  pc_error_clear(&kept);
  pc_login_device_load(o, cl->cfg, &dev, &kept);
  st = login_once(cl, o, p, r, dev.key ? &dev : NULL, &retry);
  if (retry) { /* as a new device: the second factor is asked for */
    pc_error_clear(&kept);
    pc_error_add_notes(&kept, &r->err);
    pc_login_result_free(r);
    st = login_once(cl, o, p, r, NULL, &retry);
  }
  if (r->err.n_notes == 0)
    pc_error_add_notes(&r->err, &kept);
  pc_device_free(&dev);
  return st;
}

void pc_login_result_free(struct pc_login_result *r) {
  pc_tokens_free(&r->tokens);
  pc_free_secret(&r->new_password);
  free(r->new_device.key);
  free(r->new_device.group_key);
  free(r->new_device.user_id);
  pc_wipe(r, sizeof(*r));
}
