/* SPDX-License-Identifier: MIT */
/* api + http: requests, error mapping and retries over an injected transport,
 * then the real libcurl transport against an in-process loopback server. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/codec.h"
#include "config/urlpolicy.h"
#include "net/api.h"
#include "net/http.h"
#include "tap.h"

#define IDP "AWSCognitoIdentityProviderService"

static struct pc_error cerr;

static double now_s(void) {
  struct timespec ts;

  (void)clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- an injected transport: canned answers, recorded requests ---- */

struct canned {
  enum pc_status rc; /* what the transport itself returns */
  long status;
  const char *body;
};

struct mock {
  struct canned replies[8];
  int nreplies;
  int calls;
  char url[256];
  char target[128];
  char body[8192];
};

static enum pc_status mock_post(struct pc_http *h, const char *url,
                                const char *target, const char *body,
                                size_t body_len, long *status,
                                struct pc_buf *resp) {
  struct mock *m = pc_http_opaque(h);
  const struct canned *r;

  (void)snprintf(m->url, sizeof(m->url), "%s", url);
  (void)snprintf(m->target, sizeof(m->target), "%s", target);
  (void)snprintf(m->body, sizeof(m->body), "%.*s", (int)body_len, body);
  r = &m->replies[m->calls < m->nreplies ? m->calls : m->nreplies - 1];
  m->calls++;
  if (r->rc != PC_OK)
    return r->rc;
  *status = r->status;
  if (r->body != NULL && pc_buf_append(resp, r->body, strlen(r->body)) != 0)
    return PC_ERR_PROTOCOL;
  return PC_OK;
}

static const struct pc_http_ops mock_ops = {.post = mock_post};

static int make_config(struct pc_config *c, const char *endpoint) {
  if (pc_config_init(c) != 0 ||
      pc_config_set(c, "region", "us-east-1", &cerr) != 0 ||
      pc_config_set(c, "user_pool_id", "us-east-1_AbC123", &cerr) != 0 ||
      pc_config_set(c, "client_id", "abc123", &cerr) != 0)
    return -1;
  if (endpoint != NULL &&
      (pc_config_set(c, "idp_endpoint", endpoint, &cerr) != 0 ||
       pc_config_set(c, "identity_endpoint", endpoint, &cerr) != 0))
    return -1;
  return 0;
}

/* Run one InitiateAuth-like call with canned replies. */
static enum pc_status run_mock(struct mock *m, int nreplies,
                               const struct canned *replies, int retries,
                               json_object **resp, struct pc_error *err) {
  struct pc_config cfg;
  struct pc_client cl;
  json_object *req;
  enum pc_status st;
  int i;

  memset(m, 0, sizeof(*m));
  for (i = 0; i < nreplies && i < 8; i++)
    m->replies[i] = replies[i];
  m->nreplies = nreplies;
  *resp = NULL;
  if (make_config(&cfg, NULL) != 0)
    return PC_ERR_CONFIG;
  st = pc_client_init(&cl, &cfg, pc_http_new_custom(&mock_ops, m));
  if (st != PC_OK) {
    pc_config_free(&cfg);
    return st;
  }
  if (retries >= 0)
    cl.retries = retries;
  req = json_object_new_object();
  json_object_object_add(req, "AuthFlow",
                         json_object_new_string("USER_PASSWORD_AUTH"));
  st = pc_api_call(&cl, PC_USER_POOL, "InitiateAuth", req, resp, err);
  json_object_put(req);
  pc_client_free(&cl);
  pc_config_free(&cfg);
  return st;
}

