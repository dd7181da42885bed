/* SPDX-License-Identifier: MIT */
/* ID-token verification (signature, claims, JWKS fetch and store) and the
 * access decision, with tokens signed here by a key made for the test. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "admit/access.h"
#include "net/api.h"
#include "tokens/idtoken.h"
#include "tokens/jwks.h"
#include "tap.h"

#define NOW 1800000000L
#define POOL "us-east-1_AbC123"
#define ISS "https://cognito-idp.us-east-1.amazonaws.com/" POOL
#define ISS_UPDATED "https://issuer-cognito-idp.us-east-1.amazonaws.com/" POOL

static struct pc_error cerr;
static struct pc_error why;
static EVP_PKEY *key, *other_key, *updated_key;
static char jwks_doc[4096], jwks_updated[4096];

/* ---- a transport that serves the JWKS on GET and counts fetches ---- */

struct server {
  int gets;
  long status;
  enum pc_status rc;
  const char *body;
  char url[256];
  const char *body_updated; /* what the updated issuer's host serves */
};

static enum pc_status no_post(struct pc_http *h, const char *url,
                              const char *target, const char *body,
                              size_t body_len, long *status,
                              struct pc_buf *resp) {
  (void)h, (void)url, (void)target, (void)body, (void)body_len, (void)resp;
  *status = 500;
  return PC_ERR_UNAVAIL;
}

static enum pc_status serve_get(struct pc_http *h, const char *url,
                                long *status, struct pc_buf *resp) {
  struct server *s = pc_http_opaque(h);

  s->gets++;
  (void)snprintf(s->url, sizeof s->url, "%s", url);
  if (s->rc != PC_OK)
    return s->rc;
  *status = s->status;
  if (s->body_updated != NULL && strstr(url, "//issuer-cognito-idp.") != NULL) {
    if (pc_buf_append(resp, s->body_updated, strlen(s->body_updated)) != 0)
      return PC_ERR_PROTOCOL;
    return PC_OK;
  }
  if (pc_buf_append(resp, s->body, strlen(s->body)) != 0)
    return PC_ERR_PROTOCOL;
  return PC_OK;
}

static const struct pc_http_ops ops = {.post = no_post, .get = serve_get};

/* ---- signing ---- */

static void b64url(const unsigned char *in, size_t n, char *out, size_t cap) {
  char tmp[4096];
  int len, i, o = 0;

  len = EVP_EncodeBlock((unsigned char *)tmp, in, (int)n);
  for (i = 0; i < len && (size_t)o + 1 < cap; i++) {
    if (tmp[i] == '=')
      break;
    out[o++] = tmp[i] == '+' ? '-' : tmp[i] == '/' ? '_' : tmp[i];
  }
  out[o] = '\0';
}

static void bn_b64url(EVP_PKEY *k, const char *name, char *out, size_t cap) {
  BIGNUM *bn = NULL;
  unsigned char raw[600];
  int n;

  (void)EVP_PKEY_get_bn_param(k, name, &bn);
  n = BN_bn2bin(bn, raw);
  b64url(raw, (size_t)n, out, cap);
  BN_free(bn);
}

/* A compact JWT: header {alg, kid}, the given claims, signed by k (RS256),
 * or with an HMAC "signature" for alg HS256, or none. */
static char *make_jwt(const char *alg, const char *kid, const char *claims,
                      EVP_PKEY *k) {
  char head[256], h64[512], c64[2048], s64[1024], *jwt;
  unsigned char sig[512];
  size_t siglen = sizeof sig, n;
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  static char signing[4096];

  (void)snprintf(head, sizeof head, "{\"alg\":\"%s\",\"kid\":\"%s\"}", alg,
                 kid);
  b64url((const unsigned char *)head, strlen(head), h64, sizeof h64);
  b64url((const unsigned char *)claims, strlen(claims), c64, sizeof c64);
  (void)snprintf(signing, sizeof signing, "%s.%s", h64, c64);
  if (strcmp(alg, "RS256") == 0) {
    (void)EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k);
    (void)EVP_DigestSign(md, sig, &siglen, (unsigned char *)signing,
                         strlen(signing));
  } else {
    memset(sig, 'x', 32);
    siglen = 32;
  }
  EVP_MD_CTX_free(md);
  b64url(sig, siglen, s64, sizeof s64);
  n = strlen(signing) + strlen(s64) + 2;
  jwt = malloc(n);
  if (jwt != NULL)
    (void)snprintf(jwt, n, "%s.%s", signing, s64);
  return jwt;
}

