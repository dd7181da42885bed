/* SPDX-License-Identifier: MIT */
/* Sealing and opening the signed snapshot (snapshot_sign.h): Ed25519
 * through OpenSSL's one-shot EVP_DigestSign/Verify (no digest: Ed25519
 * hashes the message itself). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/codec.h"
#include "base/json.h"
#include "base/secret.h"
#include "sync/snapshot_settings.h"
#include "sync/snapshot_sign.h"

#define SIG_LEN 64

/* The open signing key is kept as ssh keeps a private key: a regular
 * file of root's (or of the user running this), that group and others can
 * neither read nor write. 0, or -1 with err naming the file and why. */
static int private_ok(int fd, const char *path, struct pc_error *err) {
  struct stat st;
  uid_t me = geteuid();

  if (fstat(fd, &st) != 0)
    pc_error_set(err, PC_ERR_CONFIG, "%s: %s", path, strerror(errno));
  else if (!S_ISREG(st.st_mode))
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: the signing key is not a regular file", path);
  else if (st.st_uid != 0 && st.st_uid != me)
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: the signing key is owned by uid %lu, not by root or by "
                 "uid %lu who runs this",
                 path, (unsigned long)st.st_uid, (unsigned long)me);
  else if ((st.st_mode & 077) != 0)
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: the signing key has mode %04o: group or others may "
                 "read or write it (chmod 600)",
                 path, (unsigned)(st.st_mode & 07777));
  else
    return 0;
  return -1;
}

/* The signing key in path (PEM), or NULL in *k when it does not parse.
 * The text is read into a wiped buffer and parsed from memory: a stdio
 * stream would free its buffer holding the key. -1 with err when path
 * cannot be opened or is not kept private (private_ok). O_NONBLOCK: a
 * FIFO is refused, not waited on. */
static int read_private(const char *path, EVP_PKEY **k, struct pc_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct pc_buf b;
  char chunk[4096];
  ssize_t n;
  BIO *bio;

  *k = NULL;
  if (fd < 0) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: cannot open: %s", path,
                 strerror(errno));
    return -1;
  }
  if (private_ok(fd, path, err) != 0) {
    (void)close(fd);
    return -1;
  }
  pc_buf_init(&b, INT_MAX); /* BIO_new_mem_buf takes an int */
  for (;;) {
    n = read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0 || pc_buf_append(&b, chunk, (size_t)n) != 0)
      break;
  }
  pc_wipe(chunk, sizeof(chunk));
  (void)close(fd);
  bio = BIO_new_mem_buf(b.data != NULL ? b.data : "", (int)b.len);
  if (bio != NULL)
    *k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
  BIO_free(bio);
  pc_buf_free(&b); /* wipes */
  return 0;
}

/* The verifying key in path (PEM), or NULL in *k when it does not parse.
 * -1 with err when path cannot be opened or others can replace it. */
static int read_public(const char *path, EVP_PKEY **k, struct pc_error *err) {
  FILE *f = fopen(path, "re");
  struct stat st;

  *k = NULL;
  if (f == NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: cannot open: %s", path,
                 strerror(errno));
    return -1;
  }
  /* A public key others can replace would let them sign for the pool. */
  if (fstat(fileno(f), &st) != 0 || st.st_uid != 0 || (st.st_mode & 022) != 0) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: must be owned by root and writable by root only", path);
    (void)fclose(f);
    return -1;
  }
  *k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
  (void)fclose(f);
  return 0;
}

/* The PEM key in path: private (signing) or public; NULL with err. */
static EVP_PKEY *load_key(const char *path, int private, struct pc_error *err) {
  EVP_PKEY *k = NULL;

  if ((private ? read_private(path, &k, err) : read_public(path, &k, err)) != 0)
    return NULL;
  if (k == NULL || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(k);
    pc_error_set(err, PC_ERR_CONFIG, "%s: not a PEM Ed25519 %s key", path,
                 private ? "private" : "public");
    return NULL;
  }
  return k;
}

enum pc_status pc_snapshot_check_key(const char *key_path,
                                     struct pc_error *err) {
  EVP_PKEY *k = load_key(key_path, 1, err);

  if (k == NULL)
    return PC_ERR_CONFIG;
  EVP_PKEY_free(k);
  return PC_OK;
}

/* The document's text: the export object with Serial, Time and Settings. */
static char *document(const struct pc_config *cfg, const struct pc_snap *s,
                      long long serial, long long when, size_t *len) {
  json_object *root = pc_snap_to_json(s), *set = pc_snapshot_settings(cfg);
  const char *text;
  char *copy = NULL;

  if (root == NULL || set == NULL ||
      json_object_object_add(root, "Settings", set) != 0) {
    json_object_put(set); /* not root's */
    goto out;
  }
  if (json_object_object_add(root, "Serial", json_object_new_int64(serial)) !=
          0 ||
      json_object_object_add(root, "Time", json_object_new_int64(when)) != 0)
    goto out;
  text = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN, len);
  if (text != NULL)
    copy = strndup(text, *len);
