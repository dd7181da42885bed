/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "login/srp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "base/codec.h"
#include "base/secret.h"

/* RFC 3526 group 15 (3072-bit MODP), the group amazon-cognito-identity-js
 * uses; g = 2. */
static const char N_HEX[] = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
                            "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
                            "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
                            "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
                            "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
                            "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
                            "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
                            "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
                            "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
                            "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
                            "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"
                            "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
                            "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
                            "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

/* Bytes of a: the reference client draws 128. */
#define SMALL_A_BYTES 128
/* Longest hex number we accept from the server: B is 768 digits; leave room
 * for leading zeros but refuse absurd input before handing it to BN_hex2bn. */
#define MAX_HEX_DIGITS 4096
#define KEY_LEN 16
#define INFO "Caldera Derived Key"

struct pc_srp {
  BIGNUM *N, *g, *a, *A;
  char *A_hex;
  unsigned char key[KEY_LEN];
  int have_key;
};

/* The server's numbers must be plain hex: BN_hex2bn alone would accept a
 * leading '-' and stop silently at the first non-hex character. */
static BIGNUM *hex_to_bn(const char *hex) {
  BIGNUM *bn = NULL;
  size_t len;

  if (hex == NULL || (len = strlen(hex)) == 0 || len > MAX_HEX_DIGITS ||
      strspn(hex, "0123456789abcdefABCDEF") != len)
    return NULL;
  if (BN_hex2bn(&bn, hex) != (int)len) {
    BN_free(bn);
    return NULL;
  }
  return bn;
}

/* pad(n) as bytes: the minimal big-endian encoding plus a zero byte when the
 * top bit is set (so it reads as positive), and one zero byte for n = 0.
 * bits/8 + 1 covers all three cases. Wipe with pc_wipe when n is secret. */
static unsigned char *bn_pad(const BIGNUM *n, size_t *len) {
  size_t want = (size_t)BN_num_bits(n) / 8 + 1;
  unsigned char *buf = malloc(want);

  if (buf == NULL)
    return NULL;
  if (BN_bn2binpad(n, buf, (int)want) != (int)want) {
    free(buf);
    return NULL;
  }
  *len = want;
  return buf;
}

static char *bytes_to_hex(const unsigned char *p, size_t len) {
  char *hex = malloc(2 * len + 1);

  if (hex != NULL)
    pc_hex_encode(p, len, hex);
  return hex;
}

/* SHA-256 over up to four pieces, so secrets need not be concatenated into
 * one more buffer to wipe. */
static int sha256_parts(const void *p1, size_t l1, const void *p2, size_t l2,
                        const void *p3, size_t l3, const void *p4, size_t l4,
                        unsigned char out[32]) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  unsigned int outlen = 0;
  int ok =
      md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
      EVP_DigestUpdate(md, p1, l1) == 1 && EVP_DigestUpdate(md, p2, l2) == 1 &&
      EVP_DigestUpdate(md, p3, l3) == 1 && EVP_DigestUpdate(md, p4, l4) == 1 &&
      EVP_DigestFinal_ex(md, out, &outlen) == 1 && outlen == 32;

  EVP_MD_CTX_free(md);
  return ok ? 0 : -1;
}

/* H(pad(x) || pad(y)) as a number: how both k and u are formed. */
static BIGNUM *hash_pair(const BIGNUM *x, const BIGNUM *y) {
  unsigned char *px = NULL, *py = NULL, h[32];
  size_t lx = 0, ly = 0;
  BIGNUM *r = NULL;

  if ((px = bn_pad(x, &lx)) != NULL && (py = bn_pad(y, &ly)) != NULL &&
      sha256_parts(px, lx, py, ly, "", 0, "", 0, h) == 0)
    r = BN_bin2bn(h, sizeof(h), NULL);
  free(px);
  free(py);
  return r;
}

static int hmac_sha256(const void *key, size_t klen, const void *msg,
                       size_t mlen, unsigned char out[32]) {
  unsigned int outlen = 0;

  if (HMAC(EVP_sha256(), key, (int)klen, msg, mlen, out, &outlen) == NULL ||
      outlen != 32)
    return -1;
  return 0;
}

static struct pc_srp *srp_alloc(void) {
  struct pc_srp *s = calloc(1, sizeof(*s));

