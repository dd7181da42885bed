/* SPDX-License-Identifier: MIT */
/* creds: identity-pool requests, Expiration parsing, error mapping, the
 * refresh request and the refresh.json hand-over, over an injected
 * transport. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aws/identity_pool.h"
#include "base/buf.h"
#include "base/secret.h"
#include "net/api.h"
#include "net/http.h"
#include "store/user_files.h"
#include "tokens/tokens.h"
#include "tap.h"

#define POOL "us-east-1:11111111-2222-3333-4444-555555555555"
#define IDENT "us-east-1:01c713b1-1abb-5a43-8323-c8ef2a94c4dd"
#define LOGIN_KEY "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
#define ROLE "arn:aws:iam::123456789012:role/CognitoAdminRole"

struct mock {
  enum pc_status rc;
  long status;
  const char *body;
  int calls;
  char target[128];
  char sent[8192];
};

static enum pc_status mock_post(struct pc_http *h, const char *url,
                                const char *target, const char *body,
                                size_t body_len, long *status,
                                struct pc_buf *resp) {
  struct mock *m = pc_http_opaque(h);

  (void)url;
  m->calls++;
  (void)snprintf(m->target, sizeof m->target, "%s", target);
  (void)snprintf(m->sent, sizeof m->sent, "%.*s", (int)body_len, body);
  if (m->rc != PC_OK)
    return m->rc;
  *status = m->status;
  if (pc_buf_append(resp, m->body, strlen(m->body)) != 0)
    return PC_ERR_PROTOCOL;
  return PC_OK;
}

static const struct pc_http_ops mock_ops = {.post = mock_post};

static struct pc_config cfg;
static struct pc_client cl;
static struct mock m;
static struct pc_error cerr;

static void setup(const char *role, const char *secret) {
  if (pc_config_init(&cfg) != 0 ||
      pc_config_set(&cfg, "region", "us-east-1", &cerr) ||
      pc_config_set(&cfg, "user_pool_id", "us-east-1_AbC123", &cerr) ||
      pc_config_set(&cfg, "client_id", "abc123", &cerr) ||
      pc_config_set(&cfg, "identity_pool_id", POOL, &cerr) ||
      pc_config_set(&cfg, "identity_endpoint", "http://127.0.0.1:9", &cerr) ||
      (role && pc_config_set(&cfg, "role_arn", role, &cerr)) ||
      (secret && pc_config_set(&cfg, "client_secret", secret, &cerr)) ||
      pc_client_init(&cl, &cfg, pc_http_new_custom(&mock_ops, &m)) != PC_OK) {
    printf("Bail out! setup failed: %s\n", cerr.detail);
    exit(1);
  }
  cl.retries = 0;
  memset(&m, 0, sizeof m);
  m.status = 200;
}

static void teardown(void) {
  pc_client_free(&cl);
  pc_config_free(&cfg);
}

/* The string at path a.b in what was sent, or NULL. */
static const char *sent_str(json_object *o, const char *a, const char *b) {
  json_object *v = NULL;

  if (!json_object_object_get_ex(o, a, &v))
    return NULL;
  if (b && !json_object_object_get_ex(v, b, &v))
    return NULL;
  return json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                  : NULL;
}

static void test_names(void) {
  char *key;

  setup(NULL, NULL);
  key = pc_identity_login_key(&cfg);
  is_str(key, LOGIN_KEY, "Logins key names the user pool");
  free(key);
  teardown();
  ok(pc_identity_id_valid(IDENT), "identity id accepted");
  ok(!pc_identity_id_valid("us-east-1"), "no colon refused");
  ok(!pc_identity_id_valid(":abc"), "empty region refused");
  ok(!pc_identity_id_valid("us-east-1:ABC"), "upper-case hex refused");
  ok(!pc_identity_id_valid("us/east:abc"), "slash refused");
  ok(!pc_identity_id_valid(NULL), "NULL refused");
}

static void test_get_id(void) {
  struct pc_error e;
  json_object *sent;
  char *id = NULL;

  setup(NULL, NULL);
  m.body = "{\"IdentityId\": \"" IDENT "\"}";
  ok(pc_identity_get_id(&cl, &cfg, "id.token.x", &id, &e) == PC_OK,
     "GetId succeeds");
  is_str(id, IDENT, "identity id returned");
  is_str(m.target, "AWSCognitoIdentityService.GetId", "GetId target");
  sent = json_tokener_parse(m.sent);
  is_str(sent_str(sent, "IdentityPoolId", NULL), POOL, "IdentityPoolId sent");
  is_str(sent_str(sent, "Logins", LOGIN_KEY), "id.token.x",
         "ID token under the pool's Logins key");
  json_object_put(sent);
  free(id);
  m.body = "{\"IdentityId\": \"not an id\"}";
  ok(pc_identity_get_id(&cl, &cfg, "t.t.t", &id, &e) == PC_ERR_PROTOCOL &&
         id == NULL,
     "a malformed IdentityId is a protocol error");
  m.status = 400;
  m.body = "{\"__type\": \"ResourceNotFoundException\", \"message\": \"no\"}";
  ok(pc_identity_get_id(&cl, &cfg, "t.t.t", &id, &e) == PC_ERR_INVALID_PARAM,
     "unknown pool maps to invalid parameter");
  is_str(e.type, "ResourceNotFoundException", "error type kept");
  teardown();
}

