/* SPDX-License-Identifier: MIT */
/* jwt: read the claims of a JSON Web Token (Cognito ID and access tokens).
 *
 * The claims are decoded, NOT verified: no signature, issuer, audience or
 * expiry check happens here. Callers may use them only for information they
 * also received from the server over TLS in the same exchange (the token
 * came straight from Cognito's reply), never to decide whom to let in on the
 * strength of a token from anywhere else. */
#ifndef PAM_COGNITO_JWT_H
#define PAM_COGNITO_JWT_H

#include <stddef.h>
#include <json-c/json.h>

#include "bounds.h"
#include "json.h"

/* Parse the middle (payload) segment of a compact JWT "h.p.s" (three
 * non-empty segments of base64url characters, so never a JWE): base64url
 * without padding, decoded size <= PC_JWT_MAX_CLAIMS, a JSON object.
 * Returns a new object the caller releases with json_object_put, or NULL
 * when the token is malformed in any way (also for NULL input). */
json_object *pc_jwt_claims(const char *jwt);

/* The string claim name, or NULL when absent or not a string. The pointer
 * belongs to claims and lives as long as it does. (Numeric claims:
 * pc_json_number.) */
const char *pc_jwt_str(json_object *claims, const char *name);

#endif
