/* SPDX-License-Identifier: MIT */
/* Unit tests of pam_cognito-sync's pure parts: the uid hash (the values
 * come from Python's hashlib, an independent implementation), the id set,
 * the shared credentials file parser, the sync key checks, the sudoers
 * scan for privileged groups and the S3 URL of an object key. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/cfg.h"
#include "sync/aws_chain.h"
#include "sync/idset.h"
#include "sync/nssbuild.h"
#include "sync/nssfiles.h"
#include "sync/privgroups.h"
#include "sync/s3.h"
#include "tap.h"

static void test_hash(void) {
  ok(pc_nss_hash_id("5c000000-0000-4000-8000-000000000001", 200000, 299999) ==
         285637,
     "hash of a sub matches hashlib");
  ok(pc_nss_hash_id("group:pcs-staff", 200000, 299999) == 253538,
     "hash of a group matches hashlib");
  ok(pc_nss_hash_id("abc", 65530, 65537) == 65532, "small range");
  ok(pc_nss_hash_id("x", 5, 5) == 5, "range of one");
}

static void test_idset(void) {
  struct pc_idset s;
  long i;
  int all = 1;

  pc_idset_init(&s);
  ok(!pc_idset_has(&s, 7), "empty set has nothing");
  for (i = 0; i < 5000; i += 3)
    if (pc_idset_add(&s, i) != 0)
      all = 0;
  ok(all, "5000/3 adds (growing)");
  for (i = 0; i < 5000; i++)
    if (pc_idset_has(&s, i) != (i % 3 == 0))
      all = 0;
  ok(all, "membership exact after growth");
  ok(pc_idset_add(&s, 0) == 0 && s.n == 1667, "a duplicate is not counted");
  pc_idset_free(&s);
}

static void test_ini(void) {
  struct pc_chain_creds c;
  struct pc_error e;
  static const char text[] =
      "# comment\n[default]\naws_access_key_id = AKIADEFAULT\n"
      "aws_secret_access_key=secret-default\n\n[ sync ]\r\n"
      "  aws_access_key_id =  ASIASYNC  \r\n"
      "aws_secret_access_key = s/y+n=c\naws_session_token = tok\n"
      "region = eu-west-1\n";

  memset(&c, 0, sizeof(c));
  ok(pc_chain_creds_parse_ini(text, "sync", &c, &e) == 0, "profile found (%s)",
     e.detail);
  is_str(c.key_id, "ASIASYNC", "key id trimmed");
  is_str(c.secret, "s/y+n=c", "secret kept whole ('=' inside)");
  is_str(c.token, "tok", "session token");
  pc_chain_creds_free(&c);
  ok(pc_chain_creds_parse_ini(text, "default", &c, &e) == 0 && c.token == NULL,
     "default profile without a token");
  pc_chain_creds_free(&c);
  ok(pc_chain_creds_parse_ini(text, "other", &c, &e) == PC_ABSENT,
     "missing profile: PC_ABSENT");
  ok(pc_chain_creds_parse_ini("[p]\naws_access_key_id = A\n", "p", &c, &e) ==
             PC_ERR_CONFIG &&
         strstr(e.detail, "lacks") != NULL && c.key_id == NULL,
     "half a profile is an error and leaves nothing");
  ok(pc_chain_creds_parse_ini("[p\n", "p", &c, &e) == PC_ERR_CONFIG,
     "unterminated section");
}

static void test_check_config(void) {
  struct pc_config c;
  struct pc_error e;
  struct pc_error cerr;

  if (pc_config_init(&c) != 0) {
    ok(0, "config init");
    return;
  }
  ok(pc_nss_check_config(&c, &e) == PC_ERR_CONFIG &&
         strstr(e.detail, "no groups") != NULL,
     "no nss_groups and no allowed_groups");
  ok(pc_config_set(&c, "allowed_groups", "devs", &cerr) == 0 &&
         pc_nss_check_config(&c, &e) == 0,
     "defaults with allowed_groups are fine (%s)", e.detail);
  ok(pc_config_set(&c, "home_base", "/a:b", &cerr) == 0 &&
         pc_nss_check_config(&c, &e) == PC_ERR_CONFIG,
     "':' in home_base refused");
  ok(pc_config_set(&c, "home_base", "/home", &cerr) == 0 &&
         pc_config_set(&c, "min_uid", "250000", &cerr) == 0 &&
         pc_nss_check_config(&c, &e) == PC_ERR_CONFIG &&
         strstr(e.detail, "below min_uid") != NULL,
     "uid_min below min_uid refused");
  ok(pc_config_set(&c, "min_uid", "1000", &cerr) == 0 &&
         pc_config_set(&c, "max_uid", "59999", &cerr) == 0 &&
         pc_nss_check_config(&c, &e) == PC_ERR_CONFIG &&
         strstr(e.detail, "uid_max (299999) is above max_uid (59999)") != NULL,
     "a uid range above max_uid refused (%s)", e.detail);
  ok(pc_config_set(&c, "uid_min", "10000", &cerr) == 0 &&
         pc_config_set(&c, "uid_max", "59999", &cerr) == 0 &&
         pc_nss_check_config(&c, &e) == 0,
     "a uid range under max_uid accepted (%s)", e.detail);
  ok(pc_config_set(&c, "uid_max", "60000", &cerr) == 0 &&
         pc_config_set(&c, "max_uid", "70000", &cerr) == 0 &&
         pc_nss_check_config(&c, &e) == PC_ERR_CONFIG &&
         strstr(e.detail, "reserved uids") != NULL,
     "a uid range reaching 60000 refused (%s)", e.detail);
  pc_config_free(&c);
}

struct seen {
  char names[512];
  long gids[4];
  int ngids;
};

static int collect(const char *name, long gid, void *ud) {
  struct seen *s = ud;

  if (name != NULL) {
    strncat(s->names, name, sizeof(s->names) - strlen(s->names) - 2);
    strcat(s->names, " ");
  } else if (s->ngids < 4) {
    s->gids[s->ngids++] = gid;
  }
  return 0;
}

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");

  if (f != NULL) {
    fputs(text, f);
    fclose(f);
  }
}

static void test_sudoers(void) {
  char dir[] = "/tmp/pc-test-sudoers-XXXXXX", path[256];
  struct pc_error e;
  struct seen s;

  ok(pc_priv_builtin("admin") && pc_priv_builtin("docker") &&
         pc_priv_builtin("systemd-journal") && !pc_priv_builtin("devs") &&
         !pc_priv_builtin("Admin"),
     "built-in privileged groups");
  if (mkdtemp(dir) == NULL) {
    ok(0, "mkdtemp");
    return;
  }
  (void)snprintf(path, sizeof(path), "%s/sudoers", dir);
  write_text(path, "# %commented ALL=(ALL) ALL\n"
                   "Defaults:%dflt !lecture\n"
                   "  %ops,%:nonunix ALL=(ALL:ALL) ALL\n"
                   "%#4242 ALL=(ALL) ALL\n"
                   "User_Alias A = %\"quoted\", !%negated\n"
                   "@includedir d\n#include inc\n");
  (void)snprintf(path, sizeof(path), "%s/d", dir);
  (void)mkdir(path, 0700);
  (void)snprintf(path, sizeof(path), "%s/d/one", dir);
  write_text(path, "%fromdir ALL=(ALL) ALL\n");
  (void)snprintf(path, sizeof(path), "%s/inc", dir);
  write_text(path, "%included ALL=(ALL) ALL\n@include inc\n");
  memset(&s, 0, sizeof(s));
  (void)snprintf(path, sizeof(path), "%s/sudoers", dir);
  ok(pc_priv_sudoers(NULL, path, collect, &s, &e) == PC_ERR_CONFIG &&
         strstr(e.detail, "nested too deeply") != NULL,
     "an include loop stops (%s)", e.detail);
  (void)snprintf(path, sizeof(path), "%s/inc", dir);
  write_text(path, "%included ALL=(ALL) ALL\n");
  memset(&s, 0, sizeof(s));
  (void)snprintf(path, sizeof(path), "%s/sudoers", dir);
  ok(pc_priv_sudoers(NULL, path, collect, &s, &e) == 0, "scan (%s)", e.detail);
  is_str(s.names, "dflt ops nonunix quoted negated fromdir included ",
         "every %%group but the commented one, includes followed");
  ok(s.ngids == 1 && s.gids[0] == 4242, "%%#gid reported as a gid");
  memset(&s, 0, sizeof(s));
  (void)snprintf(path, sizeof(path), "%s/none", dir);
  ok(pc_priv_sudoers(NULL, path, collect, &s, &e) == 0 && s.names[0] == '\0',
     "a missing sudoers is no error");
  (void)snprintf(path, sizeof(path), "rm -rf '%s'", dir);
  if (system(path) != 0)
    ok(0, "clean up %s", dir);
}

/* The path of an object key is what SigV4 signs for S3: each segment
 * percent-encoded once (unreserved kept, upper-case hex), '/' kept. */
