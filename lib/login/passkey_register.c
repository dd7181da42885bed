/* SPDX-License-Identifier: MIT */
/* Registering a passkey (pam_cognito-passkey): StartWebAuthnRegistration's
 * creation options → clientDataJSON (webauthn.create, origin
 * https://<rp.id>) → the plugin's resident credential on the attached key
 * (user verification as the options ask) → CompleteWebAuthnRegistration
 * with the RegistrationResponseJSON; and the user's list and delete. */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/codec.h"
#include "base/secret.h"
#include "login/passkey.h"
#include "login/passkey_options.h"

#define MAX_EXCLUDE 20

struct creation {
  const char *challenge, *rp_id, *rp_name, *user_name, *display_name;
  struct pc_passkey_blob user_id, exclude[MAX_EXCLUDE];
  size_t n_exclude;
  int uv_required;
};

static json_object *token_request(const char *token) {
  json_object *req = json_object_new_object();

  return pc_json_keep(req, !req || pc_json_add_str(req, "AccessToken", token));
}

static void free_creation(struct creation *c) {
  size_t i;

  free(c->user_id.ptr);
  for (i = 0; i < c->n_exclude; i++)
    free(c->exclude[i].ptr);
}

/* CredentialCreationOptions: parsed into c (strings point into o). */
static int parse_creation(json_object *o, struct creation *c) {
  json_object *rp = json_object_object_get(o, "rp");
  json_object *user = json_object_object_get(o, "user");
  json_object *sel = json_object_object_get(o, "authenticatorSelection");
  json_object *ex = json_object_object_get(o, "excludeCredentials");
  const char *uv = pc_json_str(sel, "userVerification");

  memset(c, 0, sizeof(*c));
  c->challenge = pc_json_str(o, "challenge");
  c->rp_id = pc_json_str(rp, "id");
  c->rp_name = pc_json_str(rp, "name");
  c->user_name = pc_json_str(user, "name");
  c->display_name = pc_json_str(user, "displayName");
  c->uv_required = uv && strcmp(uv, "required") == 0;
  if (!c->challenge ||
      !pc_base64url_valid(c->challenge, strlen(c->challenge)) ||
      !pc_passkey_host_name(c->rp_id) || !c->user_name ||
      pc_passkey_decode_id(pc_json_str(user, "id"), &c->user_id) != 0)
    return -1;
  return pc_passkey_decode_ids(ex, c->exclude, MAX_EXCLUDE, &c->n_exclude);
}

/* RegistrationResponseJSON of the new credential m. */
static json_object *registration_json(const struct pc_passkey_made *m,
                                      const char *cd, size_t cdlen) {
  char *id = pc_base64url_encode(m->id.ptr, m->id.len);
  char *cdj = pc_base64url_encode((const unsigned char *)cd, cdlen);
  char *att =
      pc_base64url_encode(m->attestation_object.ptr, m->attestation_object.len);
  json_object *o = json_object_new_object(), *r = json_object_new_object();
  json_object *tr = json_object_new_array();
  int bad = !id || !cdj || !att || !o || !r || !tr ||
            pc_json_add_str(o, "id", id) || pc_json_add_str(o, "rawId", id) ||
            pc_json_add_str(o, "type", "public-key") ||
            pc_json_add_str(r, "clientDataJSON", cdj) ||
            pc_json_add_str(r, "attestationObject", att) ||
            json_object_array_add(tr, json_object_new_string("usb")) ||
            json_object_object_add(r, "transports", tr) ||
            (tr = NULL, json_object_object_add(o, "response", r)) ||
            (r = NULL,
             pc_json_add_str(o, "authenticatorAttachment", "cross-platform")) ||
            json_object_object_add(o, "clientExtensionResults",
                                   json_object_new_object());

  json_object_put(tr);
  json_object_put(r);
  free(id);
  free(cdj);
  free(att);
  return pc_json_keep(o, bad);
}

static void tell(void *ctx, const char *text) {
  const struct pc_prompter *p = ctx;

  p->tell(p->ctx, 0, text);
}

static int ask_pin(void *ctx, const char *prompt, char **answer) {
  const struct pc_prompter *p = ctx;

  return p->ask(p->ctx, PC_PROMPT_SECRET, prompt, answer);
}