static void test_request(void) {
  struct pc_config cfg;
  struct pc_client cl;
  struct pc_error err;
  struct mock m;
  json_object *req, *params, *resp = NULL, *sent;
  enum pc_status st;

  memset(&m, 0, sizeof(m));
  m.replies[0].status = 200;
  m.replies[0].body = "{\"ChallengeName\":\"PASSWORD_VERIFIER\","
                      "\"ChallengeParameters\":{\"SALT\":\"abcd\"}}";
  m.nreplies = 1;
  if (make_config(&cfg, NULL) != 0 ||
      pc_client_init(&cl, &cfg, pc_http_new_custom(&mock_ops, &m)) != PC_OK) {
    ok(0, "client setup (%s)", cerr.detail);
    return;
  }
  is_str(cl.idp_url, "https://cognito-idp.us-east-1.amazonaws.com/",
         "client user-pool URL");
  is_str(cl.identity_url, "https://cognito-identity.us-east-1.amazonaws.com/",
         "client identity-pool URL");
  ok(cl.retries == 2, "two retries by default");

  req = json_object_new_object();
  params = json_object_new_object();
  json_object_object_add(params, "USERNAME", json_object_new_string("alice"));
  json_object_object_add(params, "PASSWORD",
                         json_object_new_string("hunter2-secret"));
  json_object_object_add(req, "AuthFlow",
                         json_object_new_string("USER_PASSWORD_AUTH"));
  json_object_object_add(req, "ClientId", json_object_new_string("abc123"));
  json_object_object_add(req, "AuthParameters", params);
  /* Written by pc_json_write, not json-c: escapes must round-trip. */
  json_object_object_add(req, "Tricky",
                         json_object_new_string("q\"b\\c\n\001\xc3\xa9/"));

  st = pc_api_call(&cl, PC_USER_POOL, "InitiateAuth", req, &resp, &err);
  ok(st == PC_OK, "InitiateAuth succeeds");
  ok(m.calls == 1, "one request");
  is_str(m.target, IDP ".InitiateAuth", "X-Amz-Target for the user pool");
  is_str(m.url, "https://cognito-idp.us-east-1.amazonaws.com/",
         "sent to the user-pool URL");
  sent = json_tokener_parse(m.body);
  ok(sent != NULL, "body is JSON: %s", "(not shown: holds a password)");
  is_str(pc_json_str(sent, "AuthFlow"), "USER_PASSWORD_AUTH", "body AuthFlow");
  is_str(pc_json_str(sent, "ClientId"), "abc123", "body ClientId");
  {
    json_object *ap = NULL;

    ok(json_object_object_get_ex(sent, "AuthParameters", &ap),
       "body AuthParameters");
    is_str(pc_json_str(ap, "USERNAME"), "alice", "body USERNAME");
    is_str(pc_json_str(ap, "PASSWORD"), "hunter2-secret", "body PASSWORD");
  }
  ok(strchr(m.body, ' ') == NULL && strchr(m.body, '\n') == NULL,
     "body is plain (no pretty-printing)");
  is_str(pc_json_str(sent, "Tricky"), "q\"b\\c\n\001\xc3\xa9/",
         "quotes, backslashes, control bytes and UTF-8 round-trip");
  json_object_put(sent);
  json_object_put(req);
  is_str(pc_json_str(resp, "ChallengeName"), "PASSWORD_VERIFIER",
         "reply parsed");
  ok(pc_json_str(resp, "ChallengeParameters") == NULL,
     "pc_json_str: an object is not a string");
  ok(pc_json_str(resp, "Missing") == NULL, "pc_json_str: absent key");
  ok(pc_json_str(NULL, "x") == NULL, "pc_json_str: NULL object");
  pc_json_put_secret(resp);

  req = json_object_new_object();
  json_object_object_add(req, "IdentityPoolId",
                         json_object_new_string("us-east-1:x"));
  st = pc_api_call(&cl, PC_IDENTITY_POOL, "GetId", req, &resp, &err);
  ok(st == PC_OK, "GetId succeeds");
  is_str(m.target, "AWSCognitoIdentityService.GetId",
         "X-Amz-Target for the identity pool");
  is_str(m.url, "https://cognito-identity.us-east-1.amazonaws.com/",
         "sent to the identity-pool URL");
  json_object_put(req);
  pc_json_put_secret(resp);
  ok(pc_api_call(&cl, PC_USER_POOL, "InitiateAuth", NULL, &resp, &err) ==
         PC_ERR_CONFIG,
     "NULL request refused");
  pc_client_free(&cl);
  pc_config_free(&cfg);
}

struct map_case {
  const char *type;
  enum pc_status st;
};

static void test_error_mapping(void) {
  static const struct map_case cases[] = {
      {"NotAuthorizedException", PC_ERR_AUTH},
      {"UserNotFoundException", PC_ERR_USER_UNKNOWN},
      {"UserNotConfirmedException", PC_ERR_USER_NOT_CONFIRMED},
      {"PasswordResetRequiredException", PC_ERR_PASSWORD_RESET},
      {"InvalidPasswordException", PC_ERR_INVALID_PASSWORD},
      {"CodeMismatchException", PC_ERR_CODE_MISMATCH},
      {"ExpiredCodeException", PC_ERR_EXPIRED},
      {"LimitExceededException", PC_ERR_LOCKED},
      {"TooManyFailedAttemptsException", PC_ERR_LOCKED},
      {"InvalidParameterException", PC_ERR_INVALID_PARAM},
      {"ResourceNotFoundException", PC_ERR_INVALID_PARAM},
      {"SomethingNewException", PC_ERR_DENIED},
  };
  char body[512];
  struct canned r;
  struct mock m;
  struct pc_error err;
  json_object *resp;
  enum pc_status st;
  size_t i;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    (void)snprintf(body, sizeof(body),
                   "{\"__type\":\"%s\",\"message\":\"why: %s\"}", cases[i].type,
                   cases[i].type);
    r.rc = PC_OK;
    r.status = 400;
    r.body = body;
    st = run_mock(&m, 1, &r, -1, &resp, &err);
    ok(st == cases[i].st && resp == NULL && m.calls == 1,
       "400 %s -> %s (got %s, %d calls)", cases[i].type,
       pc_status_str(cases[i].st), pc_status_str(st), m.calls);
    is_str(err.type, cases[i].type, "err.type %s", cases[i].type);
    ok(strncmp(err.message, "why: ", 5) == 0 && err.http_status == 400,
       "err.message and http_status for %s", cases[i].type);
  }

  r.rc = PC_OK;
  r.status = 400;
  r.body = "{\"__type\":\"com.amazonaws.cognito.identity.idp.model#"
           "NotAuthorizedException\",\"message\":\"Incorrect username or "
           "password.\"}";
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_AUTH, "namespaced NotAuthorizedException -> auth error");
  is_str(err.type, "NotAuthorizedException", "namespace stripped");
  is_str(err.message, "Incorrect username or password.", "message kept");

  r.body = "{\"__type\":\"UserNotFoundException\",\"Message\":\"Capital M\"}";
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_USER_UNKNOWN, "UserNotFoundException with \"Message\"");
  is_str(err.message, "Capital M", "\"Message\" read too");

  ok(pc_api_map_error("a.b#c#CodeMismatchException") == PC_ERR_CODE_MISMATCH,
     "map: last '#' wins");
  ok(pc_api_map_error("NotAuthorizedException:") == PC_ERR_AUTH,
     "map: trailing ':' stripped");
  ok(pc_api_map_error("NotAuthorizedException:http://internal.amazon.com/"
                      "coral/com.amazonaws.cognito.identity.idp/") ==
         PC_ERR_AUTH,
     "map: x-amzn-ErrorType form");
  ok(pc_api_map_error("InternalErrorException") == PC_ERR_UNAVAIL,
     "map: InternalErrorException -> unavailable");
  ok(pc_api_map_error("TooManyRequestsException") == PC_ERR_LIMIT,
     "map: TooManyRequestsException -> limit");
  ok(pc_api_map_error("") == PC_ERR_PROTOCOL, "map: empty -> protocol");
  ok(pc_api_map_error(NULL) == PC_ERR_PROTOCOL, "map: NULL -> protocol");
  ok(pc_api_map_error("notauthorizedexception") == PC_ERR_DENIED,
     "map: case matters (an unknown type is refused)");
}

