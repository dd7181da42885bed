/* SPDX-License-Identifier: MIT */
/* The device record and the registration of a device; see device.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "base/buf.h"
#include "base/codec.h"
#include "base/json.h"
#include "base/secret.h"
#include "login/device.h"
#include "login/login.h"
#include "login/srp.h"
#include "store/private_files.h"

#define DEVICE_FILE "device.json"
/* The reference client draws 40 random bytes for the device password. */
#define PASSWORD_BYTES 40

void pc_device_free(struct pc_device *d) {
  free(d->pool_id);
  free(d->username);
  free(d->key);
  free(d->group_key);
  pc_free_secret(&d->password);
  memset(d, 0, sizeof *d);
}

char *pc_device_json(const struct pc_device *d) {
  struct pc_buf b;

  if (!d->pool_id || !d->username || !d->key || !d->group_key || !d->password)
    return NULL;
  pc_buf_init(&b, 8192);
  if (pc_buf_appendf(&b, "{\"Version\": 1") ||
      pc_buf_append_json_member(&b, "pool_id", d->pool_id) ||
      pc_buf_append_json_member(&b, "username", d->username) ||
      pc_buf_append_json_member(&b, "device_key", d->key) ||
      pc_buf_append_json_member(&b, "device_group_key", d->group_key) ||
      pc_buf_append_json_member(&b, "device_password", d->password) ||
      pc_buf_appendf(&b, ", \"mfa\": %s}\n", d->mfa ? "true" : "false")) {
    pc_buf_free(&b);
    return NULL;
  }
  return pc_buf_take(&b);
}

static int take(json_object *o, const char *key, char **dst) {
  const char *s = pc_json_str(o, key);

  return s == NULL || !*s || (*dst = pc_strdup(s)) == NULL ? -1 : 0;
}

int pc_device_parse(const char *json, size_t len, struct pc_device *d) {
  json_object *o = json ? pc_json_parse_object(json, len) : NULL;
  long long version = 0;
  int rc = -1;

  memset(d, 0, sizeof *d);
  if (o != NULL && pc_json_int(o, "Version", &version) == 0 && version == 1 &&
      take(o, "pool_id", &d->pool_id) == 0 &&
      take(o, "username", &d->username) == 0 &&
      take(o, "device_key", &d->key) == 0 &&
      take(o, "device_group_key", &d->group_key) == 0 &&
      take(o, "device_password", &d->password) == 0 &&
      pc_json_bool(o, "mfa", &d->mfa) == 0)
    rc = 0;
  pc_json_put_secret(o);
  if (rc != 0)
    pc_device_free(d);
  return rc;
}

enum pc_status pc_device_load(const char *base, const char *user,
                              const char *pool_id, struct pc_device *d,
                              struct pc_error *why) {
  struct pc_buf b;
  enum pc_status st = pc_private_read(base, user, DEVICE_FILE, &b, why);

  memset(d, 0, sizeof *d);
  if (st == PC_OK && pc_device_parse(b.data, b.len, d) != 0)
    st = pc_error_set(why, PC_ERR_PROTOCOL, "%s is not a device record",
                      DEVICE_FILE);
  pc_buf_free(&b);
  if (st == PC_OK && (pool_id == NULL || strcmp(d->pool_id, pool_id) != 0)) {
    pc_device_free(d); /* another pool's device: not ours to present */
    st = PC_ABSENT;
  }
  return st;
}

enum pc_status pc_device_save(const char *base, const char *user,
                              const struct pc_device *d, struct pc_error *why) {
  char *doc = pc_device_json(d);
  enum pc_status st;

  if (doc == NULL)
    return pc_error_set(why, PC_ERR_PROTOCOL, "%s", "incomplete device record");
  st = pc_private_write(base, user, DEVICE_FILE, doc, strlen(doc), why);
  pc_buf_string_free(&doc);
  return st;
}

void pc_device_drop(const char *base, const char *user) {
  pc_private_remove(base, user, DEVICE_FILE);
}

/* Base64 of the bytes a hex string stands for. */
static char *hex_to_b64(const char *hex) {
  size_t n = strlen(hex) / 2, i;
  unsigned char *raw = malloc(n ? n : 1);
  char *out = NULL;
  unsigned int v;

  if (raw == NULL || strlen(hex) % 2)
    goto done;
  for (i = 0; i < n; i++) {
    char pair[3] = {hex[2 * i], hex[2 * i + 1], 0}, *end;
    v = (unsigned int)strtoul(pair, &end, 16);
    if (*end)
      goto done;
    raw[i] = (unsigned char)v;
  }
  out = pc_base64_encode(raw, n);
done:
  free(raw);
  return out;
}

