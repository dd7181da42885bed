/* SPDX-License-Identifier: MIT */
/* Shared between login.c (the loop), challenges.c (the answers) and the
 * other files of the hub (user_auth.c, device_auth.c, reset.c, ...). */
#ifndef PAM_COGNITO_LOGIN_INTERNAL_H
#define PAM_COGNITO_LOGIN_INTERNAL_H

#include "base/error.h"
#include "login/device.h"
#include "login/login.h"
#include "login/srp.h"

/* State of one login, wiped in one place at the end of pc_login. */
struct login {
  struct pc_client *cl;
  const struct pc_login_opts *o;
  const struct pc_prompter *p;
  struct pc_login_result *r;
  char *user_id;          /* USER_ID_FOR_SRP once known, else the login name */
  char *session;          /* Session of the current challenge */
  json_object *resp;      /* the last reply (may hold tokens) */
  struct pc_device *dev;  /* this host as the user's device, or NULL */
  struct pc_srp *dev_srp; /* DEVICE_SRP_AUTH's secrets until the verifier */
  int dev_proved;         /* DEVICE_PASSWORD_VERIFIER was answered */
  struct pc_error notes;  /* the device's note, for r->err once the calls
                             (which clear r->err) are done */
};

/* Record a one-line reason in r->err's detail for syslog (no secrets); the
 * last call's server error stays beside it. */
void pc_login_detail(struct login *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pc_login_tell(struct login *l, int kind, const char *text);
/* 0 with a heap answer (wipe it), or -1 when the conversation cannot answer. */
int pc_login_ask(struct login *l, enum pc_prompt_style style,
                 const char *prompt, char **answer);
/* "New password: " and "Retype new password: " (NEW_PASSWORD_REQUIRED and
 * a reset). OK with *pw set, or with *pw NULL after a mismatch (the user
 * was told; ask again). SAME: equal to old (when old is given), found
 * before the retype. On every result but OK with a password, *pw is NULL;
 * the caller words EMPTY, SAME and NO_ANSWER for its own flow. */
enum pc_new_password {
  PC_NEW_PASSWORD_OK,
  PC_NEW_PASSWORD_EMPTY,
  PC_NEW_PASSWORD_SAME,
  PC_NEW_PASSWORD_NO_ANSWER
};
enum pc_new_password pc_login_ask_new_password(struct login *l, const char *old,
                                               char **pw);
/* A request with ClientId and params_key {USERNAME, SECRET_HASH?}; *params
 * points into it. NULL when memory ran out. */
json_object *pc_login_request(struct login *l, const char *params_key,
                              const char *username, json_object **params);
/* Send req (consumed) as op, with UserContextData and ClientMetadata; the
 * reply replaces l->resp. */
enum pc_status pc_login_call(struct login *l, const char *op, json_object *req);
/* Send req (consumed) as the answer to challenge, with the current Session.
 * The reply replaces l->resp: pointers into the previous one go stale. */
enum pc_status pc_login_respond(struct login *l, const char *challenge,
                                json_object *req);
/* Answer an SRP verifier challenge (PASSWORD_VERIFIER,
 * DEVICE_PASSWORD_VERIFIER) for l->user_id with its claim: the server's
 * SECRET_BLOCK back, the timestamp ts that was signed and the signature
 * *sig, which is wiped and freed. */
enum pc_status pc_login_srp_claim(struct login *l, const char *challenge,
                                  const char *block, const char *ts,
                                  char **sig);
/* The server's message of the last error, or fallback. */
const char *pc_login_server_message(struct login *l, const char *fallback);

/* How many tries a prompt gets: max_attempts, or 3 (challenges.c). */
int pc_login_attempts(const struct login *l);
/* Answer challenge with one response value (a code, a choice). */
enum pc_status pc_login_respond_one(struct login *l, const char *challenge,
                                    const char *key, const char *value);
/* Answer challenge with a one-time code: as pc_login_respond_one, with
 * Cognito's INVALID_PARAM (a code that is not digits) as CODE_MISMATCH. */
enum pc_status pc_login_respond_code(struct login *l, const char *challenge,
                                     const char *key, const char *code);
/* Answer one challenge other than PASSWORD_VERIFIER (challenges.c). */
enum pc_status pc_login_challenge(struct login *l, const char *name,
                                  json_object *params);

/* USER_AUTH (user_auth.c). 1 when the password is proved by SRP
 * (USER_SRP_AUTH, or USER_AUTH with PASSWORD_SRP among first_factors). */
int pc_login_uses_srp(const struct pc_config *cfg);
/* InitiateAuth's USER_AUTH parameters for the password: PREFERRED_CHALLENGE
 * with SRP_A (srp) or PASSWORD. Nonzero when memory ran out. */
int pc_login_user_auth_params(struct login *l, json_object *params,
                              const struct pc_srp *srp);
/* A one-time code as the first factor (the login password is empty): the
 * choice, the code sent, the code asked for; PC_OK with l->resp the reply
 * to the right code. */
enum pc_status pc_login_code_first(struct login *l);
/* InitiateAuth USER_AUTH with PREFERRED_CHALLENGE preferred (NULL: none). */
enum pc_status pc_login_user_auth_initiate(struct login *l,
                                           const char *preferred);
/* The last reply is challenge with a Session (kept for the answer). */
enum pc_status pc_login_user_auth_expect(struct login *l,
                                         const char *challenge);
/* WEB_AUTHN as the first factor: a passkey on the attached security key
 * through the plugin (passkey.c). PC_ERR_ABORTED after telling the person
 * why no passkey could answer (the other first factors remain). */
enum pc_status pc_login_passkey_first(struct login *l);
/* SELECT_CHALLENGE in answer to a password: not a factor of this user. */
enum pc_status pc_login_select_challenge(struct login *l);

/* Device challenges (device_auth.c): 1 when name is one (its status in
 * *st), else 0. */
int pc_login_device_challenge(struct login *l, const char *name,
                              json_object *params, enum pc_status *st);
/* Around the login (device_auth.c): load this host's device before it
 * (d zeroed when there is none; a note in notes says what was wrong with
 * an unusable record), keep a new one (pc_login_remember_device registers it)
 * or drop a forgotten one after it. */
void pc_login_device_load(const struct pc_login_opts *o,
                          const struct pc_config *cfg, struct pc_device *d,
                          struct pc_error *notes);
/* 1 when the login failed because Cognito no longer knows the device: the
 * record is dropped and the caller runs the login again without it. */
int pc_login_device_forgotten(struct login *l, enum pc_status st);
void pc_login_device_end(struct login *l, enum pc_status st);

#endif