static void test_bad_bodies(void) {
  static const char *const bodies[] = {
      "",
      "garbage",
      "{\"a\":",
      "{\"a\":1",
      "[1,2]",
      "\"str\"",
      "42",
      "null",
      "{\"a\":1} trailing",
      "{\"a\":1}{\"b\":2}",
  };
  char deep[256];
  struct canned r;
  struct mock m;
  struct pc_error err;
  json_object *resp;
  enum pc_status st;
  size_t i;

  for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    r.rc = PC_OK;
    r.status = 200;
    r.body = bodies[i];
    st = run_mock(&m, 1, &r, -1, &resp, &err);
    ok(st == PC_ERR_PROTOCOL && resp == NULL && m.calls == 1,
       "200 with '%s' -> protocol error, no retry", bodies[i]);
    r.status = 400;
    st = run_mock(&m, 1, &r, -1, &resp, &err);
    ok(st == PC_ERR_PROTOCOL && m.calls == 1, "400 with '%s' -> protocol",
       bodies[i]);
  }
  r.status = 200;
  r.body = NULL;
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_PROTOCOL, "200 with no body at all -> protocol");

  r.body = "{\"a\":1}\r\n";
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_OK, "trailing whitespace is fine");
  json_object_put(resp);

  memcpy(deep, "{\"a\":", 5);
  for (i = 5; i < 60; i++)
    deep[i] = '[';
  for (i = 60; i < 115; i++)
    deep[i] = ']';
  deep[115] = '}';
  deep[116] = '\0';
  r.body = deep;
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_PROTOCOL, "nesting 56 deep -> protocol (bounded depth)");

  /* A 200 that also names an error is never a success, whatever else it
   * holds (a server giving tokens after refusing the password). */
  r.status = 200;
  r.body =
      "{\"__type\":\"NotAuthorizedException\",\"message\":\"no\","
      "\"AuthenticationResult\":{\"IdToken\":\"t\",\"AccessToken\":\"a\"}}";
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_PROTOCOL && resp == NULL && m.calls == 1,
     "200 with an error __type and tokens -> protocol, no tokens");
  is_str(err.type, "NotAuthorizedException", "the error type is reported");
  r.body = "{\"__type\":null}";
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_PROTOCOL && resp == NULL, "200 with __type null -> protocol");

  r.status = 400;
  r.body = "{\"message\":\"no type here\"}";
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_PROTOCOL, "400 without __type -> protocol");
  is_str(err.message, "no type here", "message still reported");

  r.rc = PC_ERR_UNAVAIL;
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_UNAVAIL && m.calls == 1 && err.http_status == 0,
     "connection failure: unavailable, not retried");
  r.rc = PC_ERR_PROTOCOL;
  st = run_mock(&m, 1, &r, -1, &resp, &err);
  ok(st == PC_ERR_PROTOCOL && m.calls == 1,
     "oversized answer: protocol, not retried");
}

static void test_retries(void) {
  struct canned r[3];
  struct mock m;
  struct pc_error err;
  json_object *resp;
  enum pc_status st;
  double t0, dt;

  memset(r, 0, sizeof(r));
  r[0].status = 500;
  r[0].body = "{\"__type\":\"InternalErrorException\",\"message\":\"boom\"}";
  t0 = now_s();
  st = run_mock(&m, 1, r, -1, &resp, &err);
  dt = now_s() - t0;
  ok(st == PC_ERR_UNAVAIL, "500 -> unavailable");
  ok(m.calls == 3, "500 retried twice (%d calls)", m.calls);
  ok(err.http_status == 500, "http_status 500");
  ok(dt >= 0.1 && dt < 1.2, "backoff slept between tries (%.3f s)", dt);

  r[0].status = 502;
  r[0].body = "<html>bad gateway</html>";
  st = run_mock(&m, 1, r, -1, &resp, &err);
  ok(st == PC_ERR_UNAVAIL && m.calls == 3,
     "502 with HTML retried, then unavailable");

  r[0].status = 503;
  r[1].status = 200;
  r[1].body = "{\"AuthenticationResult\":{\"IdToken\":\"t\"}}";
  st = run_mock(&m, 2, r, -1, &resp, &err);
  ok(st == PC_OK && m.calls == 2, "503 then 200 -> success");
  pc_json_put_secret(resp);

  r[0].status = 400;
  r[0].body = "{\"__type\":\"TooManyRequestsException\",\"message\":\"slow\"}";
  r[1].status = 200;
  r[1].body = "{\"ok\":true}";
  st = run_mock(&m, 2, r, -1, &resp, &err);
  ok(st == PC_OK && m.calls == 2, "throttled then success");
  pc_json_put_secret(resp);

  st = run_mock(&m, 1, r, -1, &resp, &err);
  ok(st == PC_ERR_LIMIT && m.calls == 3, "throttled three times -> limit (%d)",
     m.calls);
  is_str(err.type, "TooManyRequestsException", "last error type kept");

  r[0].body = "{\"__type\":\"LimitExceededException\",\"message\":\"x\"}";
  st = run_mock(&m, 1, r, -1, &resp, &err);
  ok(st == PC_ERR_LOCKED && m.calls == 1, "LimitExceeded is not retried");

  r[0].body = "{\"__type\":\"NotAuthorizedException\",\"message\":\"x\"}";
  st = run_mock(&m, 1, r, -1, &resp, &err);
  ok(st == PC_ERR_AUTH && m.calls == 1, "a wrong password is not retried");

  r[0].status = 500;
  st = run_mock(&m, 1, r, 0, &resp, &err);
  ok(st == PC_ERR_UNAVAIL && m.calls == 1, "retries = 0: one try");

  t0 = now_s();
  st = run_mock(&m, 1, r, 9, &resp, &err);
  dt = now_s() - t0;
  ok(st == PC_ERR_UNAVAIL && dt < 1.3,
     "retries = 9 still stops within the backoff budget (%.3f s, %d calls)", dt,
     m.calls);
}

