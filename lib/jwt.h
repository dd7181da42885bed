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

#include "json.h"

/* Largest decoded claims segment accepted; Cognito tokens are far smaller. */
#define PC_JWT_MAX_CLAIMS 16384

/* Decode len base64url characters (no padding) into a new NUL-terminated
 * heap buffer holding *outlen bytes; NULL when malformed, empty, or larger
 * than max. The caller frees it (wiping it when it held a secret). */
unsigned char *pc_b64url_decode(const char *in, size_t len, size_t max,
                                size_t *outlen);

/* Parse the middle (payload) segment of a compact JWT "h.p.s" (three
 * non-empty segments of base64url characters, so never a JWE): base64url
 * without padding, decoded size <= PC_JWT_MAX_CLAIMS, a JSON object.
 * Returns a new object the caller releases with json_object_put, or NULL
 * when the token is malformed in any way (also for NULL input). */
json_object *pc_jwt_claims(const char *jwt);

/* The string claim name, or NULL when absent or not a string. The pointer
 * belongs to claims and lives as long as it does. */
const char *pc_jwt_str(json_object *claims, const char *name);

/* Store the integer claim name (e.g. "exp") in *out: 0 on success, -1 when
 * absent, not a number, or out of range. A fractional NumericDate is
 * truncated towards zero. */
int pc_jwt_long(json_object *claims, const char *name, long long *out);

#endif
