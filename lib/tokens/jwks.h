/* SPDX-License-Identifier: MIT */
/* jwks: a user pool's signing keys (its JSON Web Key Set) as OpenSSL public
 * keys, and the RS256 signature check of a compact JWT against them. */
#ifndef PAM_COGNITO_JWKS_H
#define PAM_COGNITO_JWKS_H

#include <stddef.h>
#include <openssl/evp.h>

/* Largest JWKS document accepted; Cognito's holds two 2048-bit keys. */
#define PC_JWKS_MAX (64 * 1024)
#define PC_JWKS_MAX_KEYS 16

struct pc_jwk {
  char kid[128];
  EVP_PKEY *key; /* RSA public key */
};

struct pc_jwks {
  struct pc_jwk keys[PC_JWKS_MAX_KEYS];
  size_t n;
};

/* Parse a JWKS document: every key with kty "RSA", a kid, n and e (and, when
 * present, use "sig" and alg "RS256") is kept; others are skipped. Moduli
 * below 2048 bits are refused. 0 with at least one key, or -1 (out is then
 * empty). Release with pc_jwks_free. */
int pc_jwks_parse(const char *json, size_t len, struct pc_jwks *out)
    __attribute__((warn_unused_result));

/* The key with this kid, or NULL. */
EVP_PKEY *pc_jwks_find(const struct pc_jwks *set, const char *kid);

void pc_jwks_free(struct pc_jwks *set);

enum pc_jwt_check {
  PC_JWT_VALID,
  PC_JWT_MALFORMED,     /* not three base64url segments of JSON */
  PC_JWT_BAD_ALG,       /* header alg is not exactly RS256 */
  PC_JWT_UNKNOWN_KID,   /* no key with the header's kid */
  PC_JWT_BAD_SIGNATURE, /* RSASSA-PKCS1-v1_5 SHA-256 check failed */
  PC_JWT_NOMEM
};

/* Check the signature of jwt against set. PC_JWT_VALID with the claims in
 * *claims (json_object_put them), else *claims is NULL. */
enum pc_jwt_check pc_jwt_verify(const char *jwt, const struct pc_jwks *set,
                                struct json_object **claims)
    __attribute__((warn_unused_result));

/* pc_jwt_verify for a caller that decoded the claims already: body is
 * pc_jwt_claims(jwt) (NULL: malformed), not released here. */
enum pc_jwt_check pc_jwt_check_signature(const char *jwt,
                                         const struct pc_jwks *set,
                                         struct json_object *body)
    __attribute__((warn_unused_result));

/* A short English name for a check result ("bad signature"). */
const char *pc_jwt_check_str(enum pc_jwt_check c);

#endif
