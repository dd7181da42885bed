/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/codec.h"
#include "base/json.h"
#include "login/passkey_options.h"

/* A relying party ID is a host name: nothing else goes into the origin. */
static int host_name(const char *s) {
  size_t n = s ? strlen(s) : 0;

  if (n == 0 || n > 253)
    return 0;
  return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

void pc_passkey_options_free(struct pc_passkey_options *o) {
  size_t i;

  for (i = 0; i < o->n_allow; i++)
    free(o->allow[i].ptr);
  o->n_allow = 0;
}

/* allowCredentials' ids, decoded; the first PC_PASSKEY_MAX_ALLOW only. */
static int allowed_ids(json_object *list, struct pc_passkey_options *o) {
  size_t i, n = json_object_is_type(list, json_type_array)
                    ? json_object_array_length(list)
                    : 0;

  for (i = 0; i < n && o->n_allow < PC_PASSKEY_MAX_ALLOW; i++) {
    const char *id = pc_json_str(json_object_array_get_idx(list, i), "id");
    struct pc_passkey_blob *b = &o->allow[o->n_allow];

    if (!id || !(b->ptr = pc_base64url_decode(id, strlen(id), PC_PASSKEY_MAX_ID,
                                              &b->len)))
      return -1;
    o->n_allow++;
  }
  return 0;
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
      !host_name(o->rp_id) ||
      allowed_ids(json_object_object_get(json, "allowCredentials"), o) != 0) {
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
