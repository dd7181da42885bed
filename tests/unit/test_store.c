/* SPDX-License-Identifier: MIT */
/* The store (lib/store/user_files.c): the files a user's cache holds and their
 * formats, through its public calls only, checked on disk (names, owner, modes,
 * contents). Needs root, like the module that writes it. */
#include "config.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/user_files.h"
#include "tap.h"

#define UID 65534
#define GID 65534
#define POOL "us-east-1:11111111-2222-3333-4444-555555555555"
#define IDENT "us-east-1:01c713b1-1abb-5a43-8323-c8ef2a94c4dd"

static char root[] = "/tmp/pc-store-test-XXXXXX";

static const char *path(const char *rel) {
  static char buf[2][512];
  static int k;
  char *b = buf[k++ % 2];

  (void)snprintf(b, 512, "%s/%s", root, rel);
  return b;
}

static struct stat lst(const char *p) {
  struct stat st;

  if (lstat(p, &st) != 0)
    memset(&st, 0, sizeof st);
  return st;
}

static const char *slurp(const char *p) {
  static char buf[8192];
  size_t n = 0;
  FILE *f = fopen(p, "r");

  if (f != NULL) {
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
  }
  buf[n] = '\0';
  return buf;
}

static int put(const char *p, const char *s) {
  FILE *f = fopen(p, "w");
  int rc = -1;

  if (f != NULL && fputs(s, f) >= 0 && chown(p, UID, GID) == 0 &&
      chmod(p, 0600) == 0)
    rc = 0;
  if (f != NULL && fclose(f) != 0)
    rc = -1;
  return rc;
}

/* The names in the user's directory, sorted, "|"-separated. */
static const char *listing(void) {
  static char out[512];
  struct dirent **names;
  int i, n = scandir(path("base/nobody"), &names, NULL, alphasort);

  out[0] = '\0';
  for (i = 0; i < n; i++) {
    if (names[i]->d_name[0] != '.')
      (void)snprintf(out + strlen(out), sizeof out - strlen(out), "%s|",
                     names[i]->d_name);
    free(names[i]);
  }
  free(names);
  return out;
}

static void test_open(struct pc_store *s) {
  struct pc_error e;

  ok(pc_store_open(s, path("base"), "nobody", UID, GID, 0, &e) == PC_ABSENT,
     "no store yet and no create: PC_ABSENT");
  pc_store_close(s);
  ok(pc_store_open(s, path("base"), "nobody", UID, GID, 1, &e) == 0,
     "created: %s", e.detail);
}

static void test_creds(struct pc_store *s) {
  static char akid[] = "ASIAEXAMPLE", key[] = "wJalr\"XUtn/K7MDENG",
              token[] = "FwoGZX\\IvYXdz";
  struct pc_aws_creds cr = {0}, in;
  struct pc_error e;
  struct stat st;

  ok(pc_store_load_creds(s, 60, &cr, &e) == PC_STORE_ABSENT,
     "no credentials yet");
  in.access_key_id = akid;
  in.secret_access_key = key;
  in.session_token = token;
  in.expiration = (long long)time(NULL) + 3600;
  ok(pc_store_save_creds(s, &in, &e) == 0, "saved: %s", e.detail);
  st = lst(path("base/nobody/credentials.json"));
  ok(st.st_uid == UID && (st.st_mode & 07777) == 0600,
     "credentials.json is the user's, 0600");
  ok(strstr(slurp(path("base/nobody/credentials.json")), "\"Version\": 1") !=
         NULL,
     "in the credential_process shape");
  ok(pc_store_load_creds(s, 60, &cr, &e) == PC_STORE_LOADED,
     "loaded while valid");
  is_str(cr.secret_access_key, in.secret_access_key, "secret key round trip");
  is_str(cr.session_token, in.session_token, "token round trip");
  ok(cr.expiration == in.expiration, "expiration round trip");
  pc_aws_creds_free(&cr);
  ok(pc_store_load_creds(s, 7200, &cr, &e) == PC_STORE_EXPIRED &&
         cr.access_key_id == NULL,
     "valid for less than asked: expired, nothing handed out");
  ok(put(path("base/nobody/credentials.json"), "{\"Version\": 2}") == 0 &&
         pc_store_load_creds(s, 60, &cr, &e) == PC_STORE_MALFORMED &&
         strstr(e.detail, "not a credential_process document") != NULL,
     "another document: malformed (%s)", e.detail);
  ok(put(path("base/nobody/credentials.json"), "") == 0 &&
         pc_store_load_creds(s, 60, &cr, &e) == PC_STORE_EMPTY,
     "an empty file");
  ok(chmod(path("base/nobody/credentials.json"), 0644) == 0 &&
         pc_store_load_creds(s, 60, &cr, &e) == PC_STORE_REFUSED,
     "a readable-by-others file is refused: %s", e.detail);
}

