/* SPDX-License-Identifier: MIT */
/* jwt: read the claims of a JSON Web Token (Cognito ID and access tokens).
 *
 * The claims are decoded, NOT verified: no signature, issuer, audience or
 * expiry check happens here. Whom to let in is decided only on claims that
 * idtoken.c verified (signature in jwks.c, then issuer, audience, use and
 * expiry). */
#ifndef PAM_COGNITO_JWT_H
#define PAM_COGNITO_JWT_H

#include <stddef.h>
#include <json-c/json.h>

#include "base/bounds.h"
#include "base/json.h"

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
