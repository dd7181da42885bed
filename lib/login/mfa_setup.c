/* SPDX-License-Identifier: MIT */
/* MFA enrolment at the prompt; see mfa_setup.h. The authenticator app's
 * secret is shown three ways (a QR code, the otpauth:// URI, the bare key)
 * and proved with a code before the challenge is answered. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/codec.h"
#include "base/error.h"
#include "base/secret.h"
#include "login/mfa_setup.h"
#include "login/qr.h"

/* PAM conversations may cut a message at 512 bytes (PAM_MAX_MSG_SIZE):
 * long text goes out in pieces, split at line ends. */
#define MSG_PIECE 480

static enum pc_status no_answer(struct login *l) {
  pc_login_tell(l, 1,
                "Setting up multi-factor authentication needs more than "
                "one prompt: log in with keyboard-interactive "
                "authentication (see the pam_cognito README).");
  pc_login_detail(l, "%s",
                  "MFA_SETUP: the conversation could not answer an "
                  "interactive prompt (sshd needs keyboard-interactive "
                  "authentication)");
  return PC_ERR_CONV;
}

static void tell_long(struct login *l, const char *text) {
  char piece[MSG_PIECE + 1];

  while (*text) {
    size_t n = strlen(text);
    if (n > MSG_PIECE) {
      const char *cut = text + MSG_PIECE;
      while (cut > text && *cut != '\n')
        cut--;
      n = cut > text ? (size_t)(cut - text) : MSG_PIECE;
    }
    memcpy(piece, text, n);
    piece[n] = '\0';
    pc_login_tell(l, 0, piece);
    text += n;
    if (*text == '\n')
      text++;
  }
  pc_wipe(piece, sizeof(piece));
}

char *pc_mfa_otpauth_uri(const char *issuer, const char *user,
                         const char *secret) {
  size_t cap = 64 + 3 * (2 * strlen(issuer) + strlen(user)) + strlen(secret);
  struct pc_buf b;
  char *out = NULL;

  pc_buf_init(&b, cap);
  if (pc_buf_append(&b, "otpauth://totp/", 15) == 0 &&
      pc_pct_encode(&b, issuer) == 0 && pc_buf_append(&b, ":", 1) == 0 &&
      pc_pct_encode(&b, user) == 0 &&
      pc_buf_appendf(&b, "?secret=%s&issuer=", secret) == 0 &&
      pc_pct_encode(&b, issuer) == 0 && (out = malloc(b.len + 1)) != NULL)
    memcpy(out, b.data, b.len + 1);
  pc_buf_free(&b);
  return out;
}

static enum pc_status call(struct login *l, const char *op, json_object *req,
                           json_object **resp) {
  *resp = NULL;
  req = pc_json_keep(req, !req || !l->session ||
                              pc_json_add_str(req, "Session", l->session));
  return pc_api_send(l->cl, PC_USER_POOL, op, req, resp, &l->r->err);
}

/* Move the reply's Session into l->session (each step returns a new one). */
static enum pc_status take_session(struct login *l, json_object *resp,
                                   const char *op) {
  const char *s = pc_json_str(resp, "Session");

  if (!s || !*s) {
    pc_login_detail(l, "%s: reply without Session", op);
    return PC_ERR_PROTOCOL;
  }
  pc_free_secret(&l->session);
  return (l->session = strdup(s)) ? PC_OK : PC_ERR_NOMEM;
}

/* Show the secret: QR code, URI, bare key. */
static enum pc_status show_secret(struct login *l, const char *secret) {
  const struct pc_config *cfg = l->cl->cfg;
  char *uri = pc_mfa_otpauth_uri(cfg->totp_issuer ? cfg->totp_issuer
                                                  : cfg->user_pool_id,
                                 l->o->username, secret);
  char *qr = uri ? pc_qr_text(uri) : NULL;
  size_t n = (uri ? strlen(uri) : 0) + strlen(secret) + 64;
  char *text = malloc(n);

