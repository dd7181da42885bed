/* SPDX-License-Identifier: MIT */
/* The OpenSSL floor of one SRP login's client arithmetic: the three
 * 3072-bit modular exponentiations with Cognito's exponent sizes, constant
 * time, plus the hashes and HMACs. Inputs are random but shaped like a
 * login's: a is 128 random bytes (as in the reference client), x and u are
 * SHA-256 outputs, so a + u*x is about 1024 bits.
 *   g^a mod N        A                     1024-bit exponent
 *   g^x mod N        for B - k*g^x         256-bit exponent
 *   base^(a+u*x)     S                     ~1024-bit exponent
 * plus SHA-256 for u and x (inner and outer), HKDF-SHA256 (two HMACs) and
 * the claim signature HMAC over a message the size of a real one.
 *
 *   srp_floor [N]   runs floor_login N times (default 200) and prints the
 *                   CPU per login, per part. */
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static BIGNUM *N, *g, *a, *x, *u, *base;
static BN_MONT_CTX *mont;
static BN_CTX *ctx;
static unsigned char msg[2048]; /* pool name + user id + secret block + ts */

static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void modexp(BIGNUM *r, const BIGNUM *b, const BIGNUM *e) {
  if (!BN_mod_exp_mont_consttime(r, b, e, N, ctx, mont))
    abort();
}

static void hashes_and_hmacs(void) {
  unsigned char h[32], prk[32], okm[32], sig[32];
  unsigned int len;
  unsigned char info[] = "Caldera Derived Key\x01";

  SHA256(msg, 768, h);     /* u = H(A || B) */
  SHA256(msg, 64, h);      /* x inner: H(pool || user || ":" || pw) */
  SHA256(msg, 32 + 16, h); /* x outer: H(salt || inner) */
  HMAC(EVP_sha256(), h, 32, msg, 384, prk, &len); /* HKDF extract */
  HMAC(EVP_sha256(), prk, 32, info, sizeof(info) - 1, okm, &len); /* expand */
  HMAC(EVP_sha256(), okm, 16, msg, 1400, sig, &len); /* the claim */
}

/* One login's client arithmetic. Not static: callgrind names it. */
void floor_login(double *t);
void floor_login(double *t) {
  BIGNUM *r = BN_new(), *e = BN_new();
  double t0 = cpu_now(), t1, t2, t3;

  modexp(r, g, a); /* A */
  t1 = cpu_now();
  modexp(r, g, x); /* g^x */
  t2 = cpu_now();
  if (!BN_mul(e, u, x, ctx) || !BN_add(e, e, a))
    abort();
  modexp(r, base, e); /* S */
  t3 = cpu_now();
  hashes_and_hmacs();
  t[0] += t1 - t0;
  t[1] += t2 - t1;
  t[2] += t3 - t2;
  t[3] += cpu_now() - t3;
  BN_free(r);
  BN_free(e);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200, i;
  double t[4] = {0, 0, 0, 0}, warm[4] = {0, 0, 0, 0};

  if (n < 1 || n > 100000)
    return 2;
  ctx = BN_CTX_new();
  N = BN_get_rfc3526_prime_3072(NULL);
  g = BN_new();
  a = BN_new();
  x = BN_new();
  u = BN_new();
  base = BN_new();
  mont = BN_MONT_CTX_new();
  if (!ctx || !N || !g || !a || !x || !u || !base || !mont ||
      !BN_set_word(g, 2) || !BN_MONT_CTX_set(mont, N, ctx) ||
      !BN_rand(a, 1024, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
      !BN_rand(x, 256, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
      !BN_rand(u, 256, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
      !BN_rand_range(base, N) || RAND_bytes(msg, sizeof(msg)) != 1)
    return 1;
  BN_set_flags(a, BN_FLG_CONSTTIME);
  BN_set_flags(x, BN_FLG_CONSTTIME);
  floor_login(warm); /* one-time set-up is not a login's cost */
  for (i = 0; i < n; i++)
    floor_login(t);
  printf("%.3f %.3f %.3f %.3f\n", t[0] / (double)n * 1e3,
         t[1] / (double)n * 1e3, t[2] / (double)n * 1e3,
         t[3] / (double)n * 1e3);
  return 0;
}
