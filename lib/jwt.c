#include "config.h"

#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jwt.h"
#include "secret.h"

/* Value of one base64url character, or -1 for anything else (including the
 * '=' padding, which compact JWTs leave out). */
static int b64url_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

/* Decode len characters at in into a new NUL-terminated heap buffer whose
 * size is stored in *outlen; NULL when malformed or larger than max. */
unsigned char *pc_b64url_decode(const char *in, size_t len, size_t max,
                                size_t *outlen) {
  unsigned char *out;
  size_t n, i, o = 0;
  unsigned long acc = 0;
  int bits = 0;

  /* A lone trailing character carries only 6 bits: never a whole byte. */
  if (len == 0 || len % 4 == 1)
    return NULL;
  n = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
  if (n > max)
    return NULL;
  out = malloc(n + 1);
  if (out == NULL)
    return NULL;
  for (i = 0; i < len; i++) {
    int v = b64url_value((unsigned char)in[i]);
    if (v < 0) {
      pc_wipe(out, n + 1);
      free(out);
      return NULL;
    }
    acc = (acc << 6 | (unsigned long)v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char)(acc >> bits & 0xff);
    }
  }
  out[o] = '\0';
  *outlen = o;
  return out;
}

/* Only base64url characters, at least one. */
static int segment_ok(const char *s, size_t len) {
  size_t i;

  if (len == 0)
    return 0;
  for (i = 0; i < len; i++)
    if (b64url_value((unsigned char)s[i]) < 0)
      return 0;
  return 1;
}

json_object *pc_jwt_claims(const char *jwt) {
  const char *dot1, *dot2, *payload;
  unsigned char *text;
  size_t plen, tlen = 0;
  json_object *obj;

  if (jwt == NULL)
    return NULL;
  dot1 = strchr(jwt, '.');
  if (dot1 == NULL)
    return NULL;
  payload = dot1 + 1;
  dot2 = strchr(payload, '.');
  /* Exactly three segments: five would be an encrypted JWE, whose middle
   * segment is a key, not claims. */
  if (dot2 == NULL || strchr(dot2 + 1, '.') != NULL)
    return NULL;
  plen = (size_t)(dot2 - payload);
  if (!segment_ok(jwt, (size_t)(dot1 - jwt)) || !segment_ok(payload, plen) ||
      !segment_ok(dot2 + 1, strlen(dot2 + 1)))
    return NULL;
  text = pc_b64url_decode(payload, plen, PC_JWT_MAX_CLAIMS, &tlen);
  if (text == NULL)
    return NULL;
  obj = pc_json_parse_object((const char *)text, tlen);
  /* Claims are not secret by themselves, but they describe the user: do
   * not leave them in freed memory either. */
  pc_wipe(text, tlen);
  free(text);
  return obj;
}

const char *pc_jwt_str(json_object *claims, const char *name) {
  json_object *v;

  if (claims == NULL || name == NULL ||
      !json_object_object_get_ex(claims, name, &v) ||
      !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

int pc_jwt_long(json_object *claims, const char *name, long long *out) {
  json_object *v;
  double d;

  if (claims == NULL || name == NULL || out == NULL ||
      !json_object_object_get_ex(claims, name, &v))
    return -1;
  if (json_object_is_type(v, json_type_int)) {
    /* json-c saturates out-of-range integers at INT64_MIN/MAX; a claim
     * that large is garbage, so refuse rather than use a clamped value. */
    int64_t i = json_object_get_int64(v);
    if (i == INT64_MAX || i == INT64_MIN)
      return -1;
    *out = (long long)i;
    return 0;
  }
  if (json_object_is_type(v, json_type_double)) {
    d = json_object_get_double(v);
    if (!isfinite(d) || d >= 9.2e18 || d <= -9.2e18)
      return -1;
    *out = (long long)d;
    return 0;
  }
  return -1;
}
