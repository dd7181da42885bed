/* SPDX-License-Identifier: MIT */
/* Self-service password reset at the prompt; see reset.h. Every wrong
 * answer (code, retyped password, policy) asks again within max_attempts;
 * an expired code is replaced by a new one. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/codec.h"
#include "base/error.h"
#include "base/secret.h"
#include "login/reset.h"

/* ForgotPassword and ConfirmForgotPassword name the user and prove the
 * client at the top level (Username, SecretHash), not in a parameter map. */
static json_object *request(struct login *l) {
  const struct pc_config *cfg = l->cl->cfg;
  json_object *req = json_object_new_object();
  char *hash = NULL;
  int bad = !req || pc_json_add_str(req, "ClientId", cfg->client_id) ||
            pc_json_add_str(req, "Username", l->o->username);

  if (!bad && cfg->client_secret) {
    hash = pc_secret_hash(cfg->client_secret, l->o->username, cfg->client_id);
    bad = !hash || pc_json_add_str(req, "SecretHash", hash);
    pc_free_secret(&hash);
  }
  return pc_json_keep(req, bad);
}

static enum pc_status call(struct login *l, const char *op, json_object *req,
                           json_object **resp) {
  *resp = NULL;
  return pc_api_send(l->cl, PC_USER_POOL, op, req, resp, &l->r->err);
}

static enum pc_status too_fast(struct login *l, const char *op) {
  pc_login_tell(l, 1,
                "Too many password reset attempts; wait a while, then log "
                "in again.");
  pc_login_detail(l, "%s: %s: %s", op, l->r->err.type, l->r->err.message);
  return PC_ERR_ABORTED;
}

/* ForgotPassword, and where the code went. */
static enum pc_status send_code(struct login *l) {
  json_object *resp = NULL, *details;
  const char *dest;
  char clean[128], msg[192];
  enum pc_status st = call(l, "ForgotPassword", request(l), &resp);

  /* lib/net/api_errors.c: LimitExceededException is PC_ERR_LOCKED. */
  if (st != PC_OK && strcmp(l->r->err.type, "LimitExceededException") == 0)
    return too_fast(l, "ForgotPassword");
  if (st == PC_ERR_INVALID_PARAM) {
    /* No verified email or phone number to send a code to: only an
     * administrator can help. */
    pc_login_tell(l, 1,
                  "Your password must be reset, but no code can be sent to "
                  "you; ask your administrator.");
    pc_login_detail(l, "ForgotPassword: %s: %s", l->r->err.type,
                    l->r->err.message);
    return PC_ERR_ABORTED;
  }
  if (st != PC_OK)
    return st;
  details = json_object_object_get(resp, "CodeDeliveryDetails");
  dest = pc_json_str(details, "Destination");
  pc_sanitize(clean, sizeof(clean), dest ? dest : ""); /* server text */
  if (*clean)
    snprintf(msg, sizeof(msg), "A code was sent to %s.", clean);
  else
    snprintf(msg, sizeof(msg), "%s", "A code was sent to you.");
  pc_login_tell(l, 0, msg);
  json_object_put(resp);
  return PC_OK;
}

static enum pc_status no_answer(struct login *l) {
  pc_login_tell(l, 1,
                "Your password must be reset, which needs more than one "
                "prompt: log in with keyboard-interactive authentication "
                "(see the pam_cognito README).");
  pc_login_detail(l, "%s",
                  "password reset: the conversation could not answer an "
                  "interactive prompt (sshd needs keyboard-interactive "
                  "authentication)");
  return PC_ERR_CONV;
}

/* Nothing is sent until the user asks for it: a conversation that cannot
 * answer a visible prompt (sshd's PasswordAuthentication) ends the reset
 * here, before a code goes to the user's mail or phone on every attempt. */
static enum pc_status ask_to_send(struct login *l) {
  char *answer = NULL;
  int yes;

  if (pc_login_ask(l, PC_PROMPT_VISIBLE, "Send a code to reset it? [Y/n] ",
                   &answer) != 0)
    return no_answer(l);
  yes = !*answer || strcasecmp(answer, "y") == 0 ||
        strcasecmp(answer, "yes") == 0;
  pc_free_secret(&answer);
  if (yes)
    return PC_OK;
  pc_login_tell(l, 1, "No code sent; the password was not reset.");
  pc_login_detail(l, "%s", "password reset: the user sent no code");
  return PC_ERR_ABORTED;
}

/* The code, visible as the user types it. PC_OK with *code set. */
static enum pc_status ask_code(struct login *l, char **code) {
  if (pc_login_ask(l, PC_PROMPT_VISIBLE, "Code: ", code) != 0)
    return no_answer(l);
  if (!**code) {
    pc_free_secret(code);
    pc_login_tell(l, 1, "No code given; the password was not reset.");
    pc_login_detail(l, "%s", "password reset: no code given");
    return PC_ERR_ABORTED;
  }
  return PC_OK;
}

