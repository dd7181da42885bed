/* SPDX-License-Identifier: MIT */
/* Answers to the challenges Cognito raises after the password: a forced new
 * password, one-time codes (SMS, authenticator app, email) and the choice of
 * MFA method. Each asks through the prompter and retries within bounds. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/secret.h"
#include "login/login_internal.h"
#include "login/mfa_setup.h"

#define KBD_HINT                                                               \
  "This login needs more than one prompt: use keyboard-interactive "           \
  "authentication (see the pam_cognito README)."

int pc_login_attempts(const struct login *l) {
  return l->o->max_attempts > 0 ? l->o->max_attempts : 3;
}

enum pc_status pc_login_respond_one(struct login *l, const char *challenge,
                                    const char *key, const char *value) {
  json_object *rp = NULL;
  json_object *req = pc_login_request(l, "ChallengeResponses", l->user_id, &rp);

  req = pc_json_keep(req, !req || pc_json_add_str(rp, key, value));
  return pc_login_respond(l, challenge, req);
}

enum pc_status pc_login_respond_code(struct login *l, const char *challenge,
                                     const char *key, const char *code) {
  enum pc_status st = pc_login_respond_one(l, challenge, key, code);

  /* Cognito rejects a code that is not digits as an invalid parameter:
   * to the user it is a wrong code like any other. */
  return st == PC_ERR_INVALID_PARAM ? PC_ERR_CODE_MISMATCH : st;
}

/* A conversation that answers every prompt with the login password (sshd
 * with PasswordAuthentication) cannot do challenges; say what to change
 * instead of sending the password as an answer. */
static enum pc_status replayed_password(struct login *l, const char *what) {
  pc_login_tell(l, 1, KBD_HINT);
  pc_login_detail(l,
                  "%s: the conversation repeated the login password "
                  "(sshd PasswordAuthentication?)",
                  what);
  return PC_ERR_CONV;
}

static enum pc_status no_answer(struct login *l, const char *what) {
  pc_login_detail(l,
                  "%s: the conversation could not answer an interactive "
                  "prompt (sshd needs keyboard-interactive authentication "
                  "for challenges)",
                  what);
  return PC_ERR_CONV;
}

/* A JSON array of strings sent as a string parameter (requiredAttributes,
 * MFAS_CAN_CHOOSE). NULL when absent or malformed. */
static json_object *string_list(json_object *params, const char *key) {
  const char *text = pc_json_str(params, key);
  json_object *list = text ? json_tokener_parse(text) : NULL;

  if (list && !json_object_is_type(list, json_type_array)) {
    json_object_put(list);
    list = NULL;
  }
  return list;
}

/* Ask for each required attribute ("userAttributes.name") by its name. The
 * answers go into attrs as {"userAttributes.name": value}. */
static enum pc_status ask_attributes(struct login *l, json_object *required,
                                     json_object *attrs) {
  size_t i, n = required ? json_object_array_length(required) : 0;

  for (i = 0; i < n; i++) {
    const char *key =
        json_object_get_string(json_object_array_get_idx(required, i));
    const char *dot = key ? strchr(key, '.') : NULL;
    char name[128], prompt[160], *value = NULL;
    int bad;

    if (!dot || !dot[1])
      continue;
    pc_sanitize(name, sizeof(name), dot + 1); /* server text */
    snprintf(prompt, sizeof(prompt), "%s: ", name);
    if (pc_login_ask(l, PC_PROMPT_VISIBLE, prompt, &value) != 0)
      return no_answer(l, "NEW_PASSWORD_REQUIRED");
    bad = pc_json_add_str(attrs, key, value);
    pc_free_secret(&value);
    if (bad)
      return PC_ERR_NOMEM;
  }
  return PC_OK;
}

/* PC_OK with *pw set, or with *pw NULL after a mismatch (ask again), or
 * an error that ends the challenge. */
