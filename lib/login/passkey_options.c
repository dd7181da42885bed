/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/codec.h"
#include "base/json.h"
#include "login/passkey_options.h"

int pc_passkey_host_name(const char *s) {
  size_t n = s ? strlen(s) : 0;

  if (n == 0 || n > 253)
    return 0;
  return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

int pc_passkey_client_data(const char *type, const char *challenge,
                           const char *rp_id, char *buf, size_t size) {
  int n = snprintf(buf, size,
                   "{\"type\":\"%s\",\"challenge\":\"%s\","
                   "\"origin\":\"https://%s\",\"crossOrigin\":false}",
                   type, challenge, rp_id);

  return n < 0 || (size_t)n >= size ? -1 : n;
}

int pc_passkey_decode_id(const char *text, struct pc_passkey_blob *b) {
  return text && (b->ptr = pc_base64url_decode(text, strlen(text),
                                               PC_PASSKEY_MAX_ID, &b->len))
             ? 0
             : -1;
}

int pc_passkey_decode_ids(json_object *list, struct pc_passkey_blob *out,
                          size_t max, size_t *n_out) {
  size_t i, n = json_object_is_type(list, json_type_array)
                    ? json_object_array_length(list)
                    : 0;

  for (i = 0; i < n && *n_out < max; i++) {
    if (pc_passkey_decode_id(
            pc_json_str(json_object_array_get_idx(list, i), "id"),
            &out[*n_out]) != 0)
      return -1;
    (*n_out)++;
  }
  return 0;
}

void pc_passkey_options_free(struct pc_passkey_options *o) {
  size_t i;

  for (i = 0; i < o->n_allow; i++)
    free(o->allow[i].ptr);
  o->n_allow = 0;
}

enum pc_status pc_passkey_options_parse(json_object *json,
                                        struct pc_passkey_options *o,
                                        struct pc_error *err) {
  const char *uv = pc_json_str(json, "userVerification");
  long long timeout = 0;

  pc_error_clear(err);
  memset(o, 0, sizeof(*o));
  o->challenge = pc_json_str(json, "challenge");
  o->rp_id = pc_json_str(json, "rpId");
  if (!o->challenge ||
      !pc_base64url_valid(o->challenge, strlen(o->challenge)) ||
      !pc_passkey_host_name(o->rp_id) ||
      pc_passkey_decode_ids(json_object_object_get(json, "allowCredentials"),
                            o->allow, PC_PASSKEY_MAX_ALLOW, &o->n_allow) != 0) {
    pc_passkey_options_free(o);
    return pc_error_set(err, PC_ERR_PROTOCOL, "%s",
                        "malformed CREDENTIAL_REQUEST_OPTIONS");
  }
  o->uv_required = uv && strcmp(uv, "required") == 0;
  if (pc_json_number(json, "timeout", &timeout) == 0 && timeout > 0 &&
      timeout < 600000)
    o->timeout_ms = (int)timeout;
  return PC_OK;
}