static void test_sanitize(void) {
  char out[64], small[6];
  struct canned r;
  struct mock m;
  struct pc_error err;
  json_object *resp;

  pc_sanitize(out, sizeof(out), "bad\x1b[31mred\x07\r\nend");
  is_str(out, "bad?[31mred???end", "C0 controls become '?'");
  pc_sanitize(out, sizeof(out), "del\x7f");
  is_str(out, "del?", "DEL becomes '?'");
  pc_sanitize(out, sizeof(out),
              "c1\xc2\x9b"
              "31m");
  is_str(out, "c1?31m", "C1 CSI (U+009B) becomes one '?'");
  pc_sanitize(out, sizeof(out), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91");
  is_str(out, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91", "valid UTF-8 kept");
  pc_sanitize(out, sizeof(out), "x\xff\xc3y\xed\xa0\x80");
  is_str(out, "x??y???", "malformed UTF-8 becomes '?'");
  pc_sanitize(small, sizeof(small), "abc\xe2\x82\xac");
  is_str(small, "abc", "a character that does not fit is left out whole");
  pc_sanitize(small, sizeof(small), "abcdefgh");
  is_str(small, "abcde", "truncated to fit");
  pc_sanitize(out, sizeof(out), NULL);
  is_str(out, "", "NULL source -> empty");

  r.rc = PC_OK;
  r.status = 400;
  r.body = "{\"__type\":\"InvalidPasswordException\",\"message\":"
           "\"Password must have \\u001b]0;pwned\\u0007 symbols\"}";
  ok(run_mock(&m, 1, &r, -1, &resp, &err) == PC_ERR_INVALID_PASSWORD,
     "policy message arrives");
  is_str(err.message, "Password must have ?]0;pwned? symbols",
         "server message sanitized");
  r.body = "{\"__type\":\"Evil\\u001bException\",\"message\":\"m\"}";
  ok(run_mock(&m, 1, &r, -1, &resp, &err) == PC_ERR_DENIED,
     "unknown type with escape -> refused");
  is_str(err.type, "Evil?Exception", "type sanitized");
}

static void test_secret_hash(void) {
  char *h;

  /* Expected values made with:
   *   printf '%s' 'user''client' | openssl dgst -sha256 -hmac secret \
   *     -binary | base64
   *   printf '%s' 'alice''1example23456789' | \
   *     openssl dgst -sha256 -hmac 'c0ffee-secret' -binary | base64 */
  h = pc_secret_hash("secret", "user", "client");
  is_str(h, "wvW87lzZoI+qQCVGmWVBJLlucdJ65huAVP1z+0MgA6E=",
         "SECRET_HASH known answer");
  free(h);
  h = pc_secret_hash("c0ffee-secret", "alice", "1example23456789");
  is_str(h, "RO34kr1atR4raVrXfdR3roza4PlOb47jlPoUN+5fPn8=",
         "SECRET_HASH second known answer");
  free(h);
  ok(pc_secret_hash(NULL, "u", "c") == NULL, "no secret -> NULL");
}

static void test_put_secret(void) {
  json_object *o = json_object_new_object(), *arr = json_object_new_array();
  json_object *tok, *inner;
  const char *s1, *s2;
  int i, zero1 = 1, zero2 = 1;

  json_object_object_add(o, "IdToken", json_object_new_string("eyJ.secret"));
  json_object_array_add(arr, json_object_new_string("a-longer-token-value-"
                                                    "beyond-inline-size"));
  json_object_object_add(o, "List", arr);
  json_object_object_add(o, "N", json_object_new_int(5));
  json_object_get(o); /* keep it alive to look at the wiped strings */
  pc_json_put_secret(o);
  ok(json_object_object_get_ex(o, "IdToken", &tok), "object still held");
  s1 = json_object_get_string(tok);
  inner = json_object_array_get_idx(arr, 0);
  s2 = json_object_get_string(inner);
  for (i = 0; i < json_object_get_string_len(tok); i++)
    if (s1[i] != '\0')
      zero1 = 0;
  for (i = 0; i < json_object_get_string_len(inner); i++)
    if (s2[i] != '\0')
      zero2 = 0;
  ok(zero1, "top-level string wiped");
  ok(zero2, "string inside an array wiped");
  json_object_put(o);
  pc_json_put_secret(NULL);
  ok(1, "NULL is fine");
}

static void test_json_type(void) {
  ok(pc_http_json_type("application/x-amz-json-1.1"), "x-amz-json-1.1");
  ok(pc_http_json_type("application/x-amz-json-1.0"), "x-amz-json-1.0");
  ok(pc_http_json_type("Application/JSON; charset=UTF-8"),
     "application/json with a parameter, any case");
  ok(!pc_http_json_type("text/html; charset=utf-8"), "text/html refused");
  ok(!pc_http_json_type("application/jsonp"), "a longer name refused");
  ok(!pc_http_json_type("application/json-seq"), "json-seq refused");
  ok(!pc_http_json_type(""), "empty refused");
  ok(!pc_http_json_type(NULL), "no Content-Type refused");
}

static void test_url_allowed(void) {
  static const struct {
    const char *url;
    int want;
  } cases[] = {
      {"https://cognito-idp.us-east-1.amazonaws.com/", 1},
      {"HTTPS://EXAMPLE.COM", 1},
      {"https://10.0.0.1:8443/", 1},
      {"http://127.0.0.1:9229", 1},
      {"http://127.0.0.1", 1},
      {"http://127.255.1.2:80/", 1},
      {"http://localhost:9229/", 1},
      {"http://LOCALHOST/", 1},
      {"http://[::1]:9229/", 1},
      {"http://[0:0:0:0:0:0:0:1]/", 1},
      {"http://user:pw@127.0.0.1:9229/", 1},
      {"http://evil.com:80@127.0.0.1/", 1},
      {"http://10.0.0.1/", 0},
      {"http://cognito.example.com/", 0},
      {"http://127.0.0.1@evil.com/", 0},
      {"http://127.0.0.1:80@evil.com/", 0},
      {"http://127.0.0.1.evil.com/", 0},
      {"http://localhost.evil.com/", 0},
      {"http://evil.com#@127.0.0.1/", 0},
      {"http://evil.com/?@127.0.0.1", 0},
      {"http://[::2]/", 0},
      {"http://[::ffff:127.0.0.1]/", 0},
      {"http://128.0.0.1/", 0},
      {"ftp://127.0.0.1/", 0},
      {"file:///etc/passwd", 0},
      {"127.0.0.1:9229", 0},
      {"https://", 0},
      {"", 0},
      {"http://127.0.0.1 .evil.com/", 0},
  };
  size_t i;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    ok(pc_url_allowed(cases[i].url) == cases[i].want, "%s %s",
       cases[i].want ? "allowed:" : "refused:", cases[i].url);
  ok(pc_url_allowed(NULL) == 0, "refused: NULL");
}

static void test_transport_refuses(void) {
  struct mock m;
  struct pc_http *h;
  struct pc_buf b;
  long status = 7;

  memset(&m, 0, sizeof(m));
  m.nreplies = 1;
  h = pc_http_new_custom(&mock_ops, &m);
  pc_buf_init(&b, 0);
  ok(pc_http_post(h, "http://10.0.0.1/", "X.Y", "{}", 2, &status, &b) ==
         PC_ERR_CONFIG,
     "pc_http_post refuses a plain-http non-loopback URL");
  ok(m.calls == 0 && status == 0, "before the transport is called");
  pc_buf_free(&b);
  pc_http_free(h);
  ok(pc_http_new_custom(NULL, NULL) == NULL, "custom transport needs ops");
}

static void test_status_str(void) {
  int i, all = 1;

  for (i = PC_OK; i <= PC_ERR_ABORTED; i++)
    if (pc_status_str((enum pc_status)i) == NULL ||
        pc_status_str((enum pc_status)i)[0] == '\0')
      all = 0;
  ok(all, "every status has a name");
  is_str(pc_status_str(PC_ERR_UNAVAIL), "network unavailable",
         "PC_ERR_UNAVAIL name");
}

/* ---- the real libcurl transport against a loopback server ---- */

enum srv_mode {
  SRV_OK,
  SRV_SILENT,
  SRV_HUGE_LENGTH,
  SRV_HUGE_CLOSE,
  SRV_HUGE_HEADER,  /* one header line past libcurl's 100 kB */
  SRV_MANY_HEADERS, /* short lines, past PC_HTTP_MAX_HEADERS in all */
  SRV_MOTO,         /* JSON as text/html, Connection: close (moto's server) */
  SRV_HTML          /* an HTML page as text/html, Connection: close */
};

struct srv {
  int lfd, stop[2], port;
  enum srv_mode mode;
  pthread_t th;
  pthread_mutex_t mu;
  int accepts, requests, saw_expect;
  size_t body_len;
  char headers[4096];
};

/* Wait for fd or the stop pipe; 1 when fd is ready, 0 on stop. */
static int srv_wait(struct srv *s, int fd) {
  struct pollfd p[2];

  p[0].fd = fd;
  p[0].events = POLLIN;
  p[1].fd = s->stop[0];
  p[1].events = POLLIN;
  for (;;) {
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      return 0;
    }
    if (p[1].revents != 0)
      return 0;
    if (p[0].revents != 0)
      return 1;
  }
}

static void send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

    if (w <= 0)
      return;
    p += w;
    n -= (size_t)w;
  }
}

