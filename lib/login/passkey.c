/* SPDX-License-Identifier: MIT */
/* WEB_AUTHN as USER_AUTH's first factor: Cognito's
 * CREDENTIAL_REQUEST_OPTIONS in, the attached security key's assertion out
 * as CREDENTIAL (WebAuthn's AuthenticationResponseJSON). libfido2 is
 * reached through the passkey plugin, opened here and only here, so a
 * password login never loads it. */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/codec.h"
#include "base/error.h"
#include "base/secret.h"
#include "fido/passkey_plugin.h"
#include "login/login_internal.h"
#include "login/passkey.h"
#include "login/passkey_options.h"

/* Why the passkey sign-in the person started was refused: shown under
 * PAM_SILENT too (sudo). */
#define REFUSED (PC_TELL_ERROR | PC_TELL_NEEDED)

static char *b64url(const struct pc_passkey_blob *b) {
  return pc_base64url_encode(b->ptr, b->len);
}

static int ask_pin(void *ctx, const char *prompt, char **answer) {
  return pc_login_ask(ctx, PC_PROMPT_SECRET, prompt, answer);
}

/* The plugin's one message is what to do now ("Touch your security key."). */
static void tell(void *ctx, const char *text) {
  pc_login_tell(ctx, PC_TELL_NEEDED, text);
}

/* What the person is told for each way the key could not answer. */
static const char *words_for(enum pc_passkey_result r) {
  switch (r) {
  case PC_PK_NO_DEVICE:
    return "No security key is attached.";
  case PC_PK_TIMEOUT:
    return "The security key was not touched in time.";
  case PC_PK_PIN_WRONG:
    return "Wrong PIN for the security key.";
  case PC_PK_PIN_BLOCKED:
    return "The security key is locked after too many wrong PINs.";
  case PC_PK_PIN_UNANSWERED:
    return "The security key's PIN is needed for this sign-in.";
  case PC_PK_NO_CREDENTIAL:
    return "This security key holds no passkey for your account.";
  case PC_PK_DENIED:
    return "The security key declined.";
  default:
    return "The security key could not be used.";
  }
}

const struct pc_passkey_plugin *pc_passkey_open(const char *path, void **handle,
                                                char *why, size_t n) {
  const struct pc_passkey_plugin *(*entry)(void);
  const struct pc_passkey_plugin *p;

  *handle = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
  if (!*handle) {
    snprintf(why, n, "cannot open the passkey plugin %s: %s",
             path ? path : "(none)", path ? dlerror() : "no path");
    return NULL;
  }
  *(void **)&entry = dlsym(*handle, PC_PASSKEY_SYMBOL);
  p = entry ? entry() : NULL;
  if (!p || p->abi != PC_PASSKEY_ABI) {
    snprintf(why, n, "%s", "the passkey plugin does not match this build");
    return NULL;
  }
  return p;
}

const char *pc_passkey_words(enum pc_passkey_result r) {
  return words_for(r);
}

/* AuthenticationResponseJSON of the assertion a, for client data cd. */
static char *credential_json(const struct pc_passkey_assertion *a,
                             const struct pc_passkey_blob *cd) {
  char *id = b64url(&a->id), *cdj = b64url(cd), *ad = b64url(&a->auth_data);
  char *sig = b64url(&a->signature), *uh = b64url(&a->user_handle);
  char *out = NULL;
  json_object *o = json_object_new_object(), *r = json_object_new_object();

  if (id && cdj && ad && sig && uh && o && r && !pc_json_add_str(o, "id", id) &&
      !pc_json_add_str(o, "rawId", id) &&
      !pc_json_add_str(o, "type", "public-key") &&
      !pc_json_add_str(r, "clientDataJSON", cdj) &&
      !pc_json_add_str(r, "authenticatorData", ad) &&
      !pc_json_add_str(r, "signature", sig) &&
      (!a->user_handle.len || !pc_json_add_str(r, "userHandle", uh)) &&
      !pc_json_add_str(o, "authenticatorAttachment", "cross-platform") &&
      json_object_object_add(o, "response", r) == 0) {
    r = NULL;
    json_object_object_add(o, "clientExtensionResults",
                           json_object_new_object());
    out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
  }
  json_object_put(r);
  json_object_put(o);
  free(id);
  free(cdj);
  free(ad);
  free(sig);
  free(uh);
  return out;
}

/* Answer WEB_AUTHN with the assertion. */
static enum pc_status answer(struct login *l, const char *credential) {
  json_object *rp = NULL;
  json_object *req = pc_login_request(l, "ChallengeResponses", l->user_id, &rp);
  enum pc_status st;

  req =
      pc_json_keep(req, !req || pc_json_add_str(rp, "CREDENTIAL", credential));
  st = pc_login_respond(l, "WEB_AUTHN", req);
  if (st == PC_ERR_AUTH || st == PC_ERR_INVALID_PARAM) {
    pc_login_tell(l, REFUSED,
                  "The user pool refused the security key's answer.");
    pc_login_detail(l, "WEB_AUTHN: CREDENTIAL refused (%s)", l->r->err.message);
    return PC_ERR_AUTH;
  }
  return st;
}

