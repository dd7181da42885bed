/* SPDX-License-Identifier: MIT */
/* The device's part of a login: DEVICE_KEY on every request (login.c's
 * pc_login_request), DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER answered
 * with the sign-in's SRP (the group key in the pool name's place, the device
 * key as the user, the device password as the password), and, around the
 * login, the record loaded, a forgotten device dropped, a new one kept
 * for pc_login_remember_device. The reference: amazon-cognito-identity-js
 * CognitoUser (getDeviceResponse, authenticateUserInternal). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "base/secret.h"
#include "login/device.h"
#include "login/login_internal.h"
#include "login/srp.h"

/* The device's one note for syslog, in notes (the last one stands). */
static void note(struct pc_error *notes, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(struct pc_error *notes, const char *fmt, ...) {
  char text[sizeof notes->note[0].text];
  va_list ap;

  va_start(ap, fmt);
  (void)vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  notes->n_notes = 0;
  pc_error_note(notes, PC_ERR_PROTOCOL, "%s", text);
}

static enum pc_status device_srp(struct login *l) {
  json_object *params = NULL, *req;

  pc_srp_free(l->dev_srp);
  if ((l->dev_srp = pc_srp_new()) == NULL)
    return PC_ERR_NOMEM;
  req = pc_login_request(l, "ChallengeResponses", l->user_id, &params);
  req = pc_json_keep(
      req, !req || pc_json_add_str(params, "SRP_A", pc_srp_A_hex(l->dev_srp)));
  return pc_login_respond(l, "DEVICE_SRP_AUTH", req);
}

static enum pc_status device_verifier(struct login *l, json_object *cp) {
  const char *block = pc_json_str(cp, "SECRET_BLOCK");
  const char *salt = pc_json_str(cp, "SALT"), *B = pc_json_str(cp, "SRP_B");
  char ts[64], *sig = NULL;
  enum pc_status st;

  if (!l->dev_srp || !block || !salt || !B) {
    pc_login_detail(l, "DEVICE_PASSWORD_VERIFIER: %s",
                    l->dev_srp ? "missing parameter" : "not expected now");
    return PC_ERR_PROTOCOL;
  }
  pc_srp_timestamp(l->o->now ? l->o->now() : time(NULL), ts, sizeof ts);
  st = pc_srp_signature(l->dev_srp, l->dev->group_key, l->dev->key,
                        l->dev->password, salt, B, block, ts, &sig);
  pc_srp_free(l->dev_srp);
  l->dev_srp = NULL;
  if (st != PC_OK) {
    pc_login_detail(l, "DEVICE_PASSWORD_VERIFIER: %s",
                    "invalid SRP parameters");
    return st;
  }
  l->dev_proved = 1;
  return pc_login_srp_claim(l, "DEVICE_PASSWORD_VERIFIER", block, ts, &sig);
}

int pc_login_device_challenge(struct login *l, const char *name,
                              json_object *params, enum pc_status *st) {
  int srp = strcmp(name, "DEVICE_SRP_AUTH") == 0;

  /* Without a device (remember_device off) challenges.c refuses it with
   * words for the user. */
  if ((!srp && strcmp(name, "DEVICE_PASSWORD_VERIFIER") != 0) || !l->dev)
    return 0;
  *st = srp ? device_srp(l) : device_verifier(l, params);
  return 1;
}

void pc_login_device_load(const struct pc_login_opts *o,
                          const struct pc_config *cfg, struct pc_device *d,
                          struct pc_error *notes) {
  struct pc_error e;
  enum pc_status st;

  memset(d, 0, sizeof *d);
  if (o->device_dir == NULL || o->device_user == NULL)
    return;
  /* An unusable record is logged, and the login runs as a new device. */
  st = pc_device_load(o->device_dir, o->device_user, cfg->user_pool_id, d, &e);
  if (st != PC_OK && st != PC_ABSENT)
    note(notes, "device record unusable: %s", e.detail);
}

static void forget(struct login *l, const char *why) {
  note(&l->notes, "device %s: %s; registering this host again", l->dev->key,
       why);
  pc_device_drop(l->o->device_dir, l->o->device_user);
  l->dev = NULL; /* the caller frees the record */
  pc_srp_free(l->dev_srp);
  l->dev_srp = NULL;
  l->dev_proved = 0;
}

int pc_login_device_forgotten(struct login *l, enum pc_status st) {
  const struct pc_error *e = &l->r->err;
  int in_device_round = strncmp(l->r->challenge, "DEVICE_", 7) == 0;

  if (l->dev == NULL || st == PC_OK || st == PC_ERR_UNAVAIL ||
      st == PC_ERR_LIMIT || st == PC_ERR_NOMEM || l->r->new_password != NULL)
    return 0;
  /* "Device does not exist." (not a missing pool or client: those stay
   * errors). */
  if (strcmp(e->type, "ResourceNotFoundException") == 0 &&
      (in_device_round || strstr(e->message, "evice") != NULL))
    forget(l, "Cognito does not know it (forgotten)");
  else if (in_device_round && st == PC_ERR_AUTH)
    forget(l, "Cognito refused its secret");
  else
    return 0;
  return 1;
}

/* Keep the device the login announced for pc_login_remember_device. */
static void keep_new(struct login *l, json_object *meta) {
  const char *key = pc_json_str(meta, "DeviceKey");
  const char *group = pc_json_str(meta, "DeviceGroupKey");
  struct pc_new_device *n = &l->r->new_device;

  if (!key || !*key || !group || !*group) {
    note(&l->notes, "%s", "NewDeviceMetadata without a device key");
    return;
  }
  if ((n->key = strdup(key)) == NULL ||
      (n->group_key = strdup(group)) == NULL ||
      (n->user_id = strdup(l->user_id)) == NULL)
    note(&l->notes, "%s", "cannot remember this host as a device: no memory");
}

void pc_login_remember_device(struct pc_client *cl,
                              const struct pc_login_opts *o,
                              const struct pc_prompter *p,
                              struct pc_login_result *r) {
  const struct pc_new_device *n = &r->new_device;
  struct pc_device d;
  struct pc_error err, why;
  char text[256];

  if (!n->key || !n->group_key || !n->user_id || !o->device_dir ||
      !o->device_user)
    return;
  if (pc_device_confirm(cl, r->tokens.access_token, n->key, n->group_key,
                        n->user_id, o->device_name, p, &d, &err) != PC_OK) {
    note(&r->err, "cannot remember this host as a device: %s",
         pc_error_text(&err, text, sizeof text));
    return;
  }
  d.mfa = r->mfa_used;
  if ((d.pool_id = pc_strdup(cl->cfg->user_pool_id)) == NULL ||
      pc_device_save(o->device_dir, o->device_user, &d, &why) != 0)
    note(&r->err, "device record not saved: %s",
         d.pool_id ? why.detail : "no memory");
  pc_device_free(&d);
}

void pc_login_device_end(struct login *l, enum pc_status st) {
  json_object *ar = json_object_object_get(l->resp, "AuthenticationResult");
  json_object *meta = json_object_object_get(ar, "NewDeviceMetadata");

  if (st == PC_OK && l->dev != NULL && l->dev_proved) {
    /* The device stood in for the factor the confirming login asked for. */
    l->r->mfa_used |= l->dev->mfa;
    l->r->device_proved = 1;
  }
  /* The tokens are bound to the device the login presented, unless Cognito
   * named a new one (NewDeviceMetadata, already in tokens.device_key). */
  if (st == PC_OK && l->dev != NULL && l->r->tokens.device_key == NULL &&
      (l->r->tokens.device_key = strdup(l->dev->key)) == NULL)
    note(&l->notes, "%s", "device key not kept for refresh: no memory");
  if (st == PC_OK && meta != NULL && l->o->device_dir != NULL &&
      l->o->device_user != NULL)
    keep_new(l, meta);
  pc_srp_free(l->dev_srp);
  l->dev_srp = NULL;
}