static enum pc_status ask_new_password(struct login *l, char **pw) {
  switch (pc_login_ask_new_password(l, l->o->password, pw)) {
  case PC_NEW_PASSWORD_OK:
    return PC_OK;
  case PC_NEW_PASSWORD_EMPTY:
    pc_login_tell(l, 1, "No new password given.");
    return PC_ERR_ABORTED;
  case PC_NEW_PASSWORD_SAME:
    return replayed_password(l, "NEW_PASSWORD_REQUIRED");
  case PC_NEW_PASSWORD_NO_ANSWER:
    break;
  }
  return no_answer(l, "NEW_PASSWORD_REQUIRED");
}

/* 1 when word occurs in text as a whole word, ignoring case ("name" is in
 * "name is missing", not in "challengeName"). */
static int has_word(const char *text, const char *word) {
  size_t n = strlen(word);
  const char *at;

  for (at = text; n && (at = strcasestr(at, word)) != NULL; at++) {
    int before = at > text && (isalnum((unsigned char)at[-1]) || at[-1] == '_');
    int after = isalnum((unsigned char)at[n]) || at[n] == '_';
    if (!before && !after)
      return 1;
  }
  return 0;
}

/* Cognito refused the value of an attribute the user gave (a phone number
 * without +country code, say), naming it in its message: show the message
 * and (when ask is set) ask for that attribute again. PC_ERR_INVALID_PARAM
 * when the message names none of them (nothing the user can fix). */
static enum pc_status ask_attribute_again(struct login *l, json_object *attrs,
                                          int ask) {
  const char *msg = l->r->err.message;
  char shown[512];

  json_object_object_foreach(attrs, key, val) {
    const char *dot = strchr(key, '.');
    char name[128], spaced[128], prompt[160], *value = NULL, *c;
    int bad;

    (void)val;
    if (!dot || !dot[1])
      continue;
    pc_sanitize(name, sizeof(name), dot + 1);
    snprintf(spaced, sizeof(spaced), "%s", name); /* "phone number" */
    for (c = spaced; *c; c++)
      if (*c == '_')
        *c = ' ';
    if (!has_word(msg, name) && !has_word(msg, spaced))
      continue;
    snprintf(shown, sizeof(shown), "%s", msg); /* the reply goes stale */
    pc_login_tell(l, 1, shown);
    if (!ask)
      return PC_OK;
    snprintf(prompt, sizeof(prompt), "%s: ", name);
    if (pc_login_ask(l, PC_PROMPT_VISIBLE, prompt, &value) != 0)
      return no_answer(l, "NEW_PASSWORD_REQUIRED");
    bad = pc_json_add_str(attrs, key, value);
    pc_free_secret(&value);
    return bad ? PC_ERR_NOMEM : PC_OK;
  }
  return PC_ERR_INVALID_PARAM;
}

static enum pc_status new_password(struct login *l, json_object *params) {
  json_object *required = string_list(params, "requiredAttributes");
  json_object *attrs = json_object_new_object();
  enum pc_status st;
  char *pw = NULL;
  int try;

  pc_login_tell(l, 0, "You are required to change your password now.");
  st = attrs ? ask_attributes(l, required, attrs) : PC_ERR_NOMEM;
  /* A local mismatch, a policy rejection or a malformed attribute asks
   * again: any other answer from the server (an expired session, say) ends
   * here. */
  for (try = 1; st == PC_OK; try++) {
    json_object *req, *rp = NULL;

    if (try > pc_login_attempts(l)) {
      pc_login_tell(l, 1,
                    "Too many failed attempts; the password was not "
                    "changed.");
      pc_login_detail(l, "%s", "NEW_PASSWORD_REQUIRED: too many attempts");
      st = PC_ERR_AUTH;
      break;
    }
    if (!pw && ((st = ask_new_password(l, &pw)) != PC_OK || pw == NULL))
      continue; /* an error ends the loop; a mismatch asks again */
    req = pc_login_request(l, "ChallengeResponses", l->user_id, &rp);
    req = pc_json_keep(req, !req || pc_json_add_str(rp, "NEW_PASSWORD", pw));
    json_object_object_foreach(attrs, key, val) {
      req = pc_json_keep(
          req, !req || pc_json_add_str(rp, key, json_object_get_string(val)));
    }
    st = pc_login_respond(l, "NEW_PASSWORD_REQUIRED", req);
    if (st == PC_OK) {
      pc_free_secret(&l->r->new_password);
      l->r->new_password = pw; /* for PAM_AUTHTOK */
      pw = NULL;
      break;
    }
    if (st == PC_ERR_INVALID_PASSWORD) {
      pc_login_tell(l, 1,
                    pc_login_server_message(l, "The new password was "
                                               "rejected."));
      pc_free_secret(&pw);
      st = PC_OK;
    } else if (st == PC_ERR_INVALID_PARAM) {
      /* The password stays; no question when no try is left. */
      st = ask_attribute_again(l, attrs, try < pc_login_attempts(l));
    }
  }
  pc_free_secret(&pw);
  json_object_put(required);
  pc_json_put_secret(attrs);
  return st;
}

