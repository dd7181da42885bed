/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>

#include "base/secret.h"
#include "login/srp.h"
#include "srp_vectors.h"
#include "tap.h"

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

/* A well-formed challenge for the rejection tests: only one field is spoiled
 * at a time. */
#define GOOD_SALT "6d75c42104e8175ec4e761fe69948343"
#define GOOD_BLOCK "c2VjcmV0IGJsb2Nr"
#define GOOD_TS "Mon Nov 2 04:05:06 UTC 2026"

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Decode the generator's lower-case, even-length hex. */
static unsigned char *unhex(const char *hex, size_t *len) {
  size_t n = strlen(hex) / 2, i;
  unsigned char *out = malloc(n ? n : 1);

  if (out == NULL)
    return NULL;
  for (i = 0; i < n; i++)
    out[i] = (unsigned char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
  *len = n;
  return out;
}

static void key_hex(const unsigned char key[16], char out[33]) {
  static const char digits[] = "0123456789abcdef";
  int i;

  for (i = 0; i < 16; i++) {
    out[2 * i] = digits[key[i] >> 4];
    out[2 * i + 1] = digits[key[i] & 0x0f];
  }
  out[32] = '\0';
}

static void test_vectors(void) {
  size_t i;

  for (i = 0; i < SRP_VECTOR_COUNT; i++) {
    const struct srp_vector *v = &srp_vectors[i];
    size_t a_len = 0;
    unsigned char *a = unhex(v->a_hex, &a_len), key[16];
    struct pc_srp *s = a ? pc_srp_new_with_a(a, a_len) : NULL;
    char *sig = NULL, khex[33] = "";
    enum pc_status st;

    ok(s != NULL, "%s: context", v->name);
    if (s == NULL) {
      free(a);
      continue;
    }
    is_str(pc_srp_A_hex(s), v->A_hex, "%s: A", v->name);
    st = pc_srp_signature(s, v->pool_name, v->user_id, v->password, v->salt_hex,
                          v->B_hex, v->secret_block, v->timestamp, &sig);
    ok(st == PC_OK, "%s: signature computed (status %d)", v->name, (int)st);
    if (pc_srp_last_key(s, key) == 0)
      key_hex(key, khex);
    is_str(khex, v->key_hex, "%s: HKDF key", v->name);
    is_str(sig, v->signature, "%s: PASSWORD_CLAIM_SIGNATURE", v->name);
    free(sig);
    pc_srp_free(s);
    free(a);
  }
}

/* The same context signs twice (e.g. a retried answer) with equal results. */
static void test_reuse(void) {
  const struct srp_vector *v = &srp_vectors[0];
  size_t a_len = 0;
  unsigned char *a = unhex(v->a_hex, &a_len);
  struct pc_srp *s = a ? pc_srp_new_with_a(a, a_len) : NULL;
  char *sig1 = NULL, *sig2 = NULL;
  int ok1 = s && pc_srp_signature(s, v->pool_name, v->user_id, v->password,
                                  v->salt_hex, v->B_hex, v->secret_block,
                                  v->timestamp, &sig1) == PC_OK;
  int ok2 = s && pc_srp_signature(s, v->pool_name, v->user_id, v->password,
                                  v->salt_hex, v->B_hex, v->secret_block,
                                  v->timestamp, &sig2) == PC_OK;

  ok(ok1 && ok2, "a context signs twice");
  is_str(sig2, v->signature, "second signature matches the vector");
  free(sig1);
  free(sig2);
  pc_srp_free(s);
  free(a);
}

static void check_pad(const char *in, const char *want) {
  char *got = pc_srp_pad_hex(in);

  is_str(got, want, "pad_hex(\"%s\") = \"%s\"", in, want);
  free(got);
}

static void test_pad_hex(void) {
  char *p;

  check_pad("0", "00");
  check_pad("00", "00");
  check_pad("1", "01");
  check_pad("7f", "7f");
  check_pad("80", "0080");
  check_pad("ff", "00ff");
  check_pad("abc", "0abc");
  check_pad("8", "08");
  check_pad("0080", "0080");
  check_pad("000001", "01");
  check_pad("00c0ffee", "00c0ffee");
  check_pad("0c0ffee", "00c0ffee");
  check_pad("ABCDEF", "00abcdef");
  check_pad("123456789", "0123456789");
  check_pad("7fffffffffffffffffffffffffffffffffffffff",
            "7fffffffffffffffffffffffffffffffffffffff");
  ok((p = pc_srp_pad_hex("")) == NULL, "pad_hex(\"\") is NULL");
  free(p);
  ok((p = pc_srp_pad_hex("12g4")) == NULL, "pad_hex(\"12g4\") is NULL");
  free(p);
  ok((p = pc_srp_pad_hex("-12")) == NULL, "pad_hex(\"-12\") is NULL");
  free(p);
  ok((p = pc_srp_pad_hex("0x12")) == NULL, "pad_hex(\"0x12\") is NULL");
  free(p);
  ok((p = pc_srp_pad_hex(" 12")) == NULL, "pad_hex(\" 12\") is NULL");
  free(p);
  ok((p = pc_srp_pad_hex(NULL)) == NULL, "pad_hex(NULL) is NULL");
  free(p);
}

static void check_ts(long long t, const char *want) {
  char buf[40];

  pc_srp_timestamp((time_t)t, buf, sizeof(buf));
  is_str(buf, want, "timestamp(%lld)", t);
}

static void test_timestamp(void) {
  char small[10] = "junk";

  /* Expected strings from GNU date -u '+%a %b %-d %H:%M:%S UTC %Y'. */
  check_ts(1793592306, "Mon Nov 2 04:05:06 UTC 2026");
  check_ts(1793491200, "Sun Nov 1 00:00:00 UTC 2026");
  check_ts(1793707200, "Tue Nov 3 12:00:00 UTC 2026");
  check_ts(1793783349, "Wed Nov 4 09:09:09 UTC 2026");
  check_ts(1793873410, "Thu Nov 5 10:10:10 UTC 2026");
  check_ts(1794009599, "Fri Nov 6 23:59:59 UTC 2026");
  check_ts(1794013323, "Sat Nov 7 01:02:03 UTC 2026");
  check_ts(1798761600, "Fri Jan 1 00:00:00 UTC 2027");
  check_ts(1798761599, "Thu Dec 31 23:59:59 UTC 2026");
  check_ts(951827696, "Tue Feb 29 12:34:56 UTC 2000");
  check_ts(0, "Thu Jan 1 00:00:00 UTC 1970");
  if (sizeof(time_t) > 4)
    check_ts(2147483648LL, "Tue Jan 19 03:14:08 UTC 2038");
  pc_srp_timestamp(1793592306, small, sizeof(small));
  is_str(small, "", "a buffer too small gives an empty string, not a cut one");
}

static void check_reject(const char *salt, const char *B, const char *block,
                         const char *what) {
  static const unsigned char a[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
  struct pc_srp *s = pc_srp_new_with_a(a, sizeof(a));
  char *sig = NULL;
  unsigned char key[16];
  enum pc_status st = s ? pc_srp_signature(s, "AbC123", "alice", "pw", salt, B,
                                           block, GOOD_TS, &sig)
                        : PC_ERR_NOMEM;

  ok(st == PC_ERR_PROTOCOL && sig == NULL && pc_srp_last_key(s, key) != 0,
     "rejected: %s (status %d)", what, (int)st);
  free(sig);
  pc_srp_free(s);
}

static void test_reject(void) {
  BIGNUM *n = NULL, *n2 = BN_new();
  char *n_hex = NULL, *n2_hex = NULL;
  char *B = NULL;

  if (BN_hex2bn(&n, N_HEX) && n2 && BN_lshift1(n2, n)) {
    n_hex = BN_bn2hex(n);
    n2_hex = BN_bn2hex(n2);
  }
  ok(n_hex && n2_hex, "N and 2N as hex");
  B = pc_srp_pad_hex(srp_vectors[0].B_hex);

  /* The good challenge must pass, or the rejections below prove nothing. */
  {
    static const unsigned char a[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
    struct pc_srp *s = pc_srp_new_with_a(a, sizeof(a));
    char *sig = NULL;
    ok(s &&
           pc_srp_signature(s, "AbC123", "alice", "pw", GOOD_SALT, B,
                            GOOD_BLOCK, GOOD_TS, &sig) == PC_OK &&
           sig,
       "control: a good challenge is accepted");
    free(sig);
    pc_srp_free(s);
  }
  check_reject(GOOD_SALT, "0", GOOD_BLOCK, "B = 0");
  check_reject(GOOD_SALT, "0000", GOOD_BLOCK, "B = 0000");
  check_reject(GOOD_SALT, n_hex ? n_hex : "", GOOD_BLOCK, "B = N");
  check_reject(GOOD_SALT, n2_hex ? n2_hex : "", GOOD_BLOCK, "B = 2N");
  check_reject(GOOD_SALT, "", GOOD_BLOCK, "empty B");
  check_reject(GOOD_SALT, NULL, GOOD_BLOCK, "missing B");
  check_reject(GOOD_SALT, "12345g", GOOD_BLOCK, "non-hex B");
  check_reject(GOOD_SALT, "-1234", GOOD_BLOCK, "negative B");
  check_reject(GOOD_SALT, " 1234", GOOD_BLOCK, "B with a space");
  check_reject("", B, GOOD_BLOCK, "empty salt");
  check_reject("zz", B, GOOD_BLOCK, "non-hex salt");
  check_reject(GOOD_SALT, B, "", "empty secret block");
  check_reject(GOOD_SALT, B, "abc", "secret block of bad length");
  check_reject(GOOD_SALT, B, "ab!d", "secret block with a bad character");
  check_reject(GOOD_SALT, B, "ab=d", "secret block with inner padding");
  check_reject(GOOD_SALT, B, "a===", "secret block with three pad chars");
  check_reject(GOOD_SALT, B, "c2Vj\ncmV0", "secret block with a newline");
  free(B);
  OPENSSL_free(n_hex);
  OPENSSL_free(n2_hex);
  BN_free(n);
  BN_free(n2);
}

static void test_fresh(void) {
  struct pc_srp *s1 = pc_srp_new(), *s2 = pc_srp_new();
  BIGNUM *n = NULL, *A = NULL;
  const char *h1 = pc_srp_A_hex(s1), *h2 = pc_srp_A_hex(s2);
  unsigned char key[16];

  ok(s1 && s2 && h1 && h2, "pc_srp_new works");
  ok(h1 && h2 && strcmp(h1, h2) != 0, "two fresh contexts have different A");
  ok(s1 && pc_srp_last_key(s1, key) != 0, "no key before a signature");
  ok(h1 && strspn(h1, "0123456789abcdef") == strlen(h1) && h1[0] != '0',
     "A is lower-case hex without a leading zero");
  ok(h1 && BN_hex2bn(&A, h1) && BN_hex2bn(&n, N_HEX) && !BN_is_zero(A) &&
         BN_cmp(A, n) < 0,
     "0 < A < N");
  ok(pc_srp_new_with_a((const unsigned char *)"", 0) == NULL,
     "an empty a is refused");
  BN_free(A);
  BN_free(n);
  pc_srp_free(s1);
  pc_srp_free(s2);
  pc_srp_free(NULL);
}

static void test_secret(void) {
  char buf[8] = "secret!", *dup = pc_strdup("hunter2"), *nul = NULL;
  size_t i;
  int zero = 1;

  pc_wipe(buf, sizeof(buf));
  for (i = 0; i < sizeof(buf); i++)
    zero &= buf[i] == 0;
  ok(zero, "pc_wipe zeroes the buffer");
  is_str(dup, "hunter2", "pc_strdup copies");
  pc_free_secret(&dup);
  ok(dup == NULL, "pc_free_secret clears the pointer");
  pc_free_secret(&nul);
  pc_free_secret(NULL);
  ok(pc_strdup(NULL) == NULL, "pc_strdup(NULL) is NULL");
}

int main(void) {
  test_vectors();
  test_reuse();
  test_pad_hex();
  test_timestamp();
  test_reject();
  test_fresh();
  test_secret();
  return tap_done();
}
