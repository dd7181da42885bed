/* SPDX-License-Identifier: MIT */
/* ID-token verification: keys from the store or the pool, then the claims
 * Cognito promises. Each refusal names the check for syslog. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/json.h"
#include "config/endpoint.h"
#include "tokens/idtoken.h"
#include "tokens/jwks.h"
#include "tokens/jwks_cache.h"
#include "tokens/jwt.h"

static char *join(const char *a, const char *b, const char *c) {
  size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
  char *s = malloc(la + lb + lc + 1);

  if (s == NULL)
    return NULL;
  memcpy(s, a, la);
  memcpy(s + la, b, lb);
  memcpy(s + la + lb, c, lc + 1);
  return s;
}

char *pc_idtoken_issuer_of(const struct pc_config *cfg,
                           enum pc_issuer_form form) {
  /* The partition's DNS suffix, never the FIPS host (endpoint.c). */
  return pc_endpoint_issuer(cfg->region, cfg->user_pool_id, form);
}

char *pc_idtoken_issuer(const struct pc_config *cfg) {
  return pc_idtoken_issuer_of(cfg, PC_ISSUER_ORIGINAL);
}

int pc_idtoken_issuer_form(const struct pc_config *cfg, const char *iss,
                           enum pc_issuer_form *form) {
  static const enum pc_issuer_form forms[] = {PC_ISSUER_ORIGINAL,
                                              PC_ISSUER_UPDATED};
  char *want;
  size_t i;
  int same;

  for (i = 0; iss != NULL && i < 2; i++) {
    if ((want = pc_idtoken_issuer_of(cfg, forms[i])) == NULL)
      return -1;
    same = strcmp(iss, want) == 0;
    free(want);
    if (same) {
      *form = forms[i];
      return 0;
    }
  }
  return -1;
}

char *pc_jwks_url_for(const struct pc_config *cfg, enum pc_issuer_form form) {
  /* The original issuer's keys are served by the user-pool endpoint (or its
   * override, or its FIPS host); the updated issuer's by its own host. */
  char *base = form == PC_ISSUER_UPDATED ? pc_config_issuer_url(cfg)
                                         : pc_config_idp_url(cfg),
       *url;
  size_t n;

  if (base == NULL || cfg->user_pool_id == NULL) {
    free(base);
    return NULL;
  }
  n = strlen(base);
  url = join(base, n > 0 && base[n - 1] == '/' ? "" : "/", cfg->user_pool_id);
  free(base);
  if (url == NULL)
    return NULL;
  base = url;
  url = join(base, "/.well-known/jwks.json", "");
  free(base);
  return url;
}

char *pc_jwks_url(const struct pc_config *cfg) {
  return pc_jwks_url_for(cfg, PC_ISSUER_ORIGINAL);
}

/* GET the JWKS of the issuer form into keys and keep it in the store. */
static enum pc_status fetch_keys(struct pc_client *cl, enum pc_issuer_form form,
                                 time_t now, struct pc_jwks *keys,
                                 struct pc_error *why) {
  struct pc_buf body;
  char *url = pc_jwks_url_for(cl->cfg, form);
  long status = 0;
  enum pc_status st;

  pc_buf_init(&body, PC_JWKS_MAX);
  if (url == NULL)
    return PC_ERR_NOMEM;
  st = pc_http_get(cl->http, url, &status, &body);
  free(url);
  if (st != PC_OK) {
    pc_error_set(why, PC_ERR_AUTH, "cannot fetch the pool's JWKS: %s",
                 pc_status_str(st));
  } else if (status != 200) {
    pc_error_set(why, PC_ERR_AUTH, "the pool's JWKS answered HTTP %ld", status);
    st = status >= 500 ? PC_ERR_UNAVAIL : PC_ERR_PROTOCOL;
  } else if (pc_jwks_parse(body.data, body.len, keys) != 0) {
    pc_error_set(why, PC_ERR_AUTH, "the pool's JWKS holds no usable RS256 key");
    st = PC_ERR_PROTOCOL;
  } else if (pc_jwks_store_save_form(cl->cfg, form, body.data, body.len, now) !=
             0) {
    /* Not fatal: the next login fetches again. */
  }
  pc_buf_free(&body);
  return st;
}

/* Keys of the issuer form from the store when fresh enough; *fetched is
 * when they were fetched (0 when none were stored). */
static int stored_keys(const struct pc_config *cfg, enum pc_issuer_form form,
                       struct pc_jwks *keys, time_t *fetched) {
  struct pc_buf body;
  int rc;

  *fetched = 0;
  if (pc_jwks_store_load_form(cfg, form, &body, fetched) != 0)
    return -1;
  rc = pc_jwks_parse(body.data, body.len, keys);
  pc_buf_free(&body);
  return rc;
}

/* Which of the pool's two issuers the (not yet verified) token names: the
 * keys to check it with are that issuer's, and no other host is ever asked
 * for keys. PC_OK with the token's claims, decoded once for the whole
 * verification, in *decoded (json_object_put them). */
