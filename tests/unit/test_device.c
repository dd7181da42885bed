/* SPDX-License-Identifier: MIT */
/* The device record and the device secret (lib/login/device.c): the record's
 * format and its refusals, the root-only file on disk, the verifier
 * ConfirmDevice gets (g^x with x over group key, device key and password,
 * checked here against an independent computation). The device SRP itself
 * is proved end to end against the emulator (tests/pam). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "base/buf.h"
#include "base/codec.h"
#include "base/secret.h"
#include "login/device.h"
#include "tap.h"

static char s_pool[] = "us-east-1_DevAlways", s_user[] = "devsms";
static char s_key[] = "us-east-1_0b5a1f2e-1111-4222-8333-444455556666";
static char s_group[] = "-Abc12345";
static char s_pw[] = "cGFzc3dvcmQtb2YtdGhlLWRldmljZQ==";
static const struct pc_device sample = {s_pool,  s_user, s_key,
                                        s_group, s_pw,   1};

static void test_roundtrip(void) {
  char *doc = pc_device_json(&sample);
  struct pc_device d;

  ok(doc != NULL, "record document built");
  ok(doc && pc_device_parse(doc, strlen(doc), &d) == 0, "and parsed back");
  is_str(d.pool_id, sample.pool_id, "pool id kept");
  is_str(d.username, sample.username, "user name kept");
  is_str(d.key, sample.key, "device key kept");
  is_str(d.group_key, sample.group_key, "group key kept");
  is_str(d.password, sample.password, "device password kept");
  ok(d.mfa == 1, "MFA flag kept");
  pc_device_free(&d);
  ok(d.password == NULL && d.key == NULL, "free clears the record");
  pc_buf_string_free(&doc);
}

static void test_refusals(void) {
  static const char *const bad[] = {
      "",
      "[]",
      "{\"Version\": 2, \"pool_id\": \"p\", \"username\": \"u\", "
      "\"device_key\": \"k\", \"device_group_key\": \"g\", "
      "\"device_password\": \"x\", \"mfa\": false}",
      "{\"Version\": 1, \"pool_id\": \"p\", \"username\": \"u\", "
      "\"device_key\": \"k\", \"device_group_key\": \"g\", "
      "\"mfa\": false}",
      "{\"Version\": 1, \"pool_id\": \"p\", \"username\": \"u\", "
      "\"device_key\": \"\", \"device_group_key\": \"g\", "
      "\"device_password\": \"x\", \"mfa\": false}",
      "{\"Version\": 1, \"pool_id\": \"p\", \"username\": \"u\", "
      "\"device_key\": \"k\", \"device_group_key\": \"g\", "
      "\"device_password\": \"x\"}",
  };
  struct pc_device d, partial = sample;
  size_t i;

  for (i = 0; i < sizeof bad / sizeof *bad; i++)
    ok(pc_device_parse(bad[i], strlen(bad[i]), &d) != 0 && d.key == NULL,
       "refused: bad record %zu", i);
  partial.password = NULL;
  ok(pc_device_json(&partial) == NULL, "no document without the password");
}

/* x = SHA256(pad(salt) || SHA256(group key || device key || ":" ||
 * password)); the verifier is g^x mod N, N the 3072-bit group. */