  if (s == NULL)
    return NULL;
  if (BN_hex2bn(&s->N, N_HEX) == 0 || (s->g = BN_new()) == NULL ||
      BN_set_word(s->g, 2) != 1 || (s->a = BN_secure_new()) == NULL ||
      (s->A = BN_new()) == NULL) {
    pc_srp_free(s);
    return NULL;
  }
  BN_set_flags(s->a, BN_FLG_CONSTTIME);
  return s;
}

/* A = g^a mod N and its unpadded lower-case hex, as the reference client
 * sends it (BigInteger.toString(16): no leading zero digit). */
static int compute_A(struct pc_srp *s) {
  BN_CTX *ctx = BN_CTX_secure_new();
  unsigned char *bytes = NULL;
  size_t len = 0;
  int ok = ctx != NULL && !BN_is_zero(s->a) &&
           BN_mod_exp_mont_consttime(s->A, s->g, s->a, s->N, ctx, NULL) == 1 &&
           !BN_is_zero(s->A) && (bytes = bn_pad(s->A, &len)) != NULL &&
           (s->A_hex = bytes_to_hex(bytes, len)) != NULL;

  if (ok) {
    /* Drop pad()'s leading zero digits; A > 0, so a digit remains. */
    size_t skip = 0;
    while (s->A_hex[skip] == '0' && s->A_hex[skip + 1] != '\0')
      skip++;
    memmove(s->A_hex, s->A_hex + skip, strlen(s->A_hex + skip) + 1);
  }
  free(bytes);
  BN_CTX_free(ctx);
  return ok ? 0 : -1;
}

struct pc_srp *pc_srp_new_with_a(const unsigned char *a, size_t a_len) {
  struct pc_srp *s;

  if (a == NULL || a_len == 0 || a_len > INT32_MAX || (s = srp_alloc()) == NULL)
    return NULL;
  if (BN_bin2bn(a, (int)a_len, s->a) == NULL || compute_A(s) != 0) {
    pc_srp_free(s);
    return NULL;
  }
  return s;
}

struct pc_srp *pc_srp_new(void) {
  unsigned char a[SMALL_A_BYTES];
  struct pc_srp *s = NULL;

  if (RAND_priv_bytes(a, sizeof(a)) == 1)
    s = pc_srp_new_with_a(a, sizeof(a));
  pc_wipe(a, sizeof(a));
  return s;
}

const char *pc_srp_A_hex(const struct pc_srp *s) {
  return s ? s->A_hex : NULL;
}

int pc_srp_last_key(const struct pc_srp *s, unsigned char out[16]) {
  if (s == NULL || !s->have_key)
    return -1;
  memcpy(out, s->key, KEY_LEN);
  return 0;
}

void pc_srp_free(struct pc_srp *s) {
  if (s == NULL)
    return;
  BN_free(s->N);
  BN_free(s->g);
  BN_clear_free(s->a);
  BN_free(s->A);
  free(s->A_hex);
  pc_wipe(s->key, sizeof(s->key));
  free(s);
}

/* x = H(pad(salt) || H(pool || user || ":" || password)). */
static BIGNUM *compute_x(const char *pool, const char *user,
                         const char *password, const BIGNUM *salt) {
  unsigned char inner[32], outer[32], *psalt = NULL;
  size_t lsalt = 0;
  BIGNUM *x = NULL;

  if (sha256_parts(pool, strlen(pool), user, strlen(user), ":", 1, password,
                   strlen(password), inner) == 0 &&
      (psalt = bn_pad(salt, &lsalt)) != NULL &&
      sha256_parts(psalt, lsalt, inner, sizeof(inner), "", 0, "", 0, outer) ==
          0 &&
      (x = BN_secure_new()) != NULL) {
    BN_set_flags(x, BN_FLG_CONSTTIME);
    if (BN_bin2bn(outer, sizeof(outer), x) == NULL) {
      BN_clear_free(x);
      x = NULL;
    }
  }
  free(psalt);
  pc_wipe(inner, sizeof(inner));
  pc_wipe(outer, sizeof(outer));
  return x;
}

/* Padded hex of n (the reference client's padHex). */
static char *bn_pad_hex(const BIGNUM *n) {
  unsigned char *p;
  size_t len = 0;
  char *hex;

  if ((p = bn_pad(n, &len)) == NULL)
    return NULL;
  hex = bytes_to_hex(p, len);
  free(p);
  return hex;
}