static char *claims_json(const char *iss, const char *aud, const char *use,
                         long exp, const char *extra) {
  static char buf[1024];

  (void)snprintf(buf, sizeof buf,
                 "{\"sub\":\"0b1c\",\"iss\":\"%s\",\"aud\":\"%s\","
                 "\"token_use\":\"%s\",\"exp\":%ld,\"iat\":%ld,"
                 "\"cognito:username\":\"alice\"%s}",
                 iss, aud, use, exp, NOW - 10, extra ? extra : "");
  return buf;
}

static void jwks_of(EVP_PKEY *k, const char *kid, char *out, size_t cap) {
  char n64[600], e64[16];

  bn_b64url(k, OSSL_PKEY_PARAM_RSA_N, n64, sizeof n64);
  bn_b64url(k, OSSL_PKEY_PARAM_RSA_E, e64, sizeof e64);
  (void)snprintf(out, cap,
                 "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"%s\",\"alg\":"
                 "\"RS256\",\"use\":\"sig\",\"n\":\"%s\",\"e\":\"%s\"}]}",
                 kid, n64, e64);
}

static void setup_keys(void) {
  key = EVP_RSA_gen(2048);
  other_key = EVP_RSA_gen(2048);
  updated_key = EVP_RSA_gen(2048);
  jwks_of(key, "k1", jwks_doc, sizeof jwks_doc);
  jwks_of(updated_key, "u1", jwks_updated, sizeof jwks_updated);
}

static int client(struct pc_config *c, struct pc_client *cl, struct server *s,
                  const char *cache) {
  struct pc_http *h;

  if (pc_config_init(c) != 0 ||
      pc_config_set(c, "region", "us-east-1", &cerr) != 0 ||
      pc_config_set(c, "user_pool_id", POOL, &cerr) != 0 ||
      pc_config_set(c, "client_id", "client1", &cerr) != 0 ||
      pc_config_set(c, "idp_endpoint", "http://127.0.0.1:9/", &cerr) != 0 ||
      pc_config_set(c, "cache_dir", cache, &cerr) != 0)
    return -1;
  h = pc_http_new_custom(&ops, s);
  return h == NULL || pc_client_init(cl, c, h) != PC_OK ? -1 : 0;
}

static enum pc_status verify(struct pc_client *cl, const char *jwt,
                             json_object **claims) {
  return pc_idtoken_verify(cl, jwt, NOW, claims, &why);
}