static int independent_check(const char *salt_b64, const char *v_b64,
                             const char *group, const char *key,
                             const char *pw) {
  static const char N_HEX[] =
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA6"
      "3B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
      "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F2411"
      "7C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
      "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08"
      "CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
      "DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D"
      "04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
      "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D8760273"
      "3EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
      "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
  size_t slen = 0, vlen = 0;
  unsigned char *salt = pc_base64_decode(salt_b64, &slen);
  unsigned char *v = pc_base64_decode(v_b64, &vlen);
  unsigned char inner[32], outer[32];
  unsigned int n = 0;
  BIGNUM *N = NULL, *g = BN_new(), *x = NULL, *want = BN_new();
  BIGNUM *got = NULL;
  BN_CTX *ctx = BN_CTX_new();
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  int same = 0;

  if (salt && v && g && want && ctx && md &&
      EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
      EVP_DigestUpdate(md, group, strlen(group)) &&
      EVP_DigestUpdate(md, key, strlen(key)) && EVP_DigestUpdate(md, ":", 1) &&
      EVP_DigestUpdate(md, pw, strlen(pw)) &&
      EVP_DigestFinal_ex(md, inner, &n) &&
      EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
      EVP_DigestUpdate(md, salt, slen) && EVP_DigestUpdate(md, inner, 32) &&
      EVP_DigestFinal_ex(md, outer, &n) && BN_hex2bn(&N, N_HEX) &&
      BN_set_word(g, 2) && (x = BN_bin2bn(outer, 32, NULL)) != NULL &&
      BN_mod_exp(want, g, x, N, ctx) &&
      (got = BN_bin2bn(v, (int)vlen, NULL)) != NULL)
    same = BN_cmp(want, got) == 0 && (salt[0] & 0x80) == 0 &&
           (v[0] & 0x80) == 0; /* padded: read as positive */
  free(salt);
  free(v);
  BN_free(N);
  BN_free(g);
  BN_free(x);
  BN_free(want);
  BN_free(got);
  BN_CTX_free(ctx);
  EVP_MD_CTX_free(md);
  return same;
}

static void test_verifier(void) {
  char *s1 = NULL, *v1 = NULL, *s2 = NULL, *v2 = NULL;

  ok(pc_device_verifier(sample.group_key, sample.key, sample.password, &s1,
                        &v1) == PC_OK,
     "verifier made");
  ok(pc_device_verifier(sample.group_key, sample.key, sample.password, &s2,
                        &v2) == PC_OK,
     "twice");
  ok(s1 && s2 && strcmp(s1, s2) != 0, "each with a fresh salt");
  ok(v1 && v2 && strcmp(v1, v2) != 0, "so the verifiers differ");
  ok(s1 && v1 &&
         independent_check(s1, v1, sample.group_key, sample.key,
                           sample.password),
     "verifier is g^x over group key, device key and password");
  ok(s1 && v1 &&
         !independent_check(s1, v1, sample.group_key, sample.key, "other"),
     "and not for another password");
  free(s1);
  free(v1);
  free(s2);
  free(v2);
}

static void test_file(void) {
  char root[] = "/tmp/pc-device-test-XXXXXX", p[256];
  struct pc_error why = {0};
  struct pc_device d;
  struct stat st;

  if (mkdtemp(root) == NULL) {
    ok(0, "mkdtemp");
    return;
  }
  ok(pc_device_load(root, "devsms", sample.pool_id, &d, &why) == PC_ABSENT,
     "no record yet");
  ok(pc_device_save(root, "devsms", &sample, &why) == 0, "record saved (%s)",
     why.detail);
  (void)snprintf(p, sizeof p, "%s/.private/devsms/device.json", root);
  ok(stat(p, &st) == 0 && st.st_uid == 0 && (st.st_mode & 0777) == 0600,
     "root-only file, mode 0600");
  ok(pc_device_load(root, "devsms", sample.pool_id, &d, &why) == 0 && d.key &&
         strcmp(d.key, sample.key) == 0,
     "loaded back");
  pc_device_free(&d);
  ok(pc_device_load(root, "devsms", "us-east-1_Other", &d, &why) == PC_ABSENT &&
         d.key == NULL,
     "another pool's record is none");
  pc_device_drop(root, "devsms");
  ok(stat(p, &st) != 0, "dropped");
  (void)snprintf(p, sizeof p, "rm -rf %s", root);
  if (system(p) != 0)
    ok(0, "cleanup");
}

int main(void) {
  test_roundtrip();
  test_refusals();
  test_verifier();
  if (geteuid() == 0)
    test_file();
  else
    printf("# the record file tests need root\n");
  return tap_done();
}