static enum pc_status creds_with(const char *body, struct pc_aws_creds *cr,
                                 struct pc_error *e) {
  m.body = body;
  return pc_identity_get_credentials(&cl, &cfg, IDENT, "id.token.x", cr, e);
}

#define CREDS(exp)                                                             \
  "{\"IdentityId\": \"" IDENT "\", \"Credentials\": {\"AccessKeyId\": "        \
  "\"ASIAEXAMPLE\", \"SecretKey\": \"sec/ret+key\", \"SessionToken\": "        \
  "\"tok\", \"Expiration\": " exp "}}"

static void test_credentials(void) {
  struct pc_aws_creds cr;
  struct pc_error e;
  json_object *sent;

  setup(NULL, NULL);
  ok(creds_with(CREDS("1700000000.75"), &cr, &e) == PC_OK,
     "fractional Expiration accepted");
  ok(cr.expiration == 1700000000, "fraction truncated");
  is_str(cr.access_key_id, "ASIAEXAMPLE", "access key id");
  is_str(cr.secret_access_key, "sec/ret+key", "secret key");
  is_str(cr.session_token, "tok", "session token");
  pc_aws_creds_free(&cr);
  is_str(m.target, "AWSCognitoIdentityService.GetCredentialsForIdentity",
         "GetCredentialsForIdentity target");
  sent = json_tokener_parse(m.sent);
  is_str(sent_str(sent, "IdentityId", NULL), IDENT, "IdentityId sent");
  is_str(sent_str(sent, "Logins", LOGIN_KEY), "id.token.x", "Logins sent");
  ok(!json_object_object_get_ex(sent, "CustomRoleArn", NULL),
     "no CustomRoleArn without role_arn");
  ok(!json_object_object_get_ex(sent, "IdentityPoolId", NULL),
     "no IdentityPoolId in GetCredentialsForIdentity");
  json_object_put(sent);
  ok(creds_with(CREDS("1700000001"), &cr, &e) == PC_OK &&
         cr.expiration == 1700000001,
     "integer Expiration accepted");
  pc_aws_creds_free(&cr);
  ok(creds_with(CREDS("\"2023-11-14T22:13:20Z\""), &cr, &e) ==
             PC_ERR_PROTOCOL &&
         cr.access_key_id == NULL,
     "string Expiration is a protocol error, nothing kept");
  ok(creds_with(CREDS("-5"), &cr, &e) == PC_ERR_PROTOCOL,
     "negative Expiration refused");
  ok(creds_with(CREDS("1e300"), &cr, &e) == PC_ERR_PROTOCOL,
     "absurd Expiration refused");
  ok(creds_with("{\"Credentials\": {\"AccessKeyId\": \"A\", \"SessionToken\":"
                " \"t\", \"Expiration\": 5}}",
                &cr, &e) == PC_ERR_PROTOCOL,
     "missing SecretKey is a protocol error");
  m.status = 400;
  ok(creds_with("{\"__type\": \"NotAuthorizedException\", \"message\": "
                "\"Invalid login token. Token expired\"}",
                &cr, &e) == PC_ERR_AUTH,
     "NotAuthorizedException maps to auth error");
  is_str(e.message, "Invalid login token. Token expired", "message kept");
  ok(creds_with("{\"__type\": \"InvalidParameterException\", \"message\": "
                "\"role\"}",
                &cr, &e) == PC_ERR_INVALID_PARAM,
     "disallowed role maps to invalid parameter");
  m.status = 500;
  ok(creds_with("{\"__type\": \"InternalErrorException\"}", &cr, &e) ==
         PC_ERR_UNAVAIL,
     "5xx is unavailable");
  m.rc = PC_ERR_UNAVAIL;
  ok(creds_with("", &cr, &e) == PC_ERR_UNAVAIL, "no connection: unavailable");
  ok(pc_identity_get_credentials(&cl, &cfg, "bad id", "t", &cr, &e) ==
         PC_ERR_CONFIG,
     "a malformed identity id is never sent");
  teardown();

  setup(ROLE, NULL);
  ok(creds_with(CREDS("1700000000"), &cr, &e) == PC_OK, "with a role");
  pc_aws_creds_free(&cr);
  sent = json_tokener_parse(m.sent);
  is_str(sent_str(sent, "CustomRoleArn", NULL), ROLE, "CustomRoleArn sent");
  json_object_put(sent);
  teardown();
}