static void test_identity(struct pc_store *s) {
  struct pc_error e;
  char *id;

  id = pc_store_load_identity(s, POOL, &e);
  ok(id == NULL && e.status == PC_OK, "no identity id remembered, no error");
  ok(pc_store_save_identity(s, POOL, IDENT, &e) == 0, "remembered: %s",
     e.detail);
  id = pc_store_load_identity(s, POOL, &e);
  is_str(id, IDENT, "read back for the same pool");
  free(id);
  id = pc_store_load_identity(s, "us-east-1:99999999-2222-3333-4444-5", &e);
  ok(id == NULL, "another pool's id is not used");
  ok(put(path("base/nobody/identity_id"),
         "{\"IdentityPoolId\": \"" POOL
         "\", \"IdentityId\": \"x/../y\"}") == 0 &&
         pc_store_load_identity(s, POOL, &e) == NULL,
     "an invalid id is not used");
}

static void test_handover(struct pc_store *s) {
  struct pc_config cfg;
  struct pc_handover h;
  struct pc_error e;
  struct pc_error err;
  const char *doc;

  ok(pc_store_load_handover(s, &h, &e) == PC_ABSENT,
     "no hand-over yet: PC_ABSENT");
  if (pc_config_init(&cfg) != 0 ||
      pc_config_set(&cfg, "region", "us-east-1", &err) ||
      pc_config_set(&cfg, "user_pool_id", "us-east-1_AbC123", &err) ||
      pc_config_set(&cfg, "client_id", "abc123", &err) ||
      pc_config_set(&cfg, "client_secret", "TOPSECRET", &err) ||
      pc_config_set(&cfg, "identity_pool_id", POOL, &err)) {
    ok(0, "configuration: %s", err.detail);
    return;
  }
  ok(pc_store_save_handover(s, &cfg, IDENT, "alice", "HASH=", NULL, "rt-1",
                            NULL, &e) == 0,
     "hand-over saved: %s", e.detail);
  doc = slurp(path("base/nobody/refresh.json"));
  ok(strstr(doc, "rt-1") != NULL && strstr(doc, "TOPSECRET") == NULL,
     "it carries the refresh token, never the client secret");
  ok(pc_store_load_handover(s, &h, &e) == 0, "read back: %s", e.detail);
  is_str(h.refresh_token, "rt-1", "refresh token");
  is_str(h.secret_hash, "HASH=", "SECRET_HASH");
  is_str(h.user_id, "alice", "user name for the hash");
  is_str(h.identity_id, IDENT, "identity id");
  is_str(h.cfg.client_id, "abc123", "pool settings");
  ok(h.cfg.client_secret == NULL, "no client secret");
  pc_handover_free(&h);
  ok(put(path("base/nobody/refresh.json"), "{\"Version\": 1}") == 0 &&
         pc_store_load_handover(s, &h, &e) == PC_ERR_PROTOCOL &&
         strstr(e.detail, "refresh.json is unusable") != NULL,
     "an incomplete hand-over is unusable: %s", e.detail);
  pc_config_free(&cfg);
}

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *f) {
  (void)st, (void)flag, (void)f;
  return remove(p);
}

int main(void) {
  struct pc_store s = PC_STORE_INIT;

  umask(077);
  if (mkdtemp(root) == NULL || chmod(root, 0755) != 0) {
    ok(0, "mkdtemp");
    return tap_done();
  }
  if (geteuid() != 0) {
    printf("1..0 # SKIP the store tests need root (chown)\n");
    rmdir(root);
    return 0;
  }
  test_open(&s);
  test_creds(&s);
  test_identity(&s);
  test_handover(&s);
  is_str(listing(), "credentials.json|identity_id|owner|refresh.json|",
         "the store's files, and nothing else");
  pc_store_close(&s);
  pc_store_close(&s);
  ok(nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS) == 0, "clean up");
  return tap_done();
}