enum pc_status pc_srp_device_verifier(const char *group_key,
                                      const char *device_key,
                                      const char *password, char **salt_hex,
                                      char **verifier_hex) {
  unsigned char raw[16];
  BIGNUM *N = NULL, *g = NULL, *salt = NULL, *x = NULL, *v = NULL;
  BN_CTX *ctx = BN_CTX_new();
  enum pc_status st = PC_ERR_NOMEM;

  *salt_hex = *verifier_hex = NULL;
  if (ctx != NULL && RAND_bytes(raw, sizeof raw) == 1 &&
      (N = hex_to_bn(N_HEX)) != NULL && (g = BN_new()) != NULL &&
      BN_set_word(g, 2) == 1 &&
      (salt = BN_bin2bn(raw, sizeof raw, NULL)) != NULL &&
      (x = compute_x(group_key, device_key, password, salt)) != NULL &&
      (v = BN_new()) != NULL && BN_mod_exp(v, g, x, N, ctx) == 1 &&
      (*salt_hex = bn_pad_hex(salt)) != NULL &&
      (*verifier_hex = bn_pad_hex(v)) != NULL)
    st = PC_OK;
  if (st != PC_OK) {
    free(*salt_hex);
    *salt_hex = NULL;
  }
  pc_wipe(raw, sizeof raw);
  BN_free(N);
  BN_free(g);
  BN_free(salt);
  BN_clear_free(x);
  BN_free(v);
  BN_CTX_free(ctx);
  return st;
}

/* S = (B - k*g^x)^(a + u*x) mod N. BN_mod_sub keeps the base in [0, N) even
 * when k*g^x mod N exceeds B. */
static BIGNUM *compute_S(const struct pc_srp *s, const BIGNUM *B,
                         const BIGNUM *u, const BIGNUM *x) {
  BN_CTX *ctx = BN_CTX_secure_new();
  BIGNUM *k = hash_pair(s->N, s->g);
  BIGNUM *base = BN_secure_new(), *e = BN_secure_new(), *S = BN_secure_new();
  int ok = ctx && k && base && e && S;

  if (ok) {
    BN_set_flags(e, BN_FLG_CONSTTIME);
    ok = BN_mod_exp_mont_consttime(base, s->g, x, s->N, ctx, NULL) == 1 &&
         BN_mod_mul(base, k, base, s->N, ctx) == 1 &&
         BN_mod_sub(base, B, base, s->N, ctx) == 1 &&
         BN_mul(e, u, x, ctx) == 1 && BN_add(e, e, s->a) == 1 &&
         BN_mod_exp_mont_consttime(S, base, e, s->N, ctx, NULL) == 1;
  }
  BN_free(k);
  BN_clear_free(base);
  BN_clear_free(e);
  BN_CTX_free(ctx); /* clears its pool */
  if (!ok) {
    BN_clear_free(S);
    S = NULL;
  }
  return S;
}

/* HKDF-SHA256 (RFC 5869) cut to one 16-byte block:
 * PRK = HMAC(salt, ikm); OKM = HMAC(PRK, info || 0x01)[0..16). */
static int hkdf16(const unsigned char *ikm, size_t ikm_len,
                  const unsigned char *salt, size_t salt_len,
                  unsigned char out[KEY_LEN]) {
  static const unsigned char info[] = INFO "\x01";
  unsigned char prk[32], okm[32];
  int rc = -1;

  if (hmac_sha256(salt, salt_len, ikm, ikm_len, prk) == 0 &&
      hmac_sha256(prk, sizeof(prk), info, sizeof(info) - 1, okm) == 0) {
    memcpy(out, okm, KEY_LEN);
    rc = 0;
  }
  pc_wipe(prk, sizeof(prk));
  pc_wipe(okm, sizeof(okm));
  return rc;
}