static void test_refresh(void) {
  struct pc_tokens t;
  struct pc_error e;
  json_object *sent;

  setup(NULL, "sekrit");
  m.body = "{\"AuthenticationResult\": {\"AccessToken\": \"a.b.c\", "
           "\"IdToken\": \"i.d.t\", \"ExpiresIn\": 3600}}";
  ok(pc_tokens_refresh(&cl, "rt", "alice", "HASH=", NULL, &t, &e) == PC_OK,
     "refresh succeeds");
  is_str(t.id_token, "i.d.t", "new ID token");
  ok(t.refresh_token == NULL, "no rotated refresh token");
  pc_tokens_free(&t);
  is_str(m.target, "AWSCognitoIdentityProviderService.InitiateAuth",
         "InitiateAuth target");
  sent = json_tokener_parse(m.sent);
  is_str(sent_str(sent, "AuthFlow", NULL), "REFRESH_TOKEN_AUTH", "flow");
  is_str(sent_str(sent, "ClientId", NULL), "abc123", "client id");
  is_str(sent_str(sent, "AuthParameters", "REFRESH_TOKEN"), "rt", "token");
  is_str(sent_str(sent, "AuthParameters", "SECRET_HASH"), "HASH=", "hash");
  is_str(sent_str(sent, "AuthParameters", "USERNAME"), "alice", "user name");
  json_object_put(sent);
  m.body = "{\"AuthenticationResult\": {\"AccessToken\": \"a\", \"IdToken\":"
           " \"i\", \"RefreshToken\": \"rotated\"}}";
  ok(pc_tokens_refresh(&cl, "rt", "alice", NULL, NULL, &t, &e) == PC_OK,
     "refresh without a hash");
  is_str(t.refresh_token, "rotated", "rotated refresh token kept");
  pc_tokens_free(&t);
  sent = json_tokener_parse(m.sent);
  ok(sent_str(sent, "AuthParameters", "SECRET_HASH") == NULL &&
         sent_str(sent, "AuthParameters", "USERNAME") == NULL,
     "no SECRET_HASH or USERNAME without a hash");
  json_object_put(sent);
  m.body = "{\"AuthenticationResult\": {\"AccessToken\": \"a\"}}";
  ok(pc_tokens_refresh(&cl, "rt", NULL, NULL, NULL, &t, &e) ==
             PC_ERR_PROTOCOL &&
         t.access_token == NULL,
     "reply without an ID token is a protocol error");
  m.status = 400;
  m.body = "{\"__type\": \"NotAuthorizedException\", \"message\": "
           "\"Refresh Token has expired\"}";
  ok(pc_tokens_refresh(&cl, "rt", NULL, NULL, NULL, &t, &e) == PC_ERR_AUTH,
     "expired refresh token is an auth error");
  ok(pc_tokens_refresh(&cl, "", NULL, NULL, NULL, &t, &e) == PC_ERR_CONFIG,
     "empty refresh token is never sent");
  teardown();
}

