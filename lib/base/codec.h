/* SPDX-License-Identifier: MIT */
/* codec: hex, base64 (standard and url-safe) and percent text encodings,
 * and the one
 * MAC the protocol sends as text, HMAC-SHA256 in base64. Decoded output and
 * MAC inputs may be secret: callers wipe what they keep. */
#ifndef PAM_COGNITO_CODEC_H
#define PAM_COGNITO_CODEC_H

#include <stddef.h>

struct pc_buf;

/* Lower-case hex of len bytes into out (at least 2 * len + 1 bytes). */
void pc_hex_encode(const unsigned char *p, size_t len, char *out);

/* Standard base64 with '=' padding as a heap string, or NULL. */
char *pc_base64_encode(const unsigned char *p, size_t len);

/* Strict standard base64 (length a multiple of 4, padding only at the end):
 * a heap buffer of *outlen bytes plus a NUL, or NULL when malformed. */
unsigned char *pc_base64_decode(const char *in, size_t *outlen);

/* base64url without padding, as compact JWTs carry it, of len characters
 * at in: a heap buffer of *outlen bytes plus a NUL, or NULL when malformed
 * or longer than max decoded bytes. */
unsigned char *pc_base64url_decode(const char *in, size_t len, size_t max,
                                   size_t *outlen);

/* base64url without padding (WebAuthn's encoding) as a heap string, or
 * NULL. */
char *pc_base64url_encode(const unsigned char *p, size_t len);

/* 1 when in[0..len) is non-empty and all base64url characters. */
int pc_base64url_valid(const char *in, size_t len);

/* Append s percent-encoded to b (RFC 3986: unreserved characters kept,
 * every other byte as %XX in upper-case hex). 0, or -1 as pc_buf_append
 * (the buffer may then hold part of it). */
int pc_pct_encode(struct pc_buf *b, const char *s)
    __attribute__((warn_unused_result));

/* base64(HMAC-SHA256(key, part1 || part2 || ...)) over n parts given as
 * pointer/length pairs, as a heap string, or NULL. */
struct pc_bytes {
  const void *p;
  size_t len;
};
char *pc_hmac_sha256_base64(const void *key, size_t keylen,
                            const struct pc_bytes *parts, size_t n);

/* Cognito's SECRET_HASH: base64(HMAC-SHA256(client_secret, username ||
 * client_id)), a heap string (a secret: pc_free_secret) or NULL. */
char *pc_secret_hash(const char *client_secret, const char *username,
                     const char *client_id);

#endif
