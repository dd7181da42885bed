/* SPDX-License-Identifier: MIT */
/* srp_bench: one pc_srp_signature (and one pc_srp_new_with_a) with fixed
 * inputs, for callgrind to count. A warm-up call first, so that OpenSSL's
 * one-time set-up (provider and digest fetches) is not in the measured
 * call; bench/run reads the inclusive cost of the measured_* functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>

#include "login/srp.h"

/* The inputs of the first known-answer vector (fixed a, a valid B from
 * the official client's test set), so no second copy of N lives here. */
#include "srp_vectors.h"

static const struct srp_vector *const V = &srp_vectors[0];

static struct pc_srp *new_context(void) {
  unsigned char a[256];
  BIGNUM *bn = NULL;
  int len = -1;

  if (BN_hex2bn(&bn, V->a_hex) > 0 && BN_num_bytes(bn) <= (int)sizeof(a))
    len = BN_bn2bin(bn, a);
  BN_free(bn);
  return len > 0 ? pc_srp_new_with_a(a, (size_t)len) : NULL;
}

static enum pc_status sign(struct pc_srp *s, const char *B, char **sig) {
  return pc_srp_signature(s, V->pool_name, V->user_id, V->password, V->salt_hex,
                          B, V->secret_block, V->timestamp, sig);
}

/* The functions callgrind reports on: not inlined, so they keep a name. */
static __attribute__((noinline)) struct pc_srp *measured_new(void) {
  return new_context();
}

static __attribute__((noinline)) enum pc_status
measured_signature(struct pc_srp *s, const char *B, char **sig) {
  return sign(s, B, sig);
}

static double now_ms(void) {
  struct timespec ts;

  (void)clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Native wall-clock of n (new + signature) pairs: the client's share of a
 * login, to set beside the end-to-end numbers. */
static int timed(int n, const char *B) {
  double t0 = now_ms(), t_new = 0, t_sig = 0, t;
  int i;

  for (i = 0; i < n; i++) {
    struct pc_srp *s;
    char *sig = NULL;

    t = now_ms();
    s = measured_new();
    t_new += now_ms() - t;
    t = now_ms();
    if (s == NULL || measured_signature(s, B, &sig) != PC_OK)
      return 1;
    t_sig += now_ms() - t;
    free(sig);
    pc_srp_free(s);
  }
  printf("per call over %d: pc_srp_new_with_a %.2f ms, pc_srp_signature "
         "%.2f ms (total %.0f ms)\n",
         n, t_new / n, t_sig / n, now_ms() - t0);
  return 0;
}

int main(int argc, char **argv) {
  const char *B = V->B_hex;
  char *sig = NULL;
  struct pc_srp *warm = new_context(), *s;
  int rc = 1;

  if (warm == NULL || sign(warm, B, &sig) != PC_OK)
    goto out;
  free(sig);
  sig = NULL;
  if (argc > 1) {
    long n = strtol(argv[1], NULL, 10);
    rc = timed(n > 0 && n < 100000 ? (int)n : 100, B);
    goto out;
  }
  s = measured_new();
  if (s != NULL && measured_signature(s, B, &sig) == PC_OK) {
    /* The known answer: a benchmark of a wrong result measures nothing. */
    rc = strcmp(sig, V->signature) == 0 ? 0 : 1;
    printf("signature %s (%s)\n", sig,
           rc == 0 ? "matches the vector" : "WRONG");
  }
  pc_srp_free(s);
out:
  free(sig);
  pc_srp_free(warm);
  return rc;
}
