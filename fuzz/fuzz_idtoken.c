/* SPDX-License-Identifier: MIT */
/* fuzz_idtoken: an ID token as a server may send it, through the check
 * that stands between "Cognito said yes" and PAM_SUCCESS.
 *
 * The bytes, as text, go to pc_jwt_verify against the fixture's key set
 * and to pc_idtoken_verify with that set in the JWKS store (fetched two
 * minutes ago, so an unknown kid makes one fetch, answered by the canned
 * transport with the same set). A token that verifies must carry this
 * pool's issuer, this client as audience, token_use "id" and an expiry not
 * passed; seeds signed by the fixture key reach the claim checks. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canned.h"
#include "fixture.h"
#include "fixture_keys.h"
#include "tokens/idtoken.h"
#include "tokens/jwks.h"
#include "tokens/jwks_cache.h"
#include "tokens/jwt.h"

static struct pc_config cfg;
static struct pc_jwks fixture;

static void check_claims(json_object *claims) {
  char *iss = pc_idtoken_issuer(&cfg);
  const char *got = pc_jwt_str(claims, "iss"), *aud, *use;
  long long exp;

  aud = pc_jwt_str(claims, "aud");
  use = pc_jwt_str(claims, "token_use");
  if (iss == NULL)
    return;
  if (got == NULL || strcmp(got, iss) != 0 || aud == NULL ||
      strcmp(aud, "abc123") != 0 || use == NULL || strcmp(use, "id") != 0 ||
      pc_json_number(claims, "exp", &exp) != 0 ||
      exp + PC_JWT_SKEW <= (long long)FIXTURE_NOW)
    abort();
  free(iss);
}

static void stored(void) {
  if (pc_jwks_store_save(&cfg, FIXTURE_JWKS, strlen(FIXTURE_JWKS),
                         FIXTURE_NOW - 120) != 0)
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  fixture_config(&cfg);
  if (pc_jwks_parse(FIXTURE_JWKS, strlen(FIXTURE_JWKS), &fixture) != 0)
    abort();
  stored();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const unsigned char jwks[] = "2" FIXTURE_JWKS;
  char *token = fixture_text(data, size);
  struct pc_error why = {0};
  json_object *claims = NULL;
  struct pc_client cl;
  struct canned c;
  enum pc_jwt_check chk;
  enum pc_status st;

  chk = pc_jwt_verify(token, &fixture, &claims);
  if ((chk == PC_JWT_VALID) != (claims != NULL))
    abort();
  json_object_put(claims);

  canned_split(&c, jwks, sizeof jwks - 1);
  if (pc_client_init(&cl, &cfg, canned_http(&c)) == PC_OK) {
    cl.retries = 0;
    st = pc_idtoken_verify(&cl, token, FIXTURE_NOW, &claims, &why);
    if ((st == PC_OK) != (claims != NULL) ||
        memchr(why.detail, 0, sizeof why.detail) == NULL)
      abort();
    if (st == PC_OK) {
      if (chk != PC_JWT_VALID)
        abort(); /* the same key set, yet valid only once */
      check_claims(claims);
    }
    json_object_put(claims);
    pc_client_free(&cl);
  }
  /* A fetch stored the set as fetched now: back to two minutes old. */
  if (c.next > 0)
    stored();
  free(token);
  return 0;
}