/* Header lines of line_len filler bytes each, n bytes of filler in all. */
static void send_header_filler(int fd, size_t n, size_t line_len) {
  char chunk[4096];

  memset(chunk, 'a', sizeof(chunk));
  while (n > 0) {
    size_t left = n < line_len ? n : line_len;

    send_all(fd, "X-Filler: ", 10);
    n -= left;
    while (left > 0) {
      size_t k = left < sizeof(chunk) ? left : sizeof(chunk);

      send_all(fd, chunk, k);
      left -= k;
    }
    send_all(fd, "\r\n", 2);
  }
}

static void send_huge(int fd, size_t n) {
  char chunk[4096];

  memset(chunk, ' ', sizeof(chunk));
  chunk[0] = '{';
  while (n > 0) {
    size_t k = n < sizeof(chunk) ? n : sizeof(chunk);
    ssize_t w = send(fd, chunk, k, MSG_NOSIGNAL);

    if (w <= 0)
      return;
    n -= (size_t)w;
    chunk[0] = ' ';
  }
}

/* Serve requests on one connection until the client closes it. */
static void srv_conn(struct srv *s, int fd) {
  static char req[65536];
  size_t have = 0;

  for (;;) {
    char *end, *cl;
    size_t hlen, blen = 0, need;
    ssize_t n;

    while ((end = memmem(req, have, "\r\n\r\n", 4)) == NULL) {
      if (have == sizeof(req) || !srv_wait(s, fd))
        return;
      n = recv(fd, req + have, sizeof(req) - have, 0);
      if (n <= 0)
        return;
      have += (size_t)n;
    }
    hlen = (size_t)(end - req) + 4;
    req[hlen - 1] = '\0';
    for (cl = req; (cl = strchr(cl, '\n')) != NULL; cl++)
      if (strncasecmp(cl + 1, "content-length:", 15) == 0) {
        blen = strtoul(cl + 16, NULL, 10);
        break;
      }
    /* Record the headers, then read and discard the body (it may be larger
     * than the buffer). */
    pthread_mutex_lock(&s->mu);
    s->requests++;
    s->body_len = blen;
    (void)snprintf(s->headers, sizeof(s->headers), "%.4000s", req);
    for (cl = req; (cl = strchr(cl, '\n')) != NULL; cl++)
      if (strncasecmp(cl + 1, "expect:", 7) == 0)
        s->saw_expect = 1;
    pthread_mutex_unlock(&s->mu);
    if (have - hlen >= blen) {
      need = hlen + blen;
      memmove(req, req + need, have - need);
      have -= need;
    } else {
      need = blen - (have - hlen);
      have = 0;
      while (need > 0) {
        if (!srv_wait(s, fd))
          return;
        n = recv(fd, req, need < sizeof(req) ? need : sizeof(req), 0);
        if (n <= 0)
          return;
        need -= (size_t)n;
      }
    }

    if (s->mode == SRV_SILENT) {
      (void)srv_wait(s, fd); /* until the client gives up */
      return;
    }
    if (s->mode == SRV_HUGE_LENGTH) {
      char h[256];
      int k = snprintf(h, sizeof(h),
                       "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                       "Connection: keep-alive\r\n\r\n",
                       PC_HTTP_MAX_RESPONSE + 1);

      send_all(fd, h, (size_t)k);
      send_huge(fd, PC_HTTP_MAX_RESPONSE + 1);
      return;
    }
    if (s->mode == SRV_HUGE_HEADER || s->mode == SRV_MANY_HEADERS) {
      static const char h[] = "HTTP/1.1 200 OK\r\n";

      send_all(fd, h, sizeof(h) - 1);
      send_header_filler(fd, 200 * 1024,
                         s->mode == SRV_HUGE_HEADER ? 200 * 1024 : 100);
      send_all(fd, "Content-Length: 2\r\n\r\n{}", 23);
      return;
    }
    if (s->mode == SRV_MOTO || s->mode == SRV_HTML) {
      const char *b = s->mode == SRV_MOTO ? "{\"IdentityId\":\"x\"}"
                                          : "<html><body>hello</body></html>";
      char h[256];
      int k = snprintf(h, sizeof(h),
                       "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
                       "charset=utf-8\r\nContent-Length: %zu\r\n"
                       "Connection: close\r\n\r\n%s",
                       strlen(b), b);

      send_all(fd, h, (size_t)k);
      return; /* closed after every answer */
    }
    if (s->mode == SRV_HUGE_CLOSE) {
      static const char h[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";

      send_all(fd, h, sizeof(h) - 1);
      send_huge(fd, PC_HTTP_MAX_RESPONSE + 4096);
      return;
    }
    {
      static const char b[] = "{\"ok\":true}";
      char h[256];
      int k = snprintf(h, sizeof(h),
                       "HTTP/1.1 200 OK\r\nContent-Type: "
                       "application/x-amz-json-1.1\r\nContent-Length: %zu\r\n"
                       "Connection: keep-alive\r\n\r\n%s",
                       sizeof(b) - 1, b);

      send_all(fd, h, (size_t)k);
    }
  }
}

static void *srv_main(void *arg) {
  struct srv *s = arg;

  while (srv_wait(s, s->lfd)) {
    int fd = accept(s->lfd, NULL, NULL);

    if (fd < 0)
      continue;
    pthread_mutex_lock(&s->mu);
    s->accepts++;
    pthread_mutex_unlock(&s->mu);
    srv_conn(s, fd);
    (void)close(fd);
  }
  return NULL;
}

static int srv_start(struct srv *s, enum srv_mode mode) {
  struct sockaddr_in a;
  socklen_t alen = sizeof(a);
  int one = 1;

  memset(s, 0, sizeof(*s));
  s->mode = mode;
  s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->lfd < 0 || pipe(s->stop) != 0)
    return -1;
  (void)setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
      listen(s->lfd, 8) != 0 ||
      getsockname(s->lfd, (struct sockaddr *)&a, &alen) != 0)
    return -1;
  s->port = ntohs(a.sin_port);
  if (pthread_mutex_init(&s->mu, NULL) != 0)
    return -1;
  return pthread_create(&s->th, NULL, srv_main, s) == 0 ? 0 : -1;
}

