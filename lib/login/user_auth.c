/* SPDX-License-Identifier: MIT */
/* Choice-based sign-in (USER_AUTH): the password as PASSWORD_SRP or
 * PASSWORD named in InitiateAuth itself (no extra round trip), and a
 * one-time code by email or SMS as the first factor. The host's
 * first_factors decide what is ever offered; the pool's AvailableChallenges
 * what this user can use. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "base/secret.h"
#include "login/login_internal.h"

/* A first factor by code: its challenge, the answer's key, the words. */
struct code_factor {
  unsigned bit;
  const char *name, *answer_key, *label, *prompt;
};

static const struct code_factor code_factors[] = {
    {PC_FACTOR_EMAIL_OTP, "EMAIL_OTP", "EMAIL_OTP_CODE", "email",
     "Email code: "},
    {PC_FACTOR_SMS_OTP, "SMS_OTP", "SMS_OTP_CODE", "SMS", "SMS code: "},
};
#define N_CODE_FACTORS (sizeof(code_factors) / sizeof(code_factors[0]))

int pc_login_uses_srp(const struct pc_config *cfg) {
  if (cfg->auth_flow == PC_FLOW_USER_AUTH)
    return (cfg->first_factors & PC_FACTOR_PASSWORD_SRP) != 0;
  return cfg->auth_flow == PC_FLOW_SRP;
}

int pc_login_user_auth_params(struct login *l, json_object *params,
                              const struct pc_srp *srp) {
  if (srp)
    return pc_json_add_str(params, "PREFERRED_CHALLENGE", "PASSWORD_SRP") ||
           pc_json_add_str(params, "SRP_A", pc_srp_A_hex(srp));
  return pc_json_add_str(params, "PREFERRED_CHALLENGE", "PASSWORD") ||
         pc_json_add_str(params, "PASSWORD", l->o->password);
}

/* AvailableChallenges of the last reply as "A, B" for the log. */
static void available_text(struct login *l, char *out, size_t n) {
  json_object *list = json_object_object_get(l->resp, "AvailableChallenges");
  size_t i, len = 0, count;
  char clean[32];

  out[0] = '\0';
  count = json_object_is_type(list, json_type_array)
              ? json_object_array_length(list)
              : 0;
  for (i = 0; i < count && len + 1 < n; i++) {
    pc_sanitize(clean, sizeof(clean),
                json_object_get_string(json_object_array_get_idx(list, i)));
    len += (size_t)snprintf(out + len, n - len, "%s%s", i ? ", " : "", clean);
  }
}

/* 1 when the last reply lists name among AvailableChallenges. */
static int available(struct login *l, const char *name) {
  json_object *list = json_object_object_get(l->resp, "AvailableChallenges");
  size_t i, n;

  if (!json_object_is_type(list, json_type_array))
    return 0;
  n = json_object_array_length(list);
  for (i = 0; i < n; i++) {
    const char *s = json_object_get_string(json_object_array_get_idx(list, i));
    if (s && strcmp(s, name) == 0)
      return 1;
  }
  return 0;
}

enum pc_status pc_login_select_challenge(struct login *l) {
  char text[160];

  available_text(l, text, sizeof(text));
  pc_login_detail(l,
                  "USER_AUTH: password sign-in is not available to this "
                  "user (AvailableChallenges: %s)",
                  text[0] ? text : "none");
  if (l->cl->cfg->first_factors & PC_FACTORS_CODE)
    pc_login_tell(l, 1,
                  "Your account cannot sign in with a password; press Enter "
                  "at the password prompt for a one-time code.");
  else
    pc_login_tell(l, 1, "Your account cannot sign in with a password here.");
  return PC_ERR_AUTH;
}