/* PC_OK with *pw set, or with *pw NULL after a mismatch (ask again). */
static enum pc_status ask_password(struct login *l, char **pw) {
  switch (pc_login_ask_new_password(l, NULL, pw)) {
  case PC_NEW_PASSWORD_OK:
    return PC_OK;
  case PC_NEW_PASSWORD_EMPTY:
    pc_login_tell(l, 1, "No new password given; the password was not reset.");
    pc_login_detail(l, "%s", "password reset: no new password given");
    return PC_ERR_ABORTED;
  case PC_NEW_PASSWORD_SAME:
  case PC_NEW_PASSWORD_NO_ANSWER:
    break;
  }
  return no_answer(l);
}

static enum pc_status confirm(struct login *l, const char *code,
                              const char *pw) {
  json_object *resp = NULL, *req = request(l);
  enum pc_status st;

  req = pc_json_keep(req, !req ||
                              pc_json_add_str(req, "ConfirmationCode", code) ||
                              pc_json_add_str(req, "Password", pw));
  st = call(l, "ConfirmForgotPassword", req, &resp);
  json_object_put(resp);
  return st;
}

/* A rejection of the new password itself (policy, history, or a shape
 * Cognito checks as a parameter): ask for another one. */
static int password_rejected(struct login *l, enum pc_status st) {
  const struct pc_error *e = &l->r->err;

  return st == PC_ERR_INVALID_PASSWORD ||
         strcmp(e->type, "PasswordHistoryPolicyViolationException") == 0 ||
         (st == PC_ERR_INVALID_PARAM && strstr(e->message, "assword"));
}

enum pc_status pc_reset_password(struct login *l, char **new_password) {
  int tries = l->o->max_attempts > 0 ? l->o->max_attempts : 3;
  int try, sends = 1;
  char *code = NULL, *pw = NULL;
  enum pc_status st;

  *new_password = NULL;
  if (l->p && l->p->quiet) {
    /* The code's destination and the outcome could not be shown. */
    pc_login_detail(l, "%s",
                    "password reset required, and the application asked "
                    "for silence (PAM_SILENT): no reset at this prompt");
    return PC_ERR_PASSWORD_RESET;
  }
  pc_login_tell(l, 0, "Your password must be reset.");
  st = ask_to_send(l);
  if (st == PC_OK)
    st = send_code(l);
  for (try = 1; st == PC_OK; try++) {
    if (try > tries) {
      pc_login_tell(l, 1,
                    "Too many failed attempts; the password was not reset.");
      pc_login_detail(l, "%s", "password reset: too many attempts");
      st = PC_ERR_AUTH;
      break;
    }
    if (!code && (st = ask_code(l, &code)) != PC_OK)
      break;
    if (!pw && ((st = ask_password(l, &pw)) != PC_OK || !pw))
      continue; /* an error ends the loop; a mismatch asks again */
    st = confirm(l, code, pw);
    if (st == PC_OK) {
      pc_login_tell(l, 0, "Your password has been reset.");
      *new_password = pw;
      pw = NULL;
      break;
    }
    if (password_rejected(l, st)) {
      pc_login_tell(l, 1,
                    pc_login_server_message(l, "The new password was "
                                               "rejected."));
      pc_free_secret(&pw);
      st = PC_OK;
    } else if (st == PC_ERR_CODE_MISMATCH || st == PC_ERR_INVALID_PARAM) {
      /* A code that is not digits is an invalid parameter: a wrong code. */
      pc_login_tell(l, 1, "Wrong code, try again.");
      pc_free_secret(&code);
      st = PC_OK;
    } else if (st == PC_ERR_EXPIRED && sends < tries) {
      pc_login_tell(l, 1, "The code has expired; a new one is on its way.");
      pc_free_secret(&code);
      sends++;
      st = send_code(l);
    } else if (strcmp(l->r->err.type, "LimitExceededException") == 0) {
      st = too_fast(l, "ConfirmForgotPassword");
    } else if (pc_status_no_answer(st)) {
      /* The request went out and no usable answer came back: Cognito may
       * have set the password all the same. */
      pc_login_tell(l, 1,
                    "Cognito's answer was lost; the new password may already "
                    "be in effect: try it first at the next login.");
    }
    /* Anything else ends the reset; lib/net/api_errors.c has the words (an
     * expired code: "log in again"), said once where the login ends. */
  }
  pc_free_secret(&code);
  pc_free_secret(&pw);
  return st;
}