static void srv_stop(struct srv *s) {
  (void)write(s->stop[1], "x", 1);
  (void)pthread_join(s->th, NULL);
  (void)close(s->lfd);
  (void)close(s->stop[0]);
  (void)close(s->stop[1]);
  (void)pthread_mutex_destroy(&s->mu);
}

static int real_client(struct pc_config *cfg, struct pc_client *cl,
                       const char *url, const char *timeout) {
  if (make_config(cfg, url) != 0 ||
      pc_config_set(cfg, "timeout", timeout, &cerr) != 0)
    return -1;
  return pc_client_init(cl, cfg, NULL) == PC_OK ? 0 : -1;
}

static json_object *big_request(size_t n) {
  json_object *req = json_object_new_object();
  char *pad = malloc(n + 1);

  if (pad != NULL) {
    memset(pad, 'p', n);
    pad[n] = '\0';
    json_object_object_add(req, "Pad", json_object_new_string(pad));
    free(pad);
  }
  return req;
}

static void test_curl_keepalive(void) {
  struct srv s;
  struct pc_config cfg;
  struct pc_client cl;
  struct pc_error err;
  json_object *req, *resp = NULL;
  char url[64];
  enum pc_status st1, st2;
  double t0, dt;

  if (srv_start(&s, SRV_OK) != 0) {
    ok(0, "server start");
    return;
  }
  (void)snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
  if (real_client(&cfg, &cl, url, "5") != 0) {
    ok(0, "client setup");
    srv_stop(&s);
    return;
  }
  req = big_request(2048);
  st1 = pc_api_call(&cl, PC_USER_POOL, "InitiateAuth", req, &resp, &err);
  ok(st1 == PC_OK, "first call over libcurl (%s)", pc_status_str(st1));
  ok(resp != NULL && json_object_is_type(resp, json_type_object),
     "reply parsed");
  pc_json_put_secret(resp);
  resp = NULL;
  st2 = pc_api_call(&cl, PC_USER_POOL, "RespondToAuthChallenge", req, &resp,
                    &err);
  ok(st2 == PC_OK, "second call over libcurl (%s)", pc_status_str(st2));
  pc_json_put_secret(resp);
  json_object_put(req);

  pthread_mutex_lock(&s.mu);
  ok(s.requests == 2, "server saw two requests (%d)", s.requests);
  ok(s.accepts == 1, "over ONE TCP connection (%d accepts)", s.accepts);
  ok(s.saw_expect == 0, "no Expect: header for a %zu-byte body", s.body_len);
  ok(s.body_len > 2048, "the body arrived whole");
  ok(strstr(s.headers, "X-Amz-Target: " IDP ".RespondToAuthChallenge") != NULL,
     "X-Amz-Target header sent");
  ok(strstr(s.headers, "Content-Type: application/x-amz-json-1.1") != NULL,
     "Content-Type header sent");
  ok(strstr(s.headers, "User-Agent: pam_cognito/" PACKAGE_VERSION) != NULL,
     "User-Agent pam_cognito/" PACKAGE_VERSION);
  ok(strncmp(s.headers, "POST / HTTP/1.1", 15) == 0, "POST /");
  pthread_mutex_unlock(&s.mu);

  /* libcurl 7.88 adds "Expect: 100-continue" on its own only past 1 MiB
   * (older releases past 1 kB), then waits up to a second for "100". */
  req = big_request(1100 * 1024);
  t0 = now_s();
  st1 = pc_api_call(&cl, PC_USER_POOL, "InitiateAuth", req, &resp, &err);
  dt = now_s() - t0;
  json_object_put(req);
  pc_json_put_secret(resp);
  pthread_mutex_lock(&s.mu);
  ok(st1 == PC_OK && s.requests == 3 && s.accepts == 1,
     "a 1.1 MB body on the same connection (%s)", pc_status_str(st1));
  ok(s.saw_expect == 0 && dt < 0.9,
     "no Expect: and no 100-continue wait for %zu bytes (%.3f s)", s.body_len,
     dt);
  pthread_mutex_unlock(&s.mu);
  pc_client_free(&cl);
  pc_config_free(&cfg);
  srv_stop(&s);
}