/* InitiateAuth USER_AUTH; preferred (a factor) or NULL for the choice. */
enum pc_status pc_login_user_auth_initiate(struct login *l,
                                           const char *preferred) {
  json_object *params = NULL;
  json_object *req =
      pc_login_request(l, "AuthParameters", l->o->username, &params);

  req = pc_json_keep(
      req, !req || pc_json_add_str(req, "AuthFlow", "USER_AUTH") ||
               (preferred &&
                pc_json_add_str(params, "PREFERRED_CHALLENGE", preferred)));
  return pc_login_call(l, "InitiateAuth", req);
}

/* Keep the reply's Session for the next answer; 0 when it has the
 * challenge expected. */
enum pc_status pc_login_user_auth_expect(struct login *l,
                                         const char *challenge) {
  const char *name = pc_json_str(l->resp, "ChallengeName");
  const char *session = pc_json_str(l->resp, "Session");

  if (!name || strcmp(name, challenge) != 0 || !session) {
    pc_login_detail(l, "USER_AUTH: expected %s with a Session", challenge);
    return PC_ERR_PROTOCOL;
  }
  pc_sanitize(l->r->challenge, sizeof(l->r->challenge), name);
  pc_free_secret(&l->session);
  return (l->session = strdup(session)) ? PC_OK : PC_ERR_NOMEM;
}

static enum pc_status no_answer(struct login *l) {
  pc_login_tell(l, 1,
                "A one-time code needs more than one prompt: log in with "
                "keyboard-interactive authentication (see the pam_cognito "
                "README).");
  pc_login_detail(l, "%s",
                  "one-time code: the conversation could not answer an "
                  "interactive prompt (sshd needs keyboard-interactive "
                  "authentication for a code); no code was sent");
  return PC_ERR_CONV;
}

/* Ask which factor, before anything is sent: a conversation that cannot
 * answer a visible prompt (sshd's PasswordAuthentication) sends no code. */
static enum pc_status choose(struct login *l, const struct code_factor **list,
                             size_t n, const struct code_factor **pick) {
  char prompt[96], *answer = NULL;
  int try;

  for (try = 1; try <= pc_login_attempts(l); try++) {
    if (n == 1)
      snprintf(prompt, sizeof(prompt), "Send a code by %s? [Y/n] ",
               list[0]->label);
    else
      snprintf(prompt, sizeof(prompt),
               "Send a one-time code by 1) %s or 2) %s? [1-2] ", list[0]->label,
               list[1]->label);
    if (pc_login_ask(l, PC_PROMPT_VISIBLE, prompt, &answer) != 0)
      return no_answer(l);
    if (n == 1 && (!*answer || strcasecmp(answer, "y") == 0 ||
                   strcasecmp(answer, "yes") == 0))
      *pick = list[0];
    else if (n == 2 && (strcmp(answer, "1") == 0 ||
                        strcasecmp(answer, list[0]->label) == 0))
      *pick = list[0];
    else if (n == 2 && (strcmp(answer, "2") == 0 ||
                        strcasecmp(answer, list[1]->label) == 0))
      *pick = list[1];
    pc_free_secret(&answer);
    if (*pick || n == 1)
      break;
    pc_login_tell(l, 1, "Please answer 1 or 2.");
  }
  if (*pick)
    return PC_OK;
  pc_login_tell(l, 1, "No code was sent.");
  pc_login_detail(l, "%s", "one-time code: the user asked for none");
  return PC_ERR_ABORTED;
}

/* The code's challenge has arrived (sent by SELECT_CHALLENGE's answer or a
 * PREFERRED_CHALLENGE): say where it went. A send refused for too many
 * codes is told as that. */
static enum pc_status announce(struct login *l, const struct code_factor *f,
                               enum pc_status st) {
  json_object *cp = json_object_object_get(l->resp, "ChallengeParameters");
  const char *dest = pc_json_str(cp, "CODE_DELIVERY_DESTINATION");
  char clean[128], msg[200];

  if (st == PC_ERR_LOCKED && strstr(l->r->err.type, "LimitExceeded")) {
    pc_login_tell(l, 1,
                  "Too many codes were sent to you; wait a while before "
                  "asking for another.");
    pc_login_detail(l, "one-time code by %s: resend limit (%s)", f->label,
                    l->r->err.message);
    return PC_ERR_ABORTED; /* told: the error table adds nothing */
  }
  if (st != PC_OK || (st = pc_login_user_auth_expect(l, f->name)) != PC_OK)
    return st;
  pc_sanitize(clean, sizeof(clean), dest ? dest : "");
  if (*clean)
    snprintf(msg, sizeof(msg), "A code was sent to %s.", clean);
  else
    snprintf(msg, sizeof(msg), "A code was sent by %s.", f->label);
  pc_login_tell(l, 0, msg);
  return PC_OK;
}