static enum pc_status token_issuer(const struct pc_config *cfg,
                                   const char *id_token,
                                   enum pc_issuer_form *form,
                                   json_object **decoded,
                                   struct pc_error *why) {
  json_object *claims = pc_jwt_claims(id_token);
  struct pc_jwks none;
  enum pc_jwt_check chk;
  char *a, *b;
  int found;

  if (claims == NULL) {
    /* No claims to read: the header says why (alg "none" has no
     * signature segment), with no key needed to tell. */
    memset(&none, 0, sizeof none);
    chk = pc_jwt_verify(id_token, &none, &claims);
    json_object_put(claims);
    if (chk == PC_JWT_NOMEM)
      return PC_ERR_NOMEM;
    return pc_error_set(
        why, PC_ERR_AUTH, "ID token refused: %s",
        pc_jwt_check_str(chk == PC_JWT_BAD_ALG ? chk : PC_JWT_MALFORMED));
  }
  found = pc_idtoken_issuer_form(cfg, pc_jwt_str(claims, "iss"), form) == 0;
  if (found) {
    *decoded = claims;
    return PC_OK;
  }
  json_object_put(claims);
  a = pc_idtoken_issuer_of(cfg, PC_ISSUER_ORIGINAL);
  b = pc_idtoken_issuer_of(cfg, PC_ISSUER_UPDATED);
  if (a != NULL && b != NULL)
    (void)pc_error_set(why, PC_ERR_AUTH, "ID token issuer is not %s or %s", a,
                       b);
  free(a);
  free(b);
  return a != NULL && b != NULL ? PC_ERR_AUTH : PC_ERR_NOMEM;
}

/* The claims a Cognito ID token of this pool and client must carry. */
static enum pc_status check_claims(const struct pc_config *cfg,
                                   enum pc_issuer_form form,
                                   json_object *claims, time_t now,
                                   struct pc_error *why) {
  char *iss = pc_idtoken_issuer_of(cfg, form);
  const char *got_iss = pc_jwt_str(claims, "iss");
  const char *aud = pc_jwt_str(claims, "aud");
  const char *use = pc_jwt_str(claims, "token_use");
  long long exp = 0, iat = 0;
  enum pc_status st = PC_ERR_AUTH;

  if (iss == NULL)
    return PC_ERR_NOMEM;
  if (got_iss == NULL || strcmp(got_iss, iss) != 0)
    pc_error_set(why, PC_ERR_AUTH, "ID token issuer is not %s", iss);
  else if (aud == NULL || strcmp(aud, cfg->client_id) != 0)
    pc_error_set(why, PC_ERR_AUTH, "ID token audience is not this app client");
  else if (use == NULL || strcmp(use, "id") != 0)
    pc_error_set(why, PC_ERR_AUTH, "token_use is not \"id\"");
  else if (pc_json_number(claims, "exp", &exp) != 0)
    pc_error_set(why, PC_ERR_AUTH, "ID token has no expiry");
  else if (exp + PC_JWT_SKEW <= (long long)now)
    pc_error_set(why, PC_ERR_AUTH, "ID token expired %lld seconds ago",
                 (long long)now - exp);
  else if (pc_json_number(claims, "iat", &iat) == 0 &&
           iat > (long long)now + PC_JWT_SKEW)
    pc_error_set(why, PC_ERR_AUTH,
                 "ID token issued in the future (clock skew?)");
  else
    st = PC_OK;
  free(iss);
  return st;
}

enum pc_status pc_idtoken_verify(struct pc_client *cl, const char *id_token,
                                 time_t now, json_object **claims,
                                 struct pc_error *why) {
  struct pc_jwks keys;
  json_object *decoded = NULL;
  enum pc_issuer_form form = PC_ISSUER_ORIGINAL;
  enum pc_jwt_check chk;
  enum pc_status st;
  time_t fetched;
  int fresh = 0;

  *claims = NULL;
  pc_error_clear(why);
  memset(&keys, 0, sizeof keys);
  if (id_token == NULL || *id_token == '\0') {
    return pc_error_set(why, PC_ERR_AUTH, "no ID token");
  }
  st = token_issuer(cl->cfg, id_token, &form, &decoded, why);
  if (st != PC_OK)
    return st;
  if (stored_keys(cl->cfg, form, &keys, &fetched) != 0 || fetched > now ||
      now - fetched >= PC_JWKS_TTL) {
    pc_jwks_free(&keys);
    st = fetch_keys(cl, form, now, &keys, why);
    fresh = 1;
  }
  if (st != PC_OK)
    goto out;
  chk = pc_jwt_check_signature(id_token, &keys, decoded);
  /* A kid we do not know may be a key the pool just rotated in: fetch once,
   * but not more than once a minute (a forged kid must not make every login
   * hammer the endpoint). */
  if (chk == PC_JWT_UNKNOWN_KID && !fresh &&
      now - fetched >= PC_JWKS_REFETCH_MIN) {
    pc_jwks_free(&keys);
    st = fetch_keys(cl, form, now, &keys, why);
    if (st != PC_OK)
      goto out;
    chk = pc_jwt_check_signature(id_token, &keys, decoded);
  }
  if (chk == PC_JWT_NOMEM)
    st = PC_ERR_NOMEM;
  else if (chk != PC_JWT_VALID)
    st = pc_error_set(why, PC_ERR_AUTH, "ID token refused: %s",
                      pc_jwt_check_str(chk));
  else if ((st = check_claims(cl->cfg, form, decoded, now, why)) == PC_OK) {
    *claims = decoded; /* verified: the caller's */
    decoded = NULL;
  }
out:
  pc_jwks_free(&keys);
  json_object_put(decoded);
  return st;
}