enum pc_status pc_device_verifier(const char *group_key, const char *key,
                                  const char *password, char **salt_b64,
                                  char **verifier_b64) {
  char *salt = NULL, *v = NULL;
  enum pc_status st;

  *salt_b64 = *verifier_b64 = NULL;
  st = pc_srp_device_verifier(group_key, key, password, &salt, &v);
  if (st == PC_OK && ((*salt_b64 = hex_to_b64(salt)) == NULL ||
                      (*verifier_b64 = hex_to_b64(v)) == NULL)) {
    free(*salt_b64);
    *salt_b64 = NULL;
    st = PC_ERR_NOMEM;
  }
  free(salt);
  free(v);
  return st;
}

static char *random_password(void) {
  unsigned char raw[PASSWORD_BYTES];
  char *out = NULL;

  if (RAND_bytes(raw, sizeof raw) == 1)
    out = pc_base64_encode(raw, sizeof raw);
  pc_wipe(raw, sizeof raw);
  return out;
}

static enum pc_status confirm(struct pc_client *cl, const char *access_token,
                              const struct pc_device *d, const char *name,
                              int *ask_user, struct pc_error *err) {
  json_object *req = json_object_new_object(), *cfg = json_object_new_object();
  json_object *resp = NULL, *flag;
  char *salt = NULL, *verifier = NULL;
  enum pc_status st;
  int bad;

  st = pc_device_verifier(d->group_key, d->key, d->password, &salt, &verifier);
  bad = st != PC_OK || !req || !cfg ||
        pc_json_add_str(cfg, "PasswordVerifier", verifier) ||
        pc_json_add_str(cfg, "Salt", salt) ||
        pc_json_add_str(req, "AccessToken", access_token) ||
        pc_json_add_str(req, "DeviceKey", d->key) ||
        (name && *name && pc_json_add_str(req, "DeviceName", name));
  if (!bad &&
      json_object_object_add(req, "DeviceSecretVerifierConfig", cfg) == 0)
    cfg = NULL;
  else
    bad = 1;
  json_object_put(cfg);
  free(salt);
  free(verifier);
  st = pc_api_send(cl, PC_USER_POOL, "ConfirmDevice", pc_json_keep(req, bad),
                   &resp, err);
  flag = json_object_object_get(resp, "UserConfirmationNecessary");
  *ask_user = flag && json_object_get_boolean(flag);
  json_object_put(resp);
  return st;
}

static enum pc_status remember(struct pc_client *cl, const char *access_token,
                               const char *key, struct pc_error *err) {
  json_object *req = json_object_new_object(), *resp = NULL;
  enum pc_status st;

  req = pc_json_keep(
      req, !req || pc_json_add_str(req, "AccessToken", access_token) ||
               pc_json_add_str(req, "DeviceKey", key) ||
               pc_json_add_str(req, "DeviceRememberedStatus", "remembered"));
  st = pc_api_send(cl, PC_USER_POOL, "UpdateDeviceStatus", req, &resp, err);
  json_object_put(resp);
  return st;
}

/* A pool where users opt in: ask whether to remember this computer. 1 for
 * yes; no, an empty answer, or no way to ask (PAM_SILENT, a conversation
 * that cannot take an answer: sshd's PasswordAuthentication) is 0. */
static int person_says_remember(const struct pc_prompter *p) {
  char *answer = NULL;
  int yes;

  if (p == NULL || p->ask == NULL || p->quiet ||
      p->ask(p->ctx, PC_PROMPT_VISIBLE, "Remember this computer? [y/N] ",
             &answer) != 0 ||
      answer == NULL)
    return 0;
  yes = strcmp(answer, "y") == 0 || strcmp(answer, "Y") == 0 ||
        strcmp(answer, "yes") == 0 || strcmp(answer, "Yes") == 0 ||
        strcmp(answer, "YES") == 0;
  pc_free_secret(&answer);
  return yes;
}

enum pc_status pc_device_confirm(struct pc_client *cl, const char *access_token,
                                 const char *key, const char *group_key,
                                 const char *username, const char *name,
                                 const struct pc_prompter *p,
                                 struct pc_device *d, struct pc_error *err) {
  enum pc_status st = PC_ERR_NOMEM;
  int ask_user = 0;

  memset(d, 0, sizeof *d);
  if ((d->key = pc_strdup(key)) == NULL ||
      (d->group_key = pc_strdup(group_key)) == NULL ||
      (d->username = pc_strdup(username)) == NULL ||
      (d->password = random_password()) == NULL) {
    pc_device_free(d);
    return pc_error_set(err, PC_ERR_NOMEM, "%s", "out of memory");
  }
  st = confirm(cl, access_token, d, name, &ask_user, err);
  if (st == PC_OK && ask_user && person_says_remember(p))
    st = remember(cl, access_token, key, err);
  if (st != PC_OK)
    pc_device_free(d);
  return st;
}