static void test_checks(const char *cache) {
  struct pc_config c;
  struct pc_client cl;
  struct server s = {0, 200, PC_OK, jwks_doc, "", NULL};
  json_object *claims = NULL;
  char *t;
  struct {
    const char *alg, *kid, *iss, *aud, *use;
    long exp;
    int other;
    const char *name, *why;
  } bad[] = {
      {"none", "k1", ISS, "client1", "id", NOW + 600, 0, "alg none",
       "not RS256"},
      {"HS256", "k1", ISS, "client1", "id", NOW + 600, 0, "alg HS256",
       "not RS256"},
      {"RS256", "k1", ISS, "client1", "id", NOW + 600, 1, "another key",
       "bad signature"},
      {"RS256", "k1", "https://cognito-idp.us-east-1.amazonaws.com/other",
       "client1", "id", NOW + 600, 0, "wrong iss", "issuer"},
      {"RS256", "k1", ISS, "client2", "id", NOW + 600, 0, "wrong aud",
       "audience"},
      {"RS256", "k1", ISS, "client1", "access", NOW + 600, 0, "access token",
       "token_use"},
      {"RS256", "k1", ISS, "client1", "id", NOW - 120, 0, "expired", "expired"},
  };
  size_t i;

  if (client(&c, &cl, &s, cache) != 0) {
    ok(0, "client setup (%s)", cerr.detail);
    return;
  }
  t = make_jwt("RS256", "k1",
               claims_json(ISS, "client1", "id", NOW + 600, NULL), key);
  ok(verify(&cl, t, &claims) == PC_OK, "a valid token verifies (%s)",
     why.detail);
  is_str(json_object_get_string(json_object_object_get(claims, "sub")), "0b1c",
         "its claims are returned");
  is_str(s.url, "http://127.0.0.1:9/" POOL "/.well-known/jwks.json",
         "JWKS fetched from <endpoint>/<pool>/.well-known/jwks.json");
  json_object_put(claims);
  /* The signature covers header and claims: change one claim byte. */
  t[strchr(t, '.') - t + 5] ^= 1;
  ok(verify(&cl, t, &claims) != PC_OK && claims == NULL,
     "a token with a changed claim is refused (%s)", why.detail);
  free(t);
  t = make_jwt("RS256", "k1",
               claims_json(ISS, "client1", "id", NOW + 600, NULL), key);
  t[strlen(t) - 3] = t[strlen(t) - 3] == 'A' ? 'B' : 'A';
  ok(verify(&cl, t, &claims) == PC_ERR_AUTH, "a flipped signature is refused");
  ok(strstr(why.detail, "bad signature") != NULL, "why names the check (%s)",
     why.detail);
  free(t);
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    t = make_jwt(
        bad[i].alg, bad[i].kid,
        claims_json(bad[i].iss, bad[i].aud, bad[i].use, bad[i].exp, NULL),
        bad[i].other ? other_key : key);
    ok(verify(&cl, t, &claims) == PC_ERR_AUTH && claims == NULL,
       "%s is refused", bad[i].name);
    ok(strstr(why.detail, bad[i].why) != NULL, "%s: why says '%s' (%s)",
       bad[i].name, bad[i].why, why.detail);
    free(t);
  }
  ok(verify(&cl, "", &claims) == PC_ERR_AUTH, "an empty token is refused");
  ok(verify(&cl, "a.b", &claims) == PC_ERR_AUTH, "two segments are refused");
  t = make_jwt(
      "RS256", "k1",
      claims_json(ISS, "client1", "id", NOW + 600, ",\"iat\":1900000000"), key);
  ok(verify(&cl, t, &claims) == PC_ERR_AUTH, "iat in the future is refused");
  free(t);
  pc_client_free(&cl);
  pc_config_free(&c);
}

/* Keys: unknown kid, server down, garbage; fetched once when root keeps
 * them in the store. */
