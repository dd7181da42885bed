/* SPDX-License-Identifier: MIT */
/* fuzz_snapshot: the object a host fetches from snapshot_url, through
 * pc_snapshot_open. Each input is tried twice: as it is (it carries no
 * valid signature, so it must be refused), and as the document of a blob
 * this target signs with its own Ed25519 key, which reaches the JSON
 * reading behind the signature. The host's configuration is the default
 * one (login_claim cognito:username, no pool id, no uid or keys
 * attribute): a document must carry those Settings to be read further. An
 * accepted snapshot must hold groups whose users all have a name and a
 * sub. */
#include "config.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/codec.h"
#include "config/cfg.h"
#include "sync/snapshot_sign.h"

static EVP_PKEY *key;
static struct pc_config cfg;
static char pub_path[] = "/tmp/fuzz_snapshot_pub_XXXXXX";

/* Once: a key pair, its public half in a file only we can write. */
static void setup(void) {
  FILE *f;
  int fd;

  if (key != NULL)
    return;
  if (pc_config_init(&cfg) != 0)
    abort();
  key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
  fd = mkstemp(pub_path);
  f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (key == NULL || f == NULL || fchmod(fd, 0644) != 0 ||
      PEM_write_PUBKEY(f, key) != 1 || fclose(f) != 0)
    abort();
}

static void check(const char *blob, size_t len, int signed_by_us) {
  struct pc_snap s;
  struct pc_error err;
  long long serial = 0, when = 0;
  size_t i, j;

  memset(&s, 0, sizeof(s));
  pc_error_clear(&err);
  if (pc_snapshot_open(blob, len, pub_path, &cfg, &s, &serial, &when, &err) !=
      PC_OK) {
    if (s.n != 0)
      abort(); /* a refusal leaves nothing behind */
    return;
  }
  if (!signed_by_us)
    abort(); /* nothing unsigned gets through */
  for (i = 0; i < s.n; i++)
    for (j = 0; j < s.groups[i].n; j++)
      if (s.groups[i].users[j].username == NULL ||
          s.groups[i].users[j].sub == NULL)
        abort();
  pc_snap_free(&s);
}

/* data as the document of a blob signed with our key. */
static void signed_blob(const uint8_t *data, size_t size) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  unsigned char sig[64];
  size_t siglen = sizeof(sig), hl;
  char *b64 = NULL, *blob = NULL;

  if (md == NULL || EVP_DigestSignInit(md, NULL, NULL, NULL, key) != 1 ||
      EVP_DigestSign(md, sig, &siglen, data, size) != 1 ||
      (b64 = pc_base64_encode(sig, siglen)) == NULL)
    goto out;
  hl = strlen(PC_SNAPSHOT_MAGIC) + strlen(b64) + 1;
  blob = malloc(hl + size + 1);
  if (blob == NULL)
    goto out;
  (void)snprintf(blob, hl + 1, "%s%s\n", PC_SNAPSHOT_MAGIC, b64);
  memcpy(blob + hl, data, size);
  check(blob, hl + size, 1);
out:
  free(blob);
  free(b64);
  EVP_MD_CTX_free(md);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup();
  check((const char *)data, size, 0);
  signed_blob(data, size);
  return 0;
}