/* The credential for c, made by the plugin, as Complete's request. */
static enum pc_status make(const struct pc_passkey_plugin *pl,
                           struct pc_passkey_dev *dev, const struct creation *c,
                           const struct pc_prompter *p, const char *token,
                           json_object **req, struct pc_error *err) {
  char cd[1024], why[256] = "";
  int cdlen = pc_passkey_client_data("webauthn.create", c->challenge, c->rp_id,
                                     cd, sizeof(cd));
  struct pc_passkey_make m = {c->rp_id,
                              c->rp_name ? c->rp_name : c->rp_id,
                              (const unsigned char *)cd,
                              (size_t)cdlen,
                              c->user_id,
                              c->user_name,
                              c->display_name ? c->display_name : c->user_name,
                              c->exclude,
                              c->n_exclude,
                              c->uv_required,
                              0};
  struct pc_passkey_io io = {ask_pin, tell, (void *)p};
  struct pc_passkey_made made;
  enum pc_passkey_result res;
  json_object *cred;

  if (cdlen < 0)
    return pc_error_set(err, PC_ERR_PROTOCOL, "%s",
                        "creation options too long");
  res = pl->make(dev, &m, &io, &made, why, sizeof(why));
  if (res != PC_PK_OK) {
    pl->free_blob(&made.id);
    pl->free_blob(&made.attestation_object);
    return pc_error_set(err, PC_ERR_ABORTED, "%s (%s)", pc_passkey_words(res),
                        why);
  }
  cred = registration_json(&made, cd, (size_t)cdlen);
  pl->free_blob(&made.id);
  pl->free_blob(&made.attestation_object);
  *req = token_request(token);
  if (!cred || !*req || json_object_object_add(*req, "Credential", cred) != 0) {
    json_object_put(cred);
    pc_json_put_secret(*req);
    *req = NULL;
    return pc_error_set(err, PC_ERR_NOMEM, "%s", "out of memory");
  }
  return PC_OK;
}

/* StartWebAuthnRegistration, the credential made on dev,
 * CompleteWebAuthnRegistration. */
static enum pc_status register_on(struct pc_client *cl, const char *token,
                                  const struct pc_passkey_plugin *pl,
                                  struct pc_passkey_dev *dev,
                                  const struct pc_prompter *p,
                                  struct pc_error *err) {
  json_object *resp = NULL, *req = NULL;
  struct creation c;
  enum pc_status st;

  memset(&c, 0, sizeof(c));
  if ((st = pc_api_send(cl, PC_USER_POOL, "StartWebAuthnRegistration",
                        token_request(token), &resp, err)) == PC_OK) {
    if (parse_creation(
            json_object_object_get(resp, "CredentialCreationOptions"), &c) != 0)
      st = pc_error_set(err, PC_ERR_PROTOCOL, "%s",
                        "malformed CredentialCreationOptions");
    else if ((st = make(pl, dev, &c, p, token, &req, err)) == PC_OK) {
      json_object_put(resp);
      resp = NULL;
      st = pc_api_send(cl, PC_USER_POOL, "CompleteWebAuthnRegistration", req,
                       &resp, err);
    }
  }
  free_creation(&c);
  json_object_put(resp);
  return st;
}

/* The key is opened once, before anything is sent, and kept open for the
 * ceremony. */
enum pc_status pc_passkey_register(struct pc_client *cl, const char *token,
                                   const char *plugin,
                                   const struct pc_prompter *p,
                                   struct pc_error *err) {
  void *handle = NULL;
  char why[512] = "";
  const struct pc_passkey_plugin *pl =
      pc_passkey_open(plugin, &handle, why, sizeof(why));
  struct pc_passkey_dev *dev = pl ? pl->open(why, sizeof(why)) : NULL;
  enum pc_status st;

  if (!pl)
    st = pc_error_set(err, PC_ERR_UNSUPPORTED, "%s", why);
  else if (!dev)
    st = pc_error_set(err, PC_ERR_ABORTED, "%s",
                      pc_passkey_words(PC_PK_NO_DEVICE));
  else
    st = register_on(cl, token, pl, dev, p, err);
  if (dev)
    pl->close(dev);
  if (handle)
    dlclose(handle);
  return st;
}

enum pc_status pc_passkey_list(struct pc_client *cl, const char *token,
                               json_object **list, struct pc_error *err) {
  json_object *resp = NULL, *req, *page;
  const char *next = NULL;
  enum pc_status st = PC_OK;
  int pages;

  if (!(*list = json_object_new_array()))
    return pc_error_set(err, PC_ERR_NOMEM, "%s", "out of memory");
  for (pages = 0; pages < 50 && st == PC_OK; pages++) {
    req = token_request(token);
    req = pc_json_keep(
        req, !req || (next && pc_json_add_str(req, "NextToken", next)));
    json_object_put(resp);
    resp = NULL;
    if ((st = pc_api_send(cl, PC_USER_POOL, "ListWebAuthnCredentials", req,
                          &resp, err)) != PC_OK)
      break;
    page = json_object_object_get(resp, "Credentials");
    if (json_object_is_type(page, json_type_array)) {
      size_t i, n = json_object_array_length(page);

      for (i = 0; i < n; i++)
        json_object_array_add(
            *list, json_object_get(json_object_array_get_idx(page, i)));
    }
    if (!(next = pc_json_str(resp, "NextToken")))
      break;
  }
  json_object_put(resp);
  if (st != PC_OK) {
    json_object_put(*list);
    *list = NULL;
  }
  return st;
}

enum pc_status pc_passkey_delete(struct pc_client *cl, const char *token,
                                 const char *credential_id,
                                 struct pc_error *err) {
  json_object *resp = NULL, *req = token_request(token);
  enum pc_status st;

  req = pc_json_keep(
      req, !req || pc_json_add_str(req, "CredentialId", credential_id));
  st = pc_api_send(cl, PC_USER_POOL, "DeleteWebAuthnCredential", req, &resp,
                   err);
  json_object_put(resp);
  return st;
}
