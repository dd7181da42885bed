/* srp_bench: one pc_srp_signature (and one pc_srp_new_with_a) with fixed
 * inputs, for callgrind to count. A warm-up call first, so that OpenSSL's
 * one-time set-up (provider and digest fetches) is not in the measured
 * call; bench/run reads the inclusive cost of the measured_* functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>

#include "srp.h"

#define TS "Tue Nov 14 22:13:20 UTC 2023"
#define BLOCK "c2VjcmV0LWJsb2NrLWZyb20tdGhlLXNlcnZlci0wMTIzNDU2Nzg5YWJjZGVm"

/* RFC 3526 group 15, for a server-side B = g^b mod N. */
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

static char *server_B(void) {
  BIGNUM *N = NULL, *g = BN_new(), *b = BN_new(), *B = BN_new();
  BN_CTX *ctx = BN_CTX_new();
  char *hex = NULL, *copy = NULL;

  if (N_HEX[0] && BN_hex2bn(&N, N_HEX) && g && b && B && ctx &&
      BN_set_word(g, 2) && BN_set_word(b, 0x5eed5eedUL) &&
      BN_lshift(b, b, 1000) && BN_add_word(b, 12345) &&
      BN_mod_exp(B, g, b, N, ctx) && (hex = BN_bn2hex(B)) != NULL)
    copy = strdup(hex);
  OPENSSL_free(hex);
  BN_free(N), BN_free(g), BN_free(b), BN_free(B);
  BN_CTX_free(ctx);
  return copy;
}

static struct pc_srp *new_context(void) {
  unsigned char a[128];
  size_t i;

  for (i = 0; i < sizeof(a); i++)
    a[i] = (unsigned char)(i * 37 + 11);
  return pc_srp_new_with_a(a, sizeof(a));
}

static enum pc_status sign(struct pc_srp *s, const char *B, char **sig) {
  return pc_srp_signature(s, "AbC123", "alice", "Alice-Passw0rd!",
                          "3f2c6a1b9d8e7f6a5b4c3d2e1f0a9b8c", B, BLOCK, TS,
                          sig);
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
  char *B = server_B(), *sig = NULL;
  struct pc_srp *warm = new_context(), *s;
  int rc = 1;

  if (B == NULL || warm == NULL || sign(warm, B, &sig) != PC_OK)
    goto out;
  free(sig);
  sig = NULL;
  if (argc > 1) {
    rc = timed(atoi(argv[1]) > 0 ? atoi(argv[1]) : 100, B);
    goto out;
  }
  s = measured_new();
  if (s != NULL && measured_signature(s, B, &sig) == PC_OK) {
    printf("signature %s\n", sig);
    rc = 0;
  }
  pc_srp_free(s);
out:
  free(sig);
  free(B);
  pc_srp_free(warm);
  return rc;
}
