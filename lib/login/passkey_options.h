/* SPDX-License-Identifier: MIT */
/* Cognito's CREDENTIAL_REQUEST_OPTIONS (WebAuthn's
 * PublicKeyCredentialRequestOptionsJSON), read into what the passkey
 * plugin's assertion needs. Its own file so fuzz/fuzz_passkey can reach
 * the parser without a security key. */
#ifndef PC_LOGIN_PASSKEY_OPTIONS_H
#define PC_LOGIN_PASSKEY_OPTIONS_H

#include <json-c/json.h>
#include <stddef.h>

#include "base/error.h"
#include "fido/passkey_plugin.h"

#define PC_PASSKEY_MAX_ALLOW 20
#define PC_PASSKEY_MAX_ID 1024 /* bytes of one allowed credential id */

struct pc_passkey_options {
  const char *challenge; /* base64url, as sent (points into the JSON) */
  const char *rp_id;     /* a host name (points into the JSON) */
  struct pc_passkey_blob allow[PC_PASSKEY_MAX_ALLOW]; /* decoded ids */
  size_t n_allow;
  int uv_required; /* userVerification "required" */
  int timeout_ms;  /* 0: the key's own wait */
};

/* Parse json into o; PC_ERR_PROTOCOL with err set when the challenge or
 * rpId is missing or malformed or an allowed id does not decode (nothing
 * is left to free then). On PC_OK free o with pc_passkey_options_free
 * before json is put. */
enum pc_status pc_passkey_options_parse(json_object *json,
                                        struct pc_passkey_options *o,
                                        struct pc_error *err);

void pc_passkey_options_free(struct pc_passkey_options *o);

#endif