/* A server that speaks the AWS JSON protocol as moto's does: a JSON body
 * as text/html, the connection closed after every answer. The body decides
 * (as in botocore); each closed connection costs a reconnect, no failure.
 * An HTML page is still no answer. */
static void test_curl_moto(enum srv_mode mode) {
  struct srv s;
  struct pc_config cfg;
  struct pc_client cl;
  struct pc_error err;
  json_object *req, *resp = NULL;
  char url[64];
  enum pc_status st[3];
  int i;

  if (srv_start(&s, mode) != 0) {
    ok(0, "server start");
    return;
  }
  (void)snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
  if (real_client(&cfg, &cl, url, "5") != 0) {
    ok(0, "client setup");
    srv_stop(&s);
    return;
  }
  req = big_request(16);
  for (i = 0; i < 3; i++) {
    st[i] = pc_api_call(&cl, PC_IDENTITY_POOL, "GetId", req, &resp, &err);
    if (mode == SRV_MOTO)
      ok(st[i] == PC_OK && pc_json_str(resp, "IdentityId") != NULL,
         "call %d: a JSON body as text/html is read (%s)", i + 1,
         pc_status_str(st[i]));
    else
      ok(st[i] == PC_ERR_PROTOCOL && resp == NULL &&
             strstr(err.detail, "not a JSON object") != NULL,
         "call %d: an HTML page is malformed (%s: %s)", i + 1,
         pc_status_str(st[i]), err.detail);
    json_object_put(resp);
    resp = NULL;
  }
  json_object_put(req);
  pthread_mutex_lock(&s.mu);
  ok(s.requests == 3 && s.accepts == 3,
     "Connection: close: one connection per call (%d requests, %d accepts)",
     s.requests, s.accepts);
  pthread_mutex_unlock(&s.mu);
  pc_client_free(&cl);
  pc_config_free(&cfg);
  srv_stop(&s);
}