static void test_handover(void) {
  struct pc_handover h;
  struct pc_error e;
  char *doc;
  const char *bad;

  setup(ROLE, "the_client_secret");
  doc = pc_handover_json(&cfg, IDENT, "al\"ice", "HASH=", NULL, "r\\t", NULL);
  ok(doc != NULL && strstr(doc, "the_client_secret") == NULL,
     "hand-over never carries the client secret");
  ok(pc_handover_parse(doc, strlen(doc), &h, &e) == 0,
     "hand-over parses back: %s", e.detail);
  is_str(h.cfg.region, "us-east-1", "region");
  is_str(h.cfg.identity_pool_id, POOL, "identity pool");
  is_str(h.cfg.role_arn, ROLE, "role");
  is_str(h.cfg.identity_endpoint, "http://127.0.0.1:9", "endpoint");
  ok(h.cfg.client_secret == NULL, "no client secret after parsing");
  is_str(h.identity_id, IDENT, "identity id");
  is_str(h.user_id, "al\"ice", "user id with a quote");
  is_str(h.secret_hash, "HASH=", "secret hash");
  is_str(h.refresh_token, "r\\t", "refresh token with a backslash");
  ok(h.cfg.timeout == cfg.timeout, "timeout");
  pc_handover_free(&h);
  pc_buf_string_free(&doc);
  teardown();

  ok(pc_handover_parse("{}", 2, &h, &e) == PC_ERR_PROTOCOL,
     "empty document refused");
  bad = "{\"Version\": 1, \"region\": \"us-east-1\", \"user_pool_id\": "
        "\"us-east-1_AbC123\", \"client_id\": \"abc\", \"identity_pool_id\":"
        " \"" POOL "\", \"identity_endpoint\": \"http://evil.example\", "
        "\"identity_id\": \"" IDENT "\", \"user_id\": \"a\", "
        "\"refresh_token\": \"r\"}";
  ok(pc_handover_parse(bad, strlen(bad), &h, &e) == PC_ERR_PROTOCOL &&
         strstr(e.detail, "identity_endpoint") != NULL,
     "plain http to a remote host refused: %s", e.detail);
  bad = "{\"Version\": 1, \"region\": \"us-east-1\", \"user_pool_id\": "
        "\"us-east-1_AbC123\", \"client_id\": \"abc\", \"identity_pool_id\":"
        " \"" POOL "\", \"identity_id\": \"" IDENT "\", \"user_id\": \"a\"}";
  ok(pc_handover_parse(bad, strlen(bad), &h, &e) == PC_ERR_PROTOCOL,
     "document without a refresh token refused");
  bad = "{\"Version\": 2}";
  ok(pc_handover_parse(bad, strlen(bad), &h, &e) == PC_ERR_PROTOCOL,
     "unknown version refused");
}

/* use_fips travels in refresh.json (issue: the helper's renewals went to
 * the plain hosts): the parsed settings choose the FIPS hosts, and a
 * region without them is refused as the module's configuration is. */
static void handover_fips_case(int fips) {
  struct pc_config c;
  struct pc_handover h;
  struct pc_error e;
  char *doc = NULL, *idp = NULL, *identity = NULL;

  if (pc_config_init(&c) != 0 || pc_config_set(&c, "region", "us-east-1", &e) ||
      pc_config_set(&c, "user_pool_id", "us-east-1_AbC123", &e) ||
      pc_config_set(&c, "client_id", "abc123", &e) ||
      pc_config_set(&c, "identity_pool_id", POOL, &e) ||
      pc_config_set(&c, "use_fips", fips ? "true" : "false", &e)) {
    printf("Bail out! fips setup failed: %s\n", e.detail);
    exit(1);
  }
  doc = pc_handover_json(&c, IDENT, "alice", NULL, NULL, "rt", NULL);
  ok(doc != NULL && (strstr(doc, "\"use_fips\": \"true\"") != NULL) == fips,
     "use_fips %s refresh.json: %s", fips ? "in" : "not in", doc);
  ok(doc && pc_handover_parse(doc, strlen(doc), &h, &e) == PC_OK,
     "refresh.json parses back: %s", e.detail);
  ok(h.cfg.use_fips == fips, "use_fips read back as %d", fips);
  idp = pc_config_idp_url(&h.cfg);
  identity = pc_config_identity_url(&h.cfg);
  is_str(idp,
         fips ? "https://cognito-idp-fips.us-east-1.amazonaws.com/"
              : "https://cognito-idp.us-east-1.amazonaws.com/",
         "the renewal's user pool host");
  is_str(identity,
         fips ? "https://cognito-identity-fips.us-east-1.amazonaws.com/"
              : "https://cognito-identity.us-east-1.amazonaws.com/",
         "the renewal's identity pool host");
  free(idp);
  free(identity);
  pc_handover_free(&h);
  pc_buf_string_free(&doc);
  pc_config_free(&c);
}

static void test_handover_fips(void) {
  const char *bad =
      "{\"Version\": 1, \"region\": \"eu-west-1\", \"user_pool_id\": "
      "\"eu-west-1_AbC123\", \"client_id\": \"abc\", \"identity_pool_id\": "
      "\"eu-west-1:0f5a2c1e-3b4d-4e6f-8a9b-0c1d2e3f4a5b\", \"use_fips\": "
      "\"true\", \"identity_id\": \"" IDENT "\", \"user_id\": \"a\", "
      "\"refresh_token\": \"r\"}";
  struct pc_handover h;
  struct pc_error e;

  handover_fips_case(1);
  handover_fips_case(0);
  ok(pc_handover_parse(bad, strlen(bad), &h, &e) == PC_ERR_PROTOCOL &&
         strstr(e.detail, "use_fips") != NULL,
     "use_fips where AWS has no FIPS host refused: %s", e.detail);
}

int main(void) {
  test_names();
  test_get_id();
  test_credentials();
  test_refresh();
  test_handover();
  test_handover_fips();
  return tap_done();
}