struct code_kind {
  const char *challenge, *answer_key, *prompt, *medium;
};

static const struct code_kind code_kinds[] = {
    {"SMS_MFA", "SMS_MFA_CODE", "SMS code: ", "by SMS"},
    {"SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE",
     "Authenticator app code: ", NULL},
    {"EMAIL_OTP", "EMAIL_OTP_CODE", "Email code: ", "by email"},
    {"EMAIL_MFA", "EMAIL_MFA_CODE", "Email code: ", "by email"},
};

static void announce(struct login *l, const struct code_kind *k,
                     json_object *params) {
  const char *dest = pc_json_str(params, "CODE_DELIVERY_DESTINATION");
  char msg[256], clean[128];

  if (!k->medium)
    return;
  pc_sanitize(clean, sizeof(clean), dest ? dest : "");
  if (*clean)
    snprintf(msg, sizeof(msg), "A verification code was sent %s to %s.",
             k->medium, clean);
  else
    snprintf(msg, sizeof(msg), "A verification code was sent %s.", k->medium);
  pc_login_tell(l, 0, msg);
}

static enum pc_status code(struct login *l, const struct code_kind *k,
                           json_object *params) {
  enum pc_status st = PC_ERR_AUTH;
  int try;

  announce(l, k, params); /* params go stale after the first answer */
  for (try = 1; try <= pc_login_attempts(l); try++) {
    char *answer = NULL;

    if (pc_login_ask(l, PC_PROMPT_VISIBLE, k->prompt, &answer) != 0)
      return no_answer(l, k->challenge);
    if (!*answer) {
      pc_free_secret(&answer);
      pc_login_tell(l, 1, "No code given.");
      pc_login_detail(l, "%s: no code given", k->challenge);
      return PC_ERR_ABORTED;
    }
    if (strcmp(answer, l->o->password) == 0) {
      pc_free_secret(&answer);
      return replayed_password(l, k->challenge);
    }
    st = pc_login_respond_code(l, k->challenge, k->answer_key, answer);
    pc_free_secret(&answer);
    if (st != PC_ERR_CODE_MISMATCH)
      break;
    pc_login_tell(l, 1,
                  try < pc_login_attempts(l) ? "Wrong code, try again."
                                             : "Wrong code.");
  }
  /* The words come from lib/net/api_errors.c, once, where the login ends. */
  if (st == PC_ERR_AUTH && strstr(l->r->err.message, "session"))
    st = PC_ERR_EXPIRED;
  return st == PC_ERR_CODE_MISMATCH ? PC_ERR_AUTH : st;
}

static const char *mfa_label(const char *name) {
  if (!name)
    return "?";
  if (strcmp(name, "SMS_MFA") == 0)
    return "SMS code";
  if (strcmp(name, "SOFTWARE_TOKEN_MFA") == 0)
    return "authenticator app code";
  if (strcmp(name, "EMAIL_OTP") == 0)
    return "email code";
  return name;
}

/* SELECT_MFA_TYPE: list the methods, accept a number or a method name. */
static enum pc_status select_mfa(struct login *l, json_object *params) {
  json_object *list = string_list(params, "MFAS_CAN_CHOOSE");
  size_t i, n = list ? json_object_array_length(list) : 0;
  char menu[512], prompt[64], *answer = NULL;
  const char *chosen = NULL;
  enum pc_status st = PC_ERR_ABORTED;
  int try, len;