static void test_fetching(const char *cache) {
  struct pc_config c;
  struct pc_client cl;
  struct server s = {0, 200, PC_OK, jwks_doc, "", NULL};
  json_object *claims = NULL;
  char *good = make_jwt(
      "RS256", "k1", claims_json(ISS, "client1", "id", NOW + 600, NULL), key);
  char *stranger =
      make_jwt("RS256", "k9",
               claims_json(ISS, "client1", "id", NOW + 600, NULL), other_key);
  /* Long after the stored keys went stale. */
  const long later = NOW + 2 * PC_JWKS_TTL;
  char *late = make_jwt(
      "RS256", "k1", claims_json(ISS, "client1", "id", later + 600, NULL), key);
  int i, before;

  if (client(&c, &cl, &s, cache) != 0) {
    ok(0, "client setup (%s)", cerr.detail);
    return;
  }
  for (i = 0; i < 5; i++) {
    ok(verify(&cl, good, &claims) == PC_OK, "login %d verifies", i + 1);
    json_object_put(claims);
  }
  if (geteuid() == 0)
    ok(s.gets == 1, "as root the JWKS is fetched once for 5 logins (%d)",
       s.gets);
  else
    ok(s.gets == 5, "without root no store: fetched each time (%d)", s.gets);
  before = s.gets;
  ok(verify(&cl, stranger, &claims) == PC_ERR_AUTH,
     "an unknown kid is refused");
  ok(strstr(why.detail, "key the pool does not publish") != NULL, "why: %s",
     why.detail);
  if (geteuid() == 0) {
    /* The store was written at NOW: a refetch waits a minute. */
    ok(s.gets == before, "no refetch for an unknown kid within a minute");
    ok(pc_idtoken_verify(&cl, stranger, NOW + PC_JWKS_REFETCH_MIN, &claims,
                         &why) == PC_ERR_AUTH &&
           s.gets == before + 1,
       "an unknown kid a minute later refetches once (%d)", s.gets);
  }
  s.rc = PC_ERR_UNAVAIL;
  ok(pc_idtoken_verify(&cl, late, later, &claims, &why) == PC_ERR_UNAVAIL,
     "stale keys and the pool unreachable: unavailable");
  s.rc = PC_OK;
  s.body = "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k1\"}]}";
  ok(pc_idtoken_verify(&cl, late, later, &claims, &why) == PC_ERR_PROTOCOL,
     "a JWKS without an RSA key is a protocol error (%s)", why.detail);
  s.body = "<html>";
  ok(pc_idtoken_verify(&cl, late, later, &claims, &why) == PC_ERR_PROTOCOL,
     "garbage JWKS is a protocol error");
  s.body = jwks_doc;
  s.status = 503;
  before = s.gets;
  ok(pc_idtoken_verify(&cl, late, later, &claims, &why) == PC_ERR_UNAVAIL,
     "JWKS HTTP 503 is unavailable");
  ok(s.gets == before + 1, "a failed fetch is tried once per login");
  s.status = 200;
  ok(pc_idtoken_verify(&cl, late, later, &claims, &why) == PC_OK,
     "stale keys are fetched again when the pool answers (%s)", why.detail);
  json_object_put(claims);
  free(late);
  free(good);
  free(stranger);
  pc_client_free(&cl);
  pc_config_free(&c);
}

/* The pool's two issuers: each token is checked with its own issuer's keys,
 * fetched from that issuer and kept apart; any other issuer is refused
 * before a key is fetched. */
