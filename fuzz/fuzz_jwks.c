/* SPDX-License-Identifier: MIT */
/* fuzz_jwks: a JWKS document as the pool's endpoint (or the stored copy)
 * may serve it.
 *
 * The bytes go to pc_jwks_parse. A set that parses holds 1..16 RSA keys,
 * each findable by its kid; then the fixture's signed ID token is checked
 * against it: it may be valid only when the set holds the fixture's key
 * under the token's kid (no document makes a foreign signature pass). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "fixture.h"
#include "fixture_keys.h"
#include "tokens/jwks.h"

static struct pc_jwks fixture;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  if (pc_jwks_parse(FIXTURE_JWKS, strlen(FIXTURE_JWKS), &fixture) != 0 ||
      pc_jwks_find(&fixture, FIXTURE_KID) == NULL)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct json_object *claims = NULL;
  enum pc_jwt_check chk;
  struct pc_jwks set;
  EVP_PKEY *k;
  size_t i;

  if (pc_jwks_parse((const char *)data, size, &set) != 0) {
    if (set.n != 0)
      abort(); /* "out is then empty" */
    return 0;
  }
  if (set.n == 0 || set.n > PC_JWKS_MAX_KEYS)
    abort();
  for (i = 0; i < set.n; i++)
    if (set.keys[i].key == NULL ||
        memchr(set.keys[i].kid, '\0', sizeof set.keys[i].kid) == NULL ||
        pc_jwks_find(&set, set.keys[i].kid) == NULL)
      abort();
  chk = pc_jwt_verify(FIXTURE_ID_TOKEN, &set, &claims);
  if ((chk == PC_JWT_VALID) != (claims != NULL))
    abort();
  if (chk == PC_JWT_VALID) {
    k = pc_jwks_find(&set, FIXTURE_KID);
    if (k == NULL || EVP_PKEY_eq(k, pc_jwks_find(&fixture, FIXTURE_KID)) != 1)
      abort();
  }
  json_object_put(claims);
  pc_jwks_free(&set);
  return 0;
}
