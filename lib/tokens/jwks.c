/* SPDX-License-Identifier: MIT */
/* The pool's signing keys and RS256 verification, on OpenSSL 3's EVP API. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "base/codec.h"
#include "base/json.h"
#include "base/secret.h"
#include "tokens/jwks.h"
#include "tokens/jwt.h"

/* Cognito's keys are 2048-bit; anything weaker is not a pool's key. */
#define PC_JWK_MIN_BITS 2048
#define PC_JWK_MAX_BYTES 1024 /* 8192-bit modulus */

static BIGNUM *b64url_bn(const char *s) {
  size_t len = 0;
  unsigned char *raw;
  BIGNUM *bn;

  if (s == NULL)
    return NULL;
  raw = pc_base64url_decode(s, strlen(s), PC_JWK_MAX_BYTES, &len);
  if (raw == NULL)
    return NULL;
  bn = len > 0 ? BN_bin2bn(raw, (int)len, NULL) : NULL;
  free(raw);
  return bn;
}

static EVP_PKEY *rsa_public_key(const char *n64, const char *e64) {
  BIGNUM *n = b64url_bn(n64), *e = b64url_bn(e64);
  OSSL_PARAM_BLD *bld = NULL;
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *ctx = NULL;
  EVP_PKEY *key = NULL;

  if (n == NULL || e == NULL || BN_num_bits(n) < PC_JWK_MIN_BITS ||
      BN_is_zero(e) || !BN_is_odd(e))
    goto out;
  bld = OSSL_PARAM_BLD_new();
  if (bld == NULL || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
      !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
    goto out;
  params = OSSL_PARAM_BLD_to_param(bld);
  ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
  if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
      EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    key = NULL;
out:
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(n);
  BN_free(e);
  return key;
}

/* A string member equal to want, or absent: "use" and "alg" are optional
 * in a JWK, but when present they must allow RS256 signatures. */
static int absent_or(json_object *o, const char *name, const char *want) {
  json_object *v;

  if (!json_object_object_get_ex(o, name, &v))
    return 1;
  return json_object_is_type(v, json_type_string) &&
         strcmp(json_object_get_string(v), want) == 0;
}

int pc_jwks_parse(const char *json, size_t len, struct pc_jwks *out) {
  json_object *doc, *keys;
  size_t i, n;

  memset(out, 0, sizeof(*out));
  if (json == NULL || len > PC_JWKS_MAX)
    return -1;
  doc = pc_json_parse_object(json, len);
  if (doc == NULL)
    return -1;
  /* An error reply that also lists keys is an error reply. */
  if (json_object_object_get_ex(doc, "__type", NULL) ||
      !json_object_object_get_ex(doc, "keys", &keys) ||
      !json_object_is_type(keys, json_type_array)) {
    json_object_put(doc);
    return -1;
  }
  n = json_object_array_length(keys);
  for (i = 0; i < n && out->n < PC_JWKS_MAX_KEYS; i++) {
    json_object *k = json_object_array_get_idx(keys, i);
    const char *kid = pc_json_str(k, "kid"), *kty = pc_json_str(k, "kty");
    struct pc_jwk *slot = &out->keys[out->n];

    if (kid == NULL || *kid == '\0' || strlen(kid) >= sizeof(slot->kid) ||
        kty == NULL || strcmp(kty, "RSA") != 0 || !absent_or(k, "use", "sig") ||
        !absent_or(k, "alg", "RS256") || pc_jwks_find(out, kid) != NULL)
      continue;
    slot->key = rsa_public_key(pc_json_str(k, "n"), pc_json_str(k, "e"));
    if (slot->key == NULL)
      continue;
    memcpy(slot->kid, kid, strlen(kid) + 1);
    out->n++;
  }
  json_object_put(doc);
  if (out->n == 0)
    return -1;
  return 0;
}

EVP_PKEY *pc_jwks_find(const struct pc_jwks *set, const char *kid) {
  size_t i;

  if (set == NULL || kid == NULL)
    return NULL;
  for (i = 0; i < set->n; i++)
    if (strcmp(set->keys[i].kid, kid) == 0)
      return set->keys[i].key;
  return NULL;
}

void pc_jwks_free(struct pc_jwks *set) {
  size_t i;

  for (i = 0; i < set->n; i++)
    EVP_PKEY_free(set->keys[i].key);
  memset(set, 0, sizeof(*set));
}

static int rs256_ok(EVP_PKEY *key, const char *signed_part, size_t slen,
                    const unsigned char *sig, size_t siglen) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  int ok;

  /* A PKCS#1 signature is exactly as long as the modulus. */
  if (md == NULL || (int)siglen != EVP_PKEY_get_size(key)) {
    EVP_MD_CTX_free(md);
    return 0;
  }
  ok = EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
       EVP_DigestVerify(md, sig, siglen, (const unsigned char *)signed_part,
                        slen) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

/* The header segment of a compact JWT as a JSON object, or NULL. */
static json_object *jwt_header(const char *jwt) {
  const char *dot = jwt ? strchr(jwt, '.') : NULL;
  unsigned char *text;
  size_t len = 0;
  json_object *hdr;

  if (dot == NULL)
    return NULL;
  text = pc_base64url_decode(jwt, (size_t)(dot - jwt), 4096, &len);
  if (text == NULL)
    return NULL;
  hdr = pc_json_parse_object((const char *)text, len);
  free(text);
  return hdr;
}

enum pc_jwt_check pc_jwt_check_signature(const char *jwt,
                                         const struct pc_jwks *set,
                                         json_object *body) {
  const char *dot2, *alg, *kid;
  unsigned char *sig = NULL;
  size_t siglen = 0;
  json_object *hdr;
  EVP_PKEY *key;
  enum pc_jwt_check rc = PC_JWT_MALFORMED;

  hdr = jwt_header(jwt);
  if (hdr == NULL)
    return PC_JWT_MALFORMED;
  alg = pc_json_str(hdr, "alg");
  kid = pc_json_str(hdr, "kid");
  /* Exactly RS256: never "none", never HS256 keyed with a public key. */
  if (alg == NULL || strcmp(alg, "RS256") != 0) {
    rc = PC_JWT_BAD_ALG;
    goto out;
  }
  /* pc_jwt_claims checked the shape: three non-empty base64url segments. */
  if (body == NULL)
    goto out;
  key = pc_jwks_find(set, kid);
  if (key == NULL) {
    rc = PC_JWT_UNKNOWN_KID;
    goto out;
  }
  dot2 = strrchr(jwt, '.');
  sig = pc_base64url_decode(dot2 + 1, strlen(dot2 + 1), PC_JWK_MAX_BYTES,
                            &siglen);
  if (sig == NULL)
    goto out;
  if (!rs256_ok(key, jwt, (size_t)(dot2 - jwt), sig, siglen)) {
    rc = PC_JWT_BAD_SIGNATURE;
    goto out;
  }
  rc = PC_JWT_VALID;
out:
  json_object_put(hdr);
  free(sig);
  return rc;
}

enum pc_jwt_check pc_jwt_verify(const char *jwt, const struct pc_jwks *set,
                                json_object **claims) {
  json_object *body = pc_jwt_claims(jwt);
  enum pc_jwt_check rc = pc_jwt_check_signature(jwt, set, body);

  *claims = rc == PC_JWT_VALID ? body : NULL;
  if (rc != PC_JWT_VALID)
    json_object_put(body);
  return rc;
}

const char *pc_jwt_check_str(enum pc_jwt_check c) {
  switch (c) {
  case PC_JWT_VALID:
    return "valid";
  case PC_JWT_MALFORMED:
    return "malformed token";
  case PC_JWT_BAD_ALG:
    return "signature algorithm is not RS256";
  case PC_JWT_UNKNOWN_KID:
    return "signed with a key the pool does not publish";
  case PC_JWT_BAD_SIGNATURE:
    return "bad signature";
  case PC_JWT_NOMEM:
    return "out of memory";
  }
  return "unknown";
}