static void test_issuers(const char *cache) {
  struct pc_config c;
  struct pc_client cl;
  struct server s = {0, 200, PC_OK, jwks_doc, "", jwks_updated};
  json_object *claims = NULL;
  static const char *const strangers[] = {
      "https://evil.example.com/" POOL,
      "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other",
      "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_Other",
      "https://issuer-cognito-idp.us-west-2.amazonaws.com/" POOL,
      "https://issuer-cognito-idp.us-east-1.amazonaws.com/" POOL "/",
      "http://issuer-cognito-idp.us-east-1.amazonaws.com/" POOL,
      "https://issuer-cognito-idp-fips.us-east-1.amazonaws.com/" POOL,
      "https://issuer.cognito-idp.us-east-1.amazonaws.com/" POOL,
  };
  char *t, *u, path[512];
  struct stat st;
  size_t i;
  int before;

  if (client(&c, &cl, &s, cache) != 0) {
    ok(0, "client setup (%s)", cerr.detail);
    return;
  }
  t = make_jwt("RS256", "u1",
               claims_json(ISS_UPDATED, "client1", "id", NOW + 600, NULL),
               updated_key);
  ok(verify(&cl, t, &claims) == PC_OK,
     "a token of the updated issuer verifies (%s)", why.detail);
  json_object_put(claims);
  is_str(s.url,
         "https://issuer-cognito-idp.us-east-1.amazonaws.com/" POOL
         "/.well-known/jwks.json",
         "its keys come from <issuer>/.well-known/jwks.json");
  free(t);
  t = make_jwt("RS256", "k1",
               claims_json(ISS, "client1", "id", NOW + 600, NULL), key);
  ok(verify(&cl, t, &claims) == PC_OK,
     "a token of the original issuer verifies (%s)", why.detail);
  json_object_put(claims);
  is_str(s.url, "http://127.0.0.1:9/" POOL "/.well-known/jwks.json",
         "its keys come from the user-pool endpoint");
  free(t);
  /* The original issuer's key, under the updated issuer's name: refused
   * even with both key sets stored. */
  t = make_jwt("RS256", "k1",
               claims_json(ISS_UPDATED, "client1", "id", NOW + 600, NULL), key);
  ok(verify(&cl, t, &claims) == PC_ERR_AUTH && claims == NULL,
     "one issuer's keys do not stand in for the other's (%s)", why.detail);
  free(t);
  t = make_jwt("RS256", "u1",
               claims_json(ISS, "client1", "id", NOW + 600, NULL), updated_key);
  ok(verify(&cl, t, &claims) == PC_ERR_AUTH && claims == NULL,
     "nor the other way round (%s)", why.detail);
  free(t);
  if (geteuid() == 0) {
    (void)snprintf(path, sizeof path, "%s/.private/jwks-updated-" POOL ".json",
                   cache);
    ok(stat(path, &st) == 0 && st.st_uid == 0 && (st.st_mode & 077) == 0,
       "the updated issuer's keys kept root-only, apart");
  }
  for (i = 0; i < sizeof strangers / sizeof strangers[0]; i++) {
    before = s.gets;
    t = make_jwt("RS256", "u1",
                 claims_json(strangers[i], "client1", "id", NOW + 600, NULL),
                 updated_key);
    ok(verify(&cl, t, &claims) == PC_ERR_AUTH && claims == NULL &&
           strstr(why.detail, "issuer is not " ISS " or " ISS_UPDATED) &&
           s.gets == before,
       "issuer %s refused, no key fetched (%s)", strangers[i], why.detail);
    free(t);
  }
  u = pc_jwks_url_for(&c, PC_ISSUER_UPDATED);
  is_str(u,
         "https://issuer-cognito-idp.us-east-1.amazonaws.com/" POOL
         "/.well-known/jwks.json",
         "the updated issuer's JWKS URL");
  free(u);
  if (pc_config_set(&c, "issuer_endpoint", "http://127.0.0.1:9/iss/", &cerr) ==
      0) {
    u = pc_jwks_url_for(&c, PC_ISSUER_UPDATED);
    is_str(u, "http://127.0.0.1:9/iss/" POOL "/.well-known/jwks.json",
           "issuer_endpoint moves it");
    free(u);
  }
  pc_client_free(&cl);
  pc_config_free(&c);
}

static void test_jwks_parse(void) {
  struct pc_jwks set;

  ok(pc_jwks_parse(jwks_doc, strlen(jwks_doc), &set) == 0 && set.n == 1,
     "one RSA key parsed");
  ok(pc_jwks_find(&set, "k1") != NULL && pc_jwks_find(&set, "k2") == NULL,
     "found by kid");
  pc_jwks_free(&set);
  ok(pc_jwks_parse("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"s\",\"n\":\"AQAB\","
                   "\"e\":\"AQAB\"}]}",
                   70, &set) == -1,
     "a tiny modulus is refused");
  ok(pc_jwks_parse("{\"keys\":{}}", 11, &set) == -1, "keys not an array");
  ok(pc_jwks_parse("[]", 2, &set) == -1, "not an object");
  {
    /* The served key set with an error __type in front: an error reply. */
    char both[8192];
    int n = snprintf(both, sizeof(both),
                     "{\"__type\":\"NotAuthorizedException\",%s",
                     strchr(jwks_doc, '{') + 1);

    ok(n > 0 && (size_t)n < sizeof(both) &&
           pc_jwks_parse(both, (size_t)n, &set) == -1,
       "keys next to an error __type are refused");
  }
}

static json_object *claims_of(const char *json) {
  return json_tokener_parse(json);
}