/* The assertion of the opened key dev for the options of the last reply,
 * sent as CREDENTIAL. */
static enum pc_status assert_and_answer(struct login *l,
                                        const struct pc_passkey_plugin *p,
                                        struct pc_passkey_dev *dev) {
  json_object *cp = json_object_object_get(l->resp, "ChallengeParameters");
  const char *text = pc_json_str(cp, "CREDENTIAL_REQUEST_OPTIONS");
  json_object *json = text ? pc_json_parse_object(text, strlen(text)) : NULL;
  struct pc_passkey_options o;
  struct pc_passkey_assertion a;
  struct pc_error perr;
  struct pc_passkey_io io = {ask_pin, tell, l};
  char cd[1024], why[256] = "", *credential = NULL;
  struct pc_passkey_blob cdb = {(unsigned char *)cd, 0};
  enum pc_passkey_result res;
  enum pc_status st = PC_ERR_PROTOCOL;
  int cdlen;

  if (!json || pc_passkey_options_parse(json, &o, &perr) != PC_OK) {
    pc_login_detail(l, "%s", "WEB_AUTHN: malformed CREDENTIAL_REQUEST_OPTIONS");
    json_object_put(json);
    return PC_ERR_PROTOCOL;
  }
  cdlen = pc_passkey_client_data("webauthn.get", o.challenge, o.rp_id, cd,
                                 sizeof(cd));
  if (cdlen >= 0) {
    struct pc_passkey_get g = {o.rp_id,     (unsigned char *)cd, (size_t)cdlen,
                               o.allow,     o.n_allow,           o.uv_required,
                               o.timeout_ms};

    cdb.len = (size_t)cdlen;
    res = p->get(dev, &g, &io, &a, why, sizeof(why));
    if (res == PC_PK_OK) {
      credential = credential_json(&a, &cdb);
      st = credential ? answer(l, credential) : PC_ERR_NOMEM;
    } else {
      pc_login_tell(l, REFUSED, words_for(res));
      pc_login_detail(l, "WEB_AUTHN: %s (%s)", words_for(res), why);
      st = PC_ERR_ABORTED;
    }
    p->free_blob(&a.id);
    p->free_blob(&a.auth_data);
    p->free_blob(&a.signature);
    p->free_blob(&a.user_handle);
  }
  pc_free_secret(&credential);
  pc_passkey_options_free(&o);
  json_object_put(json);
  return st;
}

/* WEB_AUTHN asked for with the key dev open: the pool must answer with
 * that challenge (else no passkey is registered for the user), then the
 * key's assertion answers it. */
static enum pc_status web_authn(struct login *l,
                                const struct pc_passkey_plugin *p,
                                struct pc_passkey_dev *dev) {
  const char *name;
  enum pc_status st;

  if ((st = pc_login_user_auth_initiate(l, "WEB_AUTHN")) != PC_OK)
    return st;
  name = pc_json_str(l->resp, "ChallengeName");
  if (!name || strcmp(name, "WEB_AUTHN") != 0) {
    pc_login_tell(l, REFUSED, "No passkey is registered for your account.");
    pc_login_detail(l, "%s",
                    "WEB_AUTHN: the pool offers no passkey sign-in "
                    "to this user");
    return PC_ERR_ABORTED;
  }
  /* The Session kept for the answer. */
  if ((st = pc_login_user_auth_expect(l, "WEB_AUTHN")) != PC_OK)
    return st;
  return assert_and_answer(l, p, dev);
}

/* The key opened once, before anything is sent (no key: no call to the
 * pool), and kept open for the ceremony. */
static enum pc_status with_key(struct login *l,
                               const struct pc_passkey_plugin *p) {
  char why[256] = "";
  struct pc_passkey_dev *dev = p->open(why, sizeof(why));
  enum pc_status st;

  if (!dev) {
    pc_login_tell(l, REFUSED, "No security key is attached.");
    pc_login_detail(l, "%s", "WEB_AUTHN: no FIDO2 security key is attached");
    return PC_ERR_ABORTED;
  }
  st = web_authn(l, p, dev);
  p->close(dev);
  return st;
}

enum pc_status pc_login_passkey_first(struct login *l) {
  void *handle = NULL;
  char why[512];
  const struct pc_passkey_plugin *p =
      pc_passkey_open(l->o->passkey_plugin, &handle, why, sizeof(why));
  enum pc_status st;

  l->r->code_login = 1; /* no password proved: none kept for offline */
  if (p) {
    st = with_key(l, p);
  } else {
    pc_login_detail(l, "passkey: %s", why);
    pc_login_tell(l, REFUSED, "Security keys cannot be used on this host.");
    st = PC_ERR_ABORTED;
  }
  if (handle)
    dlclose(handle);
  return st;
}
