/* SPDX-License-Identifier: MIT */
/* A stand-in for BN_mod_exp_mont_consttime in fuzz_srp and fuzz_api_reply
 * (linked with -Wl,--wrap=BN_mod_exp_mont_consttime; only lib/'s calls are
 * redirected, OpenSSL's own are not).
 *
 * SRP makes three 3072-bit exponentiations per login, about 2 ms each under
 * the sanitizers: with them a target runs a few hundred inputs a second and
 * never reaches the millions that parsing bugs need. What these targets
 * test is everything around the arithmetic (hex and base64 parsing,
 * padding, B mod N, u, the signature's layout), so a*p mod m, which is
 * deterministic, in range and zero exactly when a or p is, does the job.
 * The real exponentiation is checked by tests/unit/test_srp.c against
 * vectors from amazon-cognito-identity-js, and by every PAM test login. */
#include "config.h"

#include <openssl/bn.h>

int __wrap_BN_mod_exp_mont_consttime(BIGNUM *rr, const BIGNUM *a,
                                     const BIGNUM *p, const BIGNUM *m,
                                     BN_CTX *ctx, BN_MONT_CTX *in_mont);
int __wrap_BN_mod_exp_mont_consttime(BIGNUM *rr, const BIGNUM *a,
                                     const BIGNUM *p, const BIGNUM *m,
                                     BN_CTX *ctx, BN_MONT_CTX *in_mont) {
  (void)in_mont;
  return BN_mod_mul(rr, a, p, m, ctx);
}