/* Ask for the code until it is right or max_attempts answers were wrong,
 * expired or spent: Cognito's words each time. An expired code
 * (ExpiredCodeException) or a session Cognito no longer takes (expired
 * after the app client's AuthSessionValidity, or dead after too many wrong
 * codes: the error table's "Invalid session" row) is PC_ERR_EXPIRED and
 * brings a new code; any other refusal ends the login. */
static enum pc_status code_rounds(struct login *l,
                                  const struct code_factor *f) {
  int try, max = pc_login_attempts(l);
  enum pc_status st = PC_ERR_AUTH;
  char said[256];

  for (try = 1; try <= max; try++) {
    char *code = NULL;
    int fresh;

    if (pc_login_ask(l, PC_PROMPT_VISIBLE, f->prompt, &code) != 0)
      return no_answer(l);
    if (!*code) {
      pc_free_secret(&code);
      pc_login_tell(l, 1, "No code given.");
      pc_login_detail(l, "%s: no code given", f->name);
      return PC_ERR_ABORTED;
    }
    st = pc_login_respond_code(l, f->name, f->answer_key, code);
    pc_free_secret(&code);
    fresh = st == PC_ERR_EXPIRED;
    if (st != PC_ERR_CODE_MISMATCH && !fresh)
      return st;
    snprintf(said, sizeof(said), "%s",
             pc_login_server_message(l, "Wrong code."));
    pc_login_tell(l, 1, said);
    if (try < max && fresh)
      st = announce(l, f, pc_login_user_auth_initiate(l, f->name));
    if (st == PC_ERR_ABORTED || st == PC_ERR_NOMEM || st == PC_ERR_PROTOCOL)
      return st;
  }
  pc_login_detail(l, "%s: %d wrong, expired or spent codes", f->name, max);
  return PC_ERR_AUTH; /* told already */
}

enum pc_status pc_login_code_first(struct login *l) {
  const struct code_factor *offered[N_CODE_FACTORS], *pick = NULL;
  unsigned allowed = l->cl->cfg->first_factors;
  size_t i, n = 0;
  char text[160];
  enum pc_status st = pc_login_user_auth_initiate(l, NULL);

  if (st == PC_OK)
    st = pc_login_user_auth_expect(l, "SELECT_CHALLENGE");
  if (st != PC_OK)
    return st;
  for (i = 0; i < N_CODE_FACTORS; i++)
    if ((allowed & code_factors[i].bit) && available(l, code_factors[i].name))
      offered[n++] = &code_factors[i];
  if (n == 0) {
    available_text(l, text, sizeof(text));
    pc_login_tell(l, 1, "No one-time code can be sent to your account here.");
    pc_login_detail(l,
                    "one-time code: none of first_factors is available to "
                    "this user (AvailableChallenges: %s)",
                    text[0] ? text : "none");
    return PC_ERR_AUTH;
  }
  if ((st = choose(l, offered, n, &pick)) != PC_OK)
    return st;
  {
    json_object *rp = NULL;
    json_object *req =
        pc_login_request(l, "ChallengeResponses", l->user_id, &rp);

    req = pc_json_keep(req, !req || pc_json_add_str(rp, "ANSWER", pick->name));
    st = announce(l, pick, pc_login_respond(l, "SELECT_CHALLENGE", req));
  }
  l->r->code_login = 1;
  return st == PC_OK ? code_rounds(l, pick) : st;
}
