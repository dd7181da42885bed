/* SPDX-License-Identifier: MIT */
/* Text encodings and HMAC-SHA256 in base64; see codec.h. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/buf.h"
#include "base/codec.h"
#include "base/secret.h"

void pc_hex_encode(const unsigned char *p, size_t len, char *out) {
  static const char digits[] = "0123456789abcdef";
  size_t i;

  for (i = 0; i < len; i++) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 0x0f];
  }
  out[2 * len] = '\0';
}

static int unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

int pc_pct_encode(struct pc_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p;
  char enc[3];

  for (p = (const unsigned char *)s; *p; p++) {
    if (unreserved(*p)) {
      if (pc_buf_append(b, p, 1) != 0)
        return -1;
      continue;
    }
    enc[0] = '%';
    enc[1] = hex[*p >> 4];
    enc[2] = hex[*p & 15];
    if (pc_buf_append(b, enc, 3) != 0)
      return -1;
  }
  return 0;
}

char *pc_base64_encode(const unsigned char *p, size_t len) {
  char *out;

  if (len > INT_MAX / 4 * 3 - 3)
    return NULL;
  out = malloc(4 * ((len + 2) / 3) + 1);
  if (out != NULL)
    (void)EVP_EncodeBlock((unsigned char *)out, p, (int)len);
  return out;
}

/* EVP_DecodeBlock skips whitespace and counts padding as data, so check the
 * text ourselves and trim the padding bytes from its output. */
unsigned char *pc_base64_decode(const char *in, size_t *outlen) {
  static const char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t len = strlen(in), pad = 0;
  unsigned char *out;
  int n;

  if (len == 0 || len % 4 != 0 || len > INT32_MAX)
    return NULL;
  if (in[len - 1] == '=')
    pad = in[len - 2] == '=' ? 2 : 1;
  if (strspn(in, alphabet) != len - pad)
    return NULL;
  if ((out = malloc(len / 4 * 3 + 1)) == NULL)
    return NULL;
  n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
  if (n < 0 || (size_t)n != len / 4 * 3) {
    free(out);
    return NULL;
  }
  *outlen = (size_t)n - pad;
  out[*outlen] = '\0';
  return out;
}

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

char *pc_base64url_encode(const unsigned char *p, size_t len) {
  char *s = pc_base64_encode(p, len), *c;
  size_t n;

  if (!s)
    return NULL;
  for (c = s; *c; c++)
    *c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
  n = strlen(s);
  while (n && s[n - 1] == '=')
    s[--n] = '\0';
  return s;
}

int pc_base64url_valid(const char *in, size_t len) {
  size_t i;

  if (len == 0)
    return 0;
  for (i = 0; i < len; i++)
    if (b64url_value((unsigned char)in[i]) < 0)
      return 0;
  return 1;
}

unsigned char *pc_base64url_decode(const char *in, size_t len, size_t max,
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

char *pc_hmac_sha256_base64(const void *key, size_t keylen,
                            const struct pc_bytes *parts, size_t n) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int maclen = 0;
  size_t i, total = 0, off = 0;
  unsigned char *msg;
  char *out = NULL;

  if (key == NULL || keylen > INT_MAX)
    return NULL;
  for (i = 0; i < n; i++) {
    if (parts[i].len > SIZE_MAX - 1 - total)
      return NULL;
    total += parts[i].len;
  }
  if ((msg = malloc(total + 1)) == NULL)
    return NULL;
  for (i = 0; i < n; i++) {
    if (parts[i].len > 0)
      memcpy(msg + off, parts[i].p, parts[i].len);
    off += parts[i].len;
  }
  if (HMAC(EVP_sha256(), key, (int)keylen, msg, total, mac, &maclen) != NULL &&
      maclen == 32)
    out = pc_base64_encode(mac, maclen);
  pc_wipe(mac, sizeof(mac));
  pc_wipe(msg, total);
  free(msg);
  return out;
}

char *pc_secret_hash(const char *client_secret, const char *username,
                     const char *client_id) {
  struct pc_bytes parts[2];

  if (client_secret == NULL || username == NULL || client_id == NULL)
    return NULL;
  parts[0].p = username;
  parts[0].len = strlen(username);
  parts[1].p = client_id;
  parts[1].len = strlen(client_id);
  return pc_hmac_sha256_base64(client_secret, strlen(client_secret), parts, 2);
}