static void test_s3_url(void) {
  static const struct {
    const char *url, *want;
  } cases[] = {
      {"s3://fleet/pam_cognito/snapshot.json",
       "https://fleet.s3.eu-west-1.amazonaws.com/pam_cognito/snapshot.json"},
      {"s3://fleet/my dir/a+b=c 50% \xc3\xa9~x.json",
       "https://fleet.s3.eu-west-1.amazonaws.com/my%20dir/"
       "a%2Bb%3Dc%2050%25%20%C3%A9~x.json"},
      {"s3://fleet/a%2Bb", "https://fleet.s3.eu-west-1.amazonaws.com/a%252Bb"},
      {"s3://fleet/a//b/", "https://fleet.s3.eu-west-1.amazonaws.com/a//b/"},
      {"https://store.example/b/a+b%3dc%20d.json?x=1",
       "https://store.example/b/a%2Bb%3Dc%20d.json?x=1"},
      {"http://127.0.0.1:9/b/\xc3\xa9t\xc3\xa9%2bx",
       "http://127.0.0.1:9/b/%C3%A9t%C3%A9%2Bx"},
      {"s3://fleet/a/../b", NULL},
      {"s3://fleet/./b", NULL},
      {"s3://fleet/a\tb", NULL},
      {"s3://fleet/", NULL},
      {"s3:///key", NULL},
      {"http://store.example/b/k", NULL},
  };
  char region[] = "eu-west-1";
  struct pc_config cfg;
  size_t i;

  memset(&cfg, 0, sizeof(cfg));
  cfg.region = region;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *got = pc_s3_http_url(&cfg, cases[i].url);

    if (cases[i].want == NULL)
      ok(got == NULL, "refused: %s", cases[i].url);
    else
      is_str(got != NULL ? got : "(null)", cases[i].want, "%s", cases[i].url);
    free(got);
  }
}

int main(void) {
  test_hash();
  test_idset();
  test_ini();
  test_check_config();
  test_sudoers();
  test_s3_url();
  return tap_done();
}