  if (!uri || !text) {
    pc_free_secret(&uri);
    pc_free_secret(&qr);
    free(text);
    return PC_ERR_NOMEM;
  }
  pc_login_tell(l, 0,
                "Set up an authenticator app for this account: scan the QR "
                "code, or enter the key by hand.");
  if (qr)
    tell_long(l, qr);
  snprintf(text, n, "Key: %s\nURI: %s", secret, uri);
  tell_long(l, text);
  pc_wipe(text, n);
  free(text);
  pc_free_secret(&uri);
  pc_free_secret(&qr);
  return PC_OK;
}

/* A code that does not prove the secret: ask again. */
static int wrong_code(struct login *l, enum pc_status st) {
  return st == PC_ERR_CODE_MISMATCH || st == PC_ERR_INVALID_PARAM ||
         strcmp(l->r->err.type, "EnableSoftwareTokenMFAException") == 0;
}

static enum pc_status verify(struct login *l) {
  enum pc_status st = PC_ERR_AUTH;
  int try;

  for (try = 1; try <= pc_login_attempts(l); try++) {
    json_object *req = json_object_new_object(), *resp = NULL;
    char *code = NULL;
    const char *status;

    if (pc_login_ask(l, PC_PROMPT_VISIBLE, "Authenticator app code: ", &code) !=
        0) {
      json_object_put(req);
      return no_answer(l);
    }
    if (!*code) {
      json_object_put(req);
      pc_free_secret(&code);
      pc_login_tell(l, 1, "No code given.");
      pc_login_detail(l, "%s", "MFA_SETUP: no code given");
      return PC_ERR_ABORTED;
    }
    req = pc_json_keep(req, !req || pc_json_add_str(req, "UserCode", code));
    pc_free_secret(&code);
    st = call(l, "VerifySoftwareToken", req, &resp);
    if (st == PC_OK) {
      status = pc_json_str(resp, "Status");
      if (!status || strcmp(status, "SUCCESS") != 0) {
        pc_login_detail(l, "VerifySoftwareToken: status %s",
                        status ? "ERROR" : "missing");
        st = PC_ERR_AUTH;
      } else {
        st = take_session(l, resp, "VerifySoftwareToken");
      }
      pc_json_put_secret(resp);
      return st;
    }
    if (!wrong_code(l, st))
      return st;
    pc_login_tell(l, 1,
                  try < pc_login_attempts(l) ? "Wrong code, try again."
                                             : "Wrong code.");
  }
  pc_login_detail(l, "%s", "MFA_SETUP: too many wrong codes");
  return PC_ERR_AUTH;
}

static enum pc_status answer_challenge(struct login *l, const char *key,
                                       const char *value) {
  json_object *rp = NULL;
  json_object *req = pc_login_request(l, "ChallengeResponses", l->user_id, &rp);

  if (key)
    req = pc_json_keep(req, !req || pc_json_add_str(rp, key, value));
  return pc_login_respond(l, "MFA_SETUP", req);
}

static enum pc_status setup_totp(struct login *l) {
  json_object *resp = NULL;
  const char *secret;
  enum pc_status st =
      call(l, "AssociateSoftwareToken", json_object_new_object(), &resp);

  if (st != PC_OK)
    return st;
  secret = pc_json_str(resp, "SecretCode");
  if (!secret || !*secret) {
    pc_login_detail(l, "%s",
                    "AssociateSoftwareToken: reply without SecretCode");
    st = PC_ERR_PROTOCOL;
  }
  if (st == PC_OK)
    st = take_session(l, resp, "AssociateSoftwareToken");
  if (st == PC_OK)
    st = show_secret(l, secret);
  pc_json_put_secret(resp);
  if (st == PC_OK)
    st = verify(l);
  if (st == PC_OK)
    st = answer_challenge(l, NULL, NULL);
  if (st == PC_OK)
    pc_login_tell(l, 0, "Authenticator app set up.");
  return st;
}

/* Email codes: Cognito sends one to the address given in the answer and
 * raises EMAIL_OTP, which the login loop then meets like any code. */
static enum pc_status setup_email(struct login *l) {
  enum pc_status st = PC_ERR_AUTH;
  int try;

