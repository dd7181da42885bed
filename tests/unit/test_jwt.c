/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tokens/jwt.h"
#include "tap.h"

/* base64url without padding, for building test tokens. */
static char *b64url(const unsigned char *in, size_t len) {
  static const char al[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char *out = malloc(len / 3 * 4 + 5);
  size_t i, o = 0;

  if (out == NULL)
    abort();
  for (i = 0; i + 2 < len; i += 3) {
    unsigned long v = (unsigned long)in[i] << 16 | in[i + 1] << 8 | in[i + 2];
    out[o++] = al[v >> 18 & 63];
    out[o++] = al[v >> 12 & 63];
    out[o++] = al[v >> 6 & 63];
    out[o++] = al[v & 63];
  }
  if (len - i == 1) {
    out[o++] = al[in[i] >> 2];
    out[o++] = al[(in[i] & 3) << 4];
  } else if (len - i == 2) {
    out[o++] = al[in[i] >> 2];
    out[o++] = al[((in[i] & 3) << 4) | in[i + 1] >> 4];
    out[o++] = al[(in[i + 1] & 15) << 2];
  }
  out[o] = '\0';
  return out;
}

/* "<b64url(header)>.<b64url(payload)>.c2ln" in a static buffer. */
static const char *token(const char *payload, size_t len) {
  static char buf[40000];
  char *h = b64url((const unsigned char *)"{\"alg\":\"RS256\"}", 15);
  char *p = b64url((const unsigned char *)payload, len);

  if (snprintf(buf, sizeof buf, "%s.%s.c2ln", h, p) >= (int)sizeof buf)
    abort();
  free(h);
  free(p);
  return buf;
}

static int rejects(const char *jwt) {
  json_object *o = pc_jwt_claims(jwt);

  if (o == NULL)
    return 1;
  json_object_put(o);
  return 0;
}

int main(void) {
  const char *good =
      "{\"sub\":\"1b2c\",\"cognito:username\":\"alice\","
      "\"exp\":1700003600,\"iat\":1.7e9,\"email_verified\":true}";
  json_object *c;
  long long n = 0;
  char *big;
  size_t i;

  c = pc_jwt_claims(token(good, strlen(good)));
  ok(c != NULL, "a well-formed token decodes");
  is_str(pc_jwt_str(c, "cognito:username"), "alice", "string claim");
  is_str(pc_jwt_str(c, "sub"), "1b2c", "sub claim");
  ok(pc_jwt_str(c, "exp") == NULL, "a number is not a string claim");
  ok(pc_jwt_str(c, "missing") == NULL, "absent string claim is NULL");
  ok(pc_json_number(c, "exp", &n) == 0 && n == 1700003600, "integer claim");
  ok(pc_json_number(c, "iat", &n) == 0 && n == 1700000000,
     "fractional-notation NumericDate");
  ok(pc_json_number(c, "sub", &n) == -1, "a string is not a number claim");
  ok(pc_json_number(c, "email_verified", &n) == -1, "a bool is not a number");
  ok(pc_json_number(c, "nope", &n) == -1, "absent number claim");
  json_object_put(c);

  /* {"a":"~~~?"} encodes to "eyJhIjoifn5-PyJ9": both URL-safe characters. */
  c = pc_jwt_claims("eyJhbGciOiJub25lIn0.eyJhIjoifn5-PyJ9.c2ln");
  is_str(pc_jwt_str(c, "a"), "~~~?", "decodes '-' (62)");
  json_object_put(c);
  /* {"b":"???"} has '/' in standard base64, '_' in base64url. */
  c = pc_jwt_claims("eyJhbGciOiJub25lIn0.eyJiIjoiPz8_In0.c2ln");
  is_str(pc_jwt_str(c, "b"), "???", "decodes '_' (63)");
  json_object_put(c);
  ok(rejects("eyJhbGciOiJub25lIn0.eyJiIjoiPz8/In0.c2ln"),
     "standard base64 '/' is refused");
  ok(rejects("eyJhbGciOiJub25lIn0.eyJhIjoifn5+PyJ9.c2ln"),
     "standard base64 '+' is refused");
  ok(rejects("eyJhbGciOiJub25lIn0.eyJiIjoxfQ==.c2ln"), "padding is refused");
  ok(!rejects("eyJhbGciOiJub25lIn0.eyJiIjoxfQ.c2ln"), "same without padding");

  ok(rejects(NULL), "NULL");
  ok(rejects(""), "empty string");
  ok(rejects("eyJiIjoxfQ"), "one segment");
  ok(rejects("eyJhbGciOiJub25lIn0.eyJiIjoxfQ"), "two segments");
  ok(rejects("eyJhbGciOiJub25lIn0.eyJiIjoxfQ."), "empty signature");
  ok(rejects(".eyJiIjoxfQ.c2ln"), "empty header");
  ok(rejects("eyJhbGciOiJub25lIn0..c2ln"), "empty payload");
  ok(rejects("a.eyJiIjoxfQ.b.c.d"), "five segments (JWE)");
  ok(rejects("eyJhbGciOiJub25lIn0.eyJiIjoxfQ.c2ln.x"), "four segments");
  ok(rejects("eyJhbGciOiJub25lIn0.eyJiIj$xfQ.c2ln"), "bad base64 character");
  ok(rejects("eyJhbGciOiJub25lIn0.eyJiIjoxfQQQQ.c2ln"),
     "impossible base64 length (4n+1)");
  ok(rejects("eyJhbGciOiJub25lIn0.eyJiIjoxfQ.c2l!"), "bad signature chars");

  ok(rejects(token("[1,2]", 5)), "JSON array is refused");
  ok(rejects(token("\"str\"", 5)), "JSON string is refused");
  ok(rejects(token("42", 2)), "JSON number is refused");
  ok(rejects(token("{\"a\":1", 6)), "truncated JSON");
  ok(rejects(token("{\"a\":1}x", 8)), "trailing garbage");
  ok(!rejects(token("{\"a\":1}\n", 8)), "trailing newline is fine");
  ok(rejects(token("{\"a\":1}\0{}", 10)), "embedded NUL");
  ok(rejects(token("{\"a\":1,}", 8)), "trailing comma (strict parse)");
  ok(rejects(token("{\"a\":\"\xff\"}", 9)), "invalid UTF-8");
  ok(rejects(token("not json", 8)), "not JSON at all");
  ok(rejects(token("{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", 46)),
     "nesting deeper than the limit");

  /* Exactly at the bound decodes; one byte more does not. */
  big = malloc(PC_JWT_MAX_CLAIMS + 2);
  if (big == NULL)
    abort();
  memcpy(big, "{\"p\":\"", 6);
  for (i = 6; i < PC_JWT_MAX_CLAIMS - 2; i++)
    big[i] = 'x';
  memcpy(big + PC_JWT_MAX_CLAIMS - 2, "\"}", 3);
  c = pc_jwt_claims(token(big, PC_JWT_MAX_CLAIMS));
  ok(c != NULL && strlen(pc_jwt_str(c, "p")) == PC_JWT_MAX_CLAIMS - 8,
     "claims of exactly %d bytes decode", PC_JWT_MAX_CLAIMS);
  json_object_put(c);
  memcpy(big + PC_JWT_MAX_CLAIMS - 2, "x\"}", 4);
  ok(rejects(token(big, PC_JWT_MAX_CLAIMS + 1)), "one byte more is refused");
  free(big);

  c = pc_jwt_claims(token("{\"n\":99999999999999999999}", 26));
  ok(c != NULL && pc_json_number(c, "n", &n) == -1, "out-of-range integer");
  json_object_put(c);
  ok(pc_json_number(NULL, "exp", &n) == -1 && pc_jwt_str(NULL, "x") == NULL,
     "NULL claims");
  return tap_done();
}