/* base64(HMAC(key, pool || user || block bytes || timestamp)). */
static enum pc_status sign(const unsigned char key[KEY_LEN], const char *pool,
                           const char *user, const unsigned char *block,
                           size_t lb, const char *timestamp, char **sig_b64) {
  const struct pc_bytes parts[] = {{pool, strlen(pool)},
                                   {user, strlen(user)},
                                   {block, lb},
                                   {timestamp, strlen(timestamp)}};

  *sig_b64 = pc_hmac_sha256_base64(key, KEY_LEN, parts, 4);
  return *sig_b64 != NULL ? PC_OK : PC_ERR_NOMEM;
}

enum pc_status pc_srp_signature(struct pc_srp *s, const char *pool_name,
                                const char *user_id, const char *password,
                                const char *salt_hex, const char *B_hex,
                                const char *secret_block_b64,
                                const char *timestamp, char **sig_b64) {
  BIGNUM *salt = NULL, *B = NULL, *u = NULL, *x = NULL, *S = NULL;
  BIGNUM *Bmod = BN_new();
  BN_CTX *ctx = BN_CTX_new();
  unsigned char *pS = NULL, *pu = NULL, *block = NULL, key[KEY_LEN];
  size_t lS = 0, lu = 0, lb = 0;
  enum pc_status st = PC_ERR_NOMEM;

  if (sig_b64 != NULL)
    *sig_b64 = NULL;
  if (s == NULL || !pool_name || !user_id || !password || !secret_block_b64 ||
      !timestamp || !sig_b64) {
    st = PC_ERR_PROTOCOL;
    goto out;
  }
  s->have_key = 0;
  if (!Bmod || !ctx)
    goto out;
  /* Hostile-server checks first: nothing is computed from the password
   * unless B and u are usable. */
  st = PC_ERR_PROTOCOL;
  if ((salt = hex_to_bn(salt_hex)) == NULL || (B = hex_to_bn(B_hex)) == NULL ||
      (block = pc_base64_decode(secret_block_b64, &lb)) == NULL)
    goto out;
  if (BN_nnmod(Bmod, B, s->N, ctx) != 1) {
    st = PC_ERR_NOMEM;
    goto out;
  }
  if (BN_is_zero(Bmod))
    goto out;
  st = PC_ERR_NOMEM;
  if ((u = hash_pair(s->A, B)) == NULL)
    goto out;
  if (BN_is_zero(u)) {
    st = PC_ERR_PROTOCOL;
    goto out;
  }
  if ((x = compute_x(pool_name, user_id, password, salt)) == NULL ||
      (S = compute_S(s, B, u, x)) == NULL || (pS = bn_pad(S, &lS)) == NULL ||
      (pu = bn_pad(u, &lu)) == NULL || hkdf16(pS, lS, pu, lu, key) != 0)
    goto out;
  st = sign(key, pool_name, user_id, block, lb, timestamp, sig_b64);
  if (st == PC_OK) {
    memcpy(s->key, key, KEY_LEN);
    s->have_key = 1;
  }
out:
  BN_free(salt);
  BN_free(B);
  BN_free(Bmod);
  BN_free(u);
  BN_clear_free(x);
  BN_clear_free(S);
  BN_CTX_free(ctx);
  if (pS != NULL)
    pc_wipe(pS, lS);
  free(pS);
  free(pu);
  free(block);
  pc_wipe(key, sizeof(key));
  return st;
}

void pc_srp_timestamp(time_t t, char *buf, size_t n) {
  static const char days[][4] = {"Sun", "Mon", "Tue", "Wed",
                                 "Thu", "Fri", "Sat"};
  static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  struct tm tm;

  if (buf == NULL || n == 0)
    return;
  buf[0] = '\0';
  if (gmtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 ||
      tm.tm_mon < 0 || tm.tm_mon > 11)
    return;
  /* The reference client's format (ddd MMM D HH:mm:ss UTC YYYY): Cognito
   * checks the signature over this exact text. */
  if (snprintf(buf, n, "%s %s %d %02d:%02d:%02d UTC %d", days[tm.tm_wday],
               months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
               tm.tm_year + 1900) >= (int)n)
    buf[0] = '\0';
}

char *pc_srp_pad_hex(const char *hex) {
  BIGNUM *bn = hex_to_bn(hex);
  unsigned char *bytes = NULL;
  size_t len = 0;
  char *out = NULL;

  if (bn != NULL && (bytes = bn_pad(bn, &len)) != NULL)
    out = bytes_to_hex(bytes, len);
  BN_free(bn);
  free(bytes);
  return out;
}