out:
  json_object_put(root);
  return copy;
}

enum pc_status pc_snapshot_seal(const struct pc_config *cfg,
                                const struct pc_snap *s, long long serial,
                                long long when, const char *key_path,
                                char **out, size_t *outlen,
                                struct pc_error *err) {
  EVP_PKEY *k = load_key(key_path, 1, err);
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  unsigned char sig[SIG_LEN];
  size_t siglen = sizeof(sig), doclen = 0, hl;
  char *doc = NULL, *b64 = NULL;
  enum pc_status st = PC_ERR_NOMEM;

  *out = NULL;
  if (k == NULL) {
    EVP_MD_CTX_free(md);
    return PC_ERR_CONFIG;
  }
  doc = document(cfg, s, serial, when, &doclen);
  if (md == NULL || doc == NULL ||
      EVP_DigestSignInit(md, NULL, NULL, NULL, k) != 1 ||
      EVP_DigestSign(md, sig, &siglen, (const unsigned char *)doc, doclen) !=
          1 ||
      (b64 = pc_base64_encode(sig, siglen)) == NULL)
    goto out;
  hl = strlen(PC_SNAPSHOT_MAGIC) + strlen(b64) + 1;
  *out = malloc(hl + doclen + 1);
  if (*out == NULL)
    goto out;
  (void)snprintf(*out, hl + 1, "%s%s\n", PC_SNAPSHOT_MAGIC, b64);
  memcpy(*out + hl, doc, doclen + 1);
  *outlen = hl + doclen;
  st = PC_OK;
out:
  free(doc);
  free(b64);
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(k);
  return st == PC_OK ? PC_OK
                     : pc_error_set(err, st, "cannot sign the snapshot");
}

/* 1 when sig (base64 text of n characters) signs doc under k. */
static int verified(EVP_PKEY *k, const char *b64, size_t n, const char *doc,
                    size_t doclen) {
  char text[128];
  unsigned char *sig;
  size_t siglen = 0;
  EVP_MD_CTX *md;
  int ok = 0;

  if (n == 0 || n >= sizeof(text))
    return 0;
  memcpy(text, b64, n);
  text[n] = '\0';
  sig = pc_base64_decode(text, &siglen);
  md = EVP_MD_CTX_new();
  ok = sig != NULL && siglen == SIG_LEN && md != NULL &&
       EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1 &&
       EVP_DigestVerify(md, sig, siglen, (const unsigned char *)doc, doclen) ==
           1;
  free(sig);
  EVP_MD_CTX_free(md);
  return ok;
}

/* blob's header and signature: PC_OK, or PC_ERR_PROTOCOL with err. nl is
 * the header's end. */
static enum pc_status check_header(const char *blob, size_t len, const char *nl,
                                   const char *pub_path, EVP_PKEY *k,
                                   struct pc_error *err) {
  size_t ml = strlen(PC_SNAPSHOT_MAGIC), l1 = strlen(PC_SNAPSHOT_MAGIC_1);

  if (len > l1 && memcmp(blob, PC_SNAPSHOT_MAGIC_1, l1) == 0)
    return pc_error_set(err, PC_ERR_PROTOCOL,
                        "the snapshot is of format 1, from a publisher older "
                        "than this host: it does not name the settings it was "
                        "read with; refused (upgrade the publisher)");
  if (nl == NULL || memcmp(blob, PC_SNAPSHOT_MAGIC, ml) != 0 ||
      !verified(k, blob + ml, (size_t)(nl - blob) - ml, nl + 1,
                len - (size_t)(nl + 1 - blob)))
    return pc_error_set(err, PC_ERR_PROTOCOL,
                        "the snapshot's signature does not verify with %s "
                        "(tampered, or signed with another key)",
                        pub_path);
  return PC_OK;
}

enum pc_status pc_snapshot_open(const char *blob, size_t len,
                                const char *pub_path,
                                const struct pc_config *cfg, struct pc_snap *s,
                                long long *serial, long long *when,
                                struct pc_error *err) {
  const char *nl =
      len > strlen(PC_SNAPSHOT_MAGIC) ? memchr(blob, '\n', len) : NULL;
  EVP_PKEY *k = load_key(pub_path, 0, err);
  json_object *root = NULL;
  enum pc_status st;

  if (k == NULL)
    return PC_ERR_CONFIG;
  st = check_header(blob, len, nl, pub_path, k, err);
  EVP_PKEY_free(k);
  if (st != PC_OK)
    return st;
  root = pc_json_parse_object(nl + 1, len - (size_t)(nl + 1 - blob));
  if (root == NULL || pc_json_int(root, "Serial", serial) != 0 ||
      pc_json_int(root, "Time", when) != 0) {
    json_object_put(root);
    return pc_error_set(err, PC_ERR_PROTOCOL,
                        "the snapshot has no Serial or Time");
  }
  st = pc_snapshot_settings_check(root, cfg, err);
  if (st == PC_OK)
    st = pc_snap_from_json(s, root, "the snapshot", err);
  json_object_put(root);
  return st;
}