  for (try = 1; try <= pc_login_attempts(l); try++) {
    char *addr = NULL;

    if (pc_login_ask(l, PC_PROMPT_VISIBLE, "Email address: ", &addr) != 0)
      return no_answer(l);
    if (!*addr) {
      pc_free_secret(&addr);
      pc_login_tell(l, 1, "No email address given.");
      pc_login_detail(l, "%s", "MFA_SETUP: no email address given");
      return PC_ERR_ABORTED;
    }
    st = answer_challenge(l, "EMAIL", addr);
    pc_free_secret(&addr);
    if (st != PC_ERR_INVALID_PARAM)
      return st;
    pc_login_tell(l, 1,
                  pc_login_server_message(l, "That address was "
                                             "refused."));
  }
  pc_login_detail(l, "%s", "MFA_SETUP: no usable email address");
  return PC_ERR_AUTH;
}

/* Which method to set up: the only one, or the user's choice. */
static const char *choose(struct login *l, int totp, int email) {
  int try;

  if (!email)
    return totp ? "SOFTWARE_TOKEN_MFA" : NULL;
  if (!totp)
    return "EMAIL_OTP";
  for (try = 1; try <= pc_login_attempts(l); try++) {
    char *a = NULL;
    const char *pick = NULL;

    pc_login_tell(l, 0,
                  "Choose a second factor for this account:\n"
                  "  1) authenticator app\n  2) email codes");
    if (pc_login_ask(l, PC_PROMPT_VISIBLE, "Method [1-2]: ", &a) != 0)
      return "";
    if (strcmp(a, "1") == 0 || strcmp(a, "SOFTWARE_TOKEN_MFA") == 0)
      pick = "SOFTWARE_TOKEN_MFA";
    else if (strcmp(a, "2") == 0 || strcmp(a, "EMAIL_OTP") == 0)
      pick = "EMAIL_OTP";
    pc_free_secret(&a);
    if (pick)
      return pick;
    pc_login_tell(l, 1, "Please answer with one of the numbers shown.");
  }
  return NULL;
}

enum pc_status pc_mfa_setup(struct login *l, json_object *params) {
  const char *text = pc_json_str(params, "MFAS_CAN_SETUP");
  json_object *list = text ? json_tokener_parse(text) : NULL;
  size_t i, n;
  int totp = 0, email = 0;
  const char *method;

  n = list && json_object_is_type(list, json_type_array)
          ? json_object_array_length(list)
          : 0;
  for (i = 0; i < n; i++) {
    const char *m = json_object_get_string(json_object_array_get_idx(list, i));
    totp |= m && strcmp(m, "SOFTWARE_TOKEN_MFA") == 0;
    email |= m && strcmp(m, "EMAIL_OTP") == 0;
  }
  json_object_put(list);
  if (l->p && l->p->quiet) {
    pc_login_detail(l, "%s",
                    "MFA_SETUP: the application asked for silence "
                    "(PAM_SILENT), so the secret cannot be shown");
    return PC_ERR_UNSUPPORTED;
  }
  if (!totp && !email) {
    pc_login_tell(l, 1,
                  "Your account must set up multi-factor authentication "
                  "with a method this login cannot offer. Set it up through "
                  "your organisation's sign-in page, then try again.");
    pc_login_detail(l,
                    "MFA_SETUP: no method to set up here (MFAS_CAN_SETUP "
                    "%s)",
                    text ? "lists neither SOFTWARE_TOKEN_MFA nor EMAIL_OTP"
                         : "missing");
    return PC_ERR_UNSUPPORTED;
  }
  pc_login_tell(l, 0,
                "Your account needs multi-factor authentication; set it up "
                "now.");
  method = choose(l, totp, email);
  if (method && !*method)
    return no_answer(l);
  if (!method) {
    pc_login_detail(l, "%s", "MFA_SETUP: no valid choice");
    return PC_ERR_ABORTED;
  }
  return strcmp(method, "EMAIL_OTP") == 0 ? setup_email(l) : setup_totp(l);
}