  if (n == 0) {
    json_object_put(list);
    pc_login_detail(l, "%s", "SELECT_MFA_TYPE without MFAS_CAN_CHOOSE");
    return PC_ERR_PROTOCOL;
  }
  len = snprintf(menu, sizeof(menu), "Choose how to verify this login:");
  for (i = 0; i < n && len > 0 && (size_t)len < sizeof(menu); i++) {
    char label[64]; /* server text: no control characters on the terminal */
    pc_sanitize(
        label, sizeof(label),
        mfa_label(json_object_get_string(json_object_array_get_idx(list, i))));
    len += snprintf(menu + len, sizeof(menu) - (size_t)len, "\n  %zu) %s",
                    i + 1, label);
  }
  snprintf(prompt, sizeof(prompt), "Method [1-%zu]: ", n);
  for (try = 1; try <= pc_login_attempts(l) && !chosen; try++) {
    char *end = NULL;
    long pick;

    pc_login_tell(l, 0, menu);
    if (pc_login_ask(l, PC_PROMPT_VISIBLE, prompt, &answer) != 0) {
      json_object_put(list);
      return no_answer(l, "SELECT_MFA_TYPE");
    }
    pick = strtol(answer, &end, 10);
    if (end != answer && *end == '\0' && pick >= 1 && (size_t)pick <= n)
      chosen = json_object_get_string(
          json_object_array_get_idx(list, (size_t)pick - 1));
    for (i = 0; !chosen && i < n; i++) {
      const char *name =
          json_object_get_string(json_object_array_get_idx(list, i));
      if (name && strcmp(name, answer) == 0)
        chosen = name;
    }
    pc_free_secret(&answer);
    if (!chosen)
      pc_login_tell(l, 1, "Please answer with one of the numbers shown.");
  }
  if (chosen) {
    st = pc_login_respond_one(l, "SELECT_MFA_TYPE", "ANSWER", chosen);
  } else {
    pc_login_detail(l, "%s", "SELECT_MFA_TYPE: no valid choice");
  }
  json_object_put(list);
  return st;
}

/* Challenges a login prompt cannot complete: say what to do instead. */
static enum pc_status unsupported(struct login *l, const char *name) {
  static const struct {
    const char *name, *text;
  } why[] = {
      {"MFA_SETUP", "Your account must set up multi-factor authentication "
                    "before it can log in here. Set it up through your "
                    "organisation's sign-in page, then try again."},
      {"DEVICE_SRP_AUTH", "Your account uses remembered devices, which this "
                          "login cannot complete. Ask your administrator."},
      {"DEVICE_PASSWORD_VERIFIER", "Your account uses remembered devices, "
                                   "which this login cannot complete. Ask "
                                   "your administrator."},
      {"CUSTOM_CHALLENGE", "Your account uses a custom sign-in challenge, "
                           "which this login cannot complete. Ask your "
                           "administrator."},
  };
  size_t i;

  for (i = 0; i < sizeof(why) / sizeof(why[0]); i++)
    if (strcmp(why[i].name, name) == 0)
      break;
  pc_login_tell(l, 1,
                i < sizeof(why) / sizeof(why[0])
                    ? why[i].text
                    : "The sign-in service asked for a step this login "
                      "cannot complete. Ask your administrator.");
  pc_login_detail(l, "unsupported challenge %s", l->r->challenge);
  return PC_ERR_UNSUPPORTED;
}

enum pc_status pc_login_challenge(struct login *l, const char *name,
                                  json_object *params) {
  size_t i;

  if (strcmp(name, "NEW_PASSWORD_REQUIRED") == 0)
    return new_password(l, params);
  if (strcmp(name, "SELECT_MFA_TYPE") == 0)
    return select_mfa(l, params);
  if (strcmp(name, "SELECT_CHALLENGE") == 0)
    return pc_login_select_challenge(l);
  if (strcmp(name, "MFA_SETUP") == 0 && l->cl->cfg->mfa_setup)
    return pc_mfa_setup(l, params);
  for (i = 0; i < sizeof(code_kinds) / sizeof(code_kinds[0]); i++)
    if (strcmp(code_kinds[i].challenge, name) == 0)
      return code(l, &code_kinds[i], params);
  return unsupported(l, name);
}