static void test_curl_silent(void) {
  struct srv s;
  struct pc_config cfg;
  struct pc_client cl;
  struct pc_error err;
  json_object *req, *resp = NULL;
  char url[64];
  enum pc_status st;
  double t0, dt;

  if (srv_start(&s, SRV_SILENT) != 0) {
    ok(0, "server start");
    return;
  }
  (void)snprintf(url, sizeof(url), "http://127.0.0.1:%d", s.port);
  if (real_client(&cfg, &cl, url, "1") != 0) {
    ok(0, "client setup");
    srv_stop(&s);
    return;
  }
  req = big_request(10);
  t0 = now_s();
  st = pc_api_call(&cl, PC_USER_POOL, "InitiateAuth", req, &resp, &err);
  dt = now_s() - t0;
  json_object_put(req);
  ok(st == PC_ERR_UNAVAIL && resp == NULL,
     "a server that never answers -> unavailable (%s)", pc_status_str(st));
  ok(dt >= 0.9 && dt < 2.5, "within the 1 s timeout (%.2f s)", dt);
  pthread_mutex_lock(&s.mu);
  ok(s.requests == 1, "timeouts are not retried (%d requests)", s.requests);
  pthread_mutex_unlock(&s.mu);
  pc_client_free(&cl);
  pc_config_free(&cfg);
  srv_stop(&s);
}

static void test_curl_huge(enum srv_mode mode, const char *what) {
  struct srv s;
  struct pc_config cfg;
  struct pc_client cl;
  struct pc_error err;
  json_object *req, *resp = NULL;
  char url[64];
  enum pc_status st;

  if (srv_start(&s, mode) != 0) {
    ok(0, "server start");
    return;
  }
  (void)snprintf(url, sizeof(url), "http://localhost:%d/", s.port);
  if (real_client(&cfg, &cl, url, "5") != 0) {
    ok(0, "client setup");
    srv_stop(&s);
    return;
  }
  req = big_request(10);
  st = pc_api_call(&cl, PC_USER_POOL, "InitiateAuth", req, &resp, &err);
  json_object_put(req);
  /* Its own status and words, not out of memory (PAM_BUF_ERR). */
  ok(st == PC_ERR_TOO_LARGE && resp == NULL, "%s -> reply too large (%s)", what,
     pc_status_str(st));
  ok(strstr(err.detail, mode == SRV_HUGE_HEADER || mode == SRV_MANY_HEADERS
                            ? "reply header too large"
                            : "reply body too large") != NULL,
     "%s: the detail says so (%s)", what, err.detail);
  pc_client_free(&cl);
  pc_config_free(&cfg);
  srv_stop(&s);
}

static void test_curl_refused(void) {
  struct srv s;
  struct pc_http *h;
  struct pc_buf b;
  long status = 9;
  char url[64];
  double t0, dt;
  enum pc_status st;
  struct sockaddr_in a;
  socklen_t alen = sizeof(a);
  int fd;

  h = pc_http_new(1, NULL);
  ok(h != NULL, "libcurl transport created");
  if (h == NULL)
    return;
  pc_buf_init(&b, PC_HTTP_MAX_RESPONSE);
  t0 = now_s();
  st = pc_http_post(h, "http://10.0.0.1:9229/", "X.Y", "{}", 2, &status, &b);
  dt = now_s() - t0;
  ok(st == PC_ERR_CONFIG && status == 0, "http://10.0.0.1 refused (%s)",
     pc_status_str(st));
  ok(dt < 0.2, "at once, without trying to connect (%.3f s)", dt);

  /* A refused spelling that would reach our loopback server if any I/O
   * happened: the server must see no connection. */
  if (srv_start(&s, SRV_OK) == 0) {
    (void)snprintf(url, sizeof(url), "http://[::ffff:127.0.0.1]:%d/", s.port);
    st = pc_http_post(h, url, "X.Y", "{}", 2, &status, &b);
    pthread_mutex_lock(&s.mu);
    ok(st == PC_ERR_CONFIG && s.accepts == 0,
       "refused URL makes no connection (%d accepts)", s.accepts);
    pthread_mutex_unlock(&s.mu);
    srv_stop(&s);
  }

  /* Nothing listening: connection refused is unavailable, quickly. */
  fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
      getsockname(fd, (struct sockaddr *)&a, &alen) == 0) {
    (void)snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(a.sin_port));
    (void)close(fd);
    fd = -1;
    st = pc_http_post(h, url, "X.Y", "{}", 2, &status, &b);
    ok(st == PC_ERR_UNAVAIL && status == 0,
       "connection refused -> unavailable (%s)", pc_status_str(st));
  }
  if (fd >= 0)
    (void)close(fd);
  pc_buf_free(&b);
  pc_http_free(h);
}

int main(void) {
  (void)signal(SIGPIPE, SIG_IGN);
  test_status_str();
  test_request();
  test_error_mapping();
  test_bad_bodies();
  test_retries();
  test_sanitize();
  test_secret_hash();
  test_put_secret();
  test_json_type();
  test_url_allowed();
  test_transport_refuses();
  test_curl_keepalive();
  test_curl_silent();
  test_curl_moto(SRV_MOTO);
  test_curl_moto(SRV_HTML);
  test_curl_huge(SRV_HUGE_LENGTH, "a Content-Length over the maximum");
  test_curl_huge(SRV_HUGE_CLOSE, "a streamed body over the maximum");
  test_curl_huge(SRV_HUGE_HEADER, "one header line of 200 kB");
  test_curl_huge(SRV_MANY_HEADERS, "200 kB of short header lines");
  test_curl_refused();
  return tap_done();
}