static void test_access(void) {
  struct pc_config c;
  json_object *cl;

  if (pc_config_init(&c) != 0)
    return;
  cl = claims_of("{\"cognito:username\":\"alice\"}");
  ok(pc_access_decide(&c, "alice", cl, &why) == PC_ACCESS_ALLOWED,
     "no rules: a bound user is allowed");
  ok(pc_access_decide(&c, "ALICE", cl, &why) == PC_ACCESS_NOT_BOUND,
     "ALICE is not alice");
  ok(pc_access_decide(&c, "bob", cl, &why) == PC_ACCESS_NOT_BOUND,
     "another user's token does not open bob");
  ok(strstr(why.detail, "cognito:username") != NULL, "why names the claim (%s)",
     why.detail);
  json_object_put(cl);

  cl = claims_of("{\"cognito:username\":\"alice\",\"cognito:groups\":"
                 "[\"devs\",\"ops\"]}");
  ok(pc_config_set(&c, "allowed_groups", "admins", &cerr) == 0,
     "allowed_groups=admins");
  ok(pc_access_decide(&c, "alice", cl, &why) == PC_ACCESS_NOT_ALLOWED,
     "not in admins: refused");
  ok(strstr(why.detail, "allowed_groups") != NULL, "why names the rule (%s)",
     why.detail);
  ok(pc_config_set(&c, "allowed_groups", "admins,ops", &cerr) == 0 &&
         pc_access_decide(&c, "alice", cl, &why) == PC_ACCESS_ALLOWED,
     "in ops: allowed");
  ok(pc_config_set(&c, "allowed_groups", "admins", &cerr) == 0 &&
         pc_config_set(&c, "allowed_users", "alice", &cerr) == 0 &&
         pc_access_decide(&c, "alice", cl, &why) == PC_ACCESS_ALLOWED,
     "allowed_users admits alice outside the groups");
  json_object_put(cl);
  cl = claims_of("{\"cognito:username\":\"alice\",\"cognito:groups\":\"ops\"}");
  ok(pc_access_decide(&c, "bob", cl, &why) == PC_ACCESS_NOT_BOUND,
     "binding is checked before rules");
  json_object_put(cl);
  cl =
      claims_of("{\"cognito:username\":\"bob\",\"cognito:groups\":\"admins\"}");
  ok(pc_access_decide(&c, "bob", cl, &why) == PC_ACCESS_NOT_ALLOWED,
     "a groups claim that is not an array is refused");
  json_object_put(cl);

  ok(pc_config_set(&c, "login_claim", "email", &cerr) == 0 &&
         pc_config_set(&c, "username_suffix", "@example.com", &cerr) == 0,
     "login_claim=email, username_suffix=@example.com");
  cl = claims_of("{\"cognito:username\":\"u-123\",\"email\":"
                 "\"alice@example.com\",\"email_verified\":true}");
  ok(pc_access_decide(&c, "alice", cl, &why) == PC_ACCESS_ALLOWED,
     "verified e-mail binds alice");
  json_object_put(cl);
  cl = claims_of("{\"cognito:username\":\"u-123\",\"email\":"
                 "\"alice@example.com\",\"email_verified\":false}");
  ok(pc_access_decide(&c, "alice", cl, &why) == PC_ACCESS_NOT_BOUND,
     "an unverified e-mail does not bind");
  ok(strstr(why.detail, "email_verified") != NULL, "why: %s", why.detail);
  json_object_put(cl);
  pc_config_free(&c);
}

int main(void) {
  char cache[] = "/tmp/test_idtoken.XXXXXX";
  char cmd[128];

  if (mkdtemp(cache) == NULL || chmod(cache, 0755) != 0)
    return 1;
  setup_keys();
  test_jwks_parse();
  test_checks(cache);
  (void)snprintf(cmd, sizeof cmd, "rm -rf %s/.private", cache);
  if (system(cmd) != 0)
    ok(0, "reset store");
  test_fetching(cache);
  (void)snprintf(cmd, sizeof cmd, "rm -rf %s/.private", cache);
  if (system(cmd) != 0)
    ok(0, "reset store");
  test_issuers(cache);
  test_access();
  (void)snprintf(cmd, sizeof cmd, "rm -rf %s", cache);
  if (system(cmd) != 0)
    ok(0, "cleanup");
  EVP_PKEY_free(key);
  EVP_PKEY_free(other_key);
  EVP_PKEY_free(updated_key);
  return tap_done();
}
