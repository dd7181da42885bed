/* SPDX-License-Identifier: MIT */
/* fuzz_passkey: Cognito's CREDENTIAL_REQUEST_OPTIONS, the WEB_AUTHN
 * challenge's JSON (lib/login/passkey_options.c), which the module turns
 * into clientDataJSON and the key's allow list.
 *
 * The bytes go through pc_json_parse_object as the login reads the
 * parameter. What is accepted has a base64url challenge, an rpId of host
 * name characters only (it becomes the origin), at most 20 allowed ids of
 * 1..1024 bytes each and a timeout in 0..600000 ms; a refusal is
 * PC_ERR_PROTOCOL and leaves nothing to free. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/codec.h"
#include "base/json.h"
#include "login/passkey_options.h"

static void check(const struct pc_passkey_options *o) {
  size_t i, n = strlen(o->rp_id);

  if (!pc_base64url_valid(o->challenge, strlen(o->challenge)) || n == 0 ||
      n > 253 ||
      strspn(o->rp_id, "abcdefghijklmnopqrstuvwxyz0123456789.-") != n)
    abort();
  if (o->n_allow > PC_PASSKEY_MAX_ALLOW || o->timeout_ms < 0 ||
      o->timeout_ms >= 600000 || (o->uv_required != 0 && o->uv_required != 1))
    abort();
  for (i = 0; i < o->n_allow; i++)
    if (!o->allow[i].ptr || o->allow[i].len > PC_PASSKEY_MAX_ID)
      abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_object *json = pc_json_parse_object((const char *)data, size);
  struct pc_passkey_options o;
  struct pc_error err;

  if (!json)
    return 0;
  if (pc_passkey_options_parse(json, &o, &err) == PC_OK) {
    check(&o);
    pc_passkey_options_free(&o);
    if (o.n_allow != 0)
      abort();
  } else if (err.status != PC_ERR_PROTOCOL || o.n_allow != 0) {
    abort();
  }
  json_object_put(json);
  return 0;
}
