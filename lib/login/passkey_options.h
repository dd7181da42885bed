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

/* 1 when s is a relying party ID this module accepts: a host name of
 * lower-case letters, digits, dots and hyphens, 1 to 253 bytes (nothing
 * else goes into the origin). */
int pc_passkey_host_name(const char *s);

/* The clientDataJSON of a ceremony of type ("webauthn.get" or
 * "webauthn.create") for challenge and origin https://<rp_id>, in buf;
 * its length, or -1 when it does not fit in size bytes. */
int pc_passkey_client_data(const char *type, const char *challenge,
                           const char *rp_id, char *buf, size_t size);

/* Decode the base64url text (at most PC_PASSKEY_MAX_ID bytes) into b
 * (release b->ptr with free); -1 when text is NULL or does not decode. */
int pc_passkey_decode_id(const char *text, struct pc_passkey_blob *b);

/* Decode the "id" of each element of the JSON array list into out, from
 * out[*n_out] on, counting them in *n_out, until max; -1 at the first id
 * missing or not decoding (those decoded before it stay for the caller to
 * free). Anything but an array is an empty list. */
int pc_passkey_decode_ids(json_object *list, struct pc_passkey_blob *out,
                          size_t max, size_t *n_out);

#endif
