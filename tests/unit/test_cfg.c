/* SPDX-License-Identifier: MIT */
/* pam_cognito.conf: defaults, the one setter, the safe loader, validation. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/cfg.h"
#include "config/uidrule.h"
#include "tap.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif
#define DATA SRCDIR "/tests/unit/data/"

static struct pc_error err;

/* Paths to remove at exit. */
static char made[128][64];
static int nmade;

static void remember(const char *path) {
  if (nmade < 128)
    (void)snprintf(made[nmade++], sizeof(made[0]), "%s", path);
}

static void cleanup(void) {
  int i;

  for (i = nmade - 1; i >= 0; i--)
    if (unlink(made[i]) != 0 && errno == EISDIR)
      (void)rmdir(made[i]);
}

/* Write text to a fresh /tmp file with the given mode; path receives its
 * name. Returns 0 or -1. */
static int write_tmp(const char *text, size_t len, mode_t mode, char *path,
                     size_t pathlen) {
  int fd;
  size_t off = 0;

  (void)snprintf(path, pathlen, "/tmp/test_cfg.XXXXXX");
  fd = mkstemp(path);
  if (fd < 0)
    return -1;
  remember(path);
  while (off < len) {
    ssize_t n = write(fd, text + off, len - off);

    if (n <= 0) {
      (void)close(fd);
      return -1;
    }
    off += (size_t)n;
  }
  if (fchmod(fd, mode) != 0) {
    (void)close(fd);
    return -1;
  }
  return close(fd);
}

static int write_tmp_str(const char *text, mode_t mode, char *path,
                         size_t pathlen) {
  return write_tmp(text, strlen(text), mode, path, pathlen);
}

/* Copy a fixture from tests/unit/data into a 0600 temp file: git cannot
 * keep the modes the loader demands. */
static int fixture(const char *name, char *path, size_t pathlen) {
  char src[512], text[8192];
  size_t n;
  FILE *f;

  (void)snprintf(src, sizeof(src), "%s%s", DATA, name);
  f = fopen(src, "r");
  if (f == NULL)
    return -1;
  n = fread(text, 1, sizeof(text), f);
  (void)fclose(f);
  return write_tmp(text, n, 0600, path, pathlen);
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Load text as a config file (mode 0600, any owner) into a fresh config.
 * Returns pc_config_load's result; err holds the message. */
static int load_text(const char *text, struct pc_config *c, char *path,
                     size_t pathlen) {
  if (pc_config_init(c) != 0 || write_tmp_str(text, 0600, path, pathlen) != 0)
    return -99;
  return pc_config_load(c, path, 1, 1, &err);
}

static void test_defaults(void) {
  struct pc_config c;

  ok(pc_config_init(&c) == 0, "init");
  ok(c.region == NULL && c.user_pool_id == NULL && c.client_id == NULL &&
         c.client_secret == NULL && c.identity_pool_id == NULL &&
         c.role_arn == NULL && c.idp_endpoint == NULL &&
         c.identity_endpoint == NULL && c.issuer_endpoint == NULL &&
         c.ca_file == NULL,
     "optional strings default to NULL");
  ok(c.auth_flow == PC_FLOW_SRP, "auth_flow defaults to USER_SRP_AUTH");
  ok(c.timeout == 10, "timeout defaults to 10");
  ok(c.login_timeout == 30, "login_timeout defaults to 30");
  ok(c.max_attempts == 3, "max_attempts defaults to 3");
  ok(c.credentials_required == 0, "credentials_required defaults to false");
  is_str(c.cache_dir, PC_DEFAULT_CACHE_DIR, "cache_dir default");
  ok(pc_config_validate(&c, &err) == PC_ERR_CONFIG, "defaults alone invalid");
  is_str(err.detail, "missing required key 'region'", "names the missing key");
  pc_config_free(&c);
  ok(c.cache_dir == NULL, "free resets");
}

/* Every key in the file changes its field: a key added to the table but not
 * wired to a field fails here. */
static void test_flip_all(void) {
  struct pc_config d, c;
  char path[64];
  int rc;

  if (pc_config_init(&d) != 0 || pc_config_init(&c) != 0 ||
      fixture("flip-all.conf", path, sizeof(path)) != 0) {
    ok(0, "flip-all setup");
    return;
  }
  rc = pc_config_load(&c, path, 1, 1, &err);
  ok(rc == 0, "flip-all loads (%s)", rc ? err.detail : "ok");
  is_str(c.region, "eu-west-2", "region set");
  is_str(c.user_pool_id, "eu-west-2_Flip123", "user_pool_id set");
  is_str(c.client_id, "abcdefghij0123456789klmnop", "client_id set");
  is_str(c.client_secret, "flip_secret", "client_secret set");
  ok(c.auth_flow != d.auth_flow && c.auth_flow == PC_FLOW_PASSWORD,
     "auth_flow set");
  is_str(c.identity_pool_id, "eu-west-2:11111111-2222-3333-4444-555555555555",
         "identity_pool_id set");
  is_str(c.role_arn, "arn:aws:iam::123456789012:role/flip", "role_arn set");
  is_str(c.idp_endpoint, "http://127.0.0.1:9229", "idp_endpoint set");
  is_str(c.identity_endpoint, "https://identity.example.test/",
         "identity_endpoint set");
  is_str(c.issuer_endpoint, "https://issuer.example.test/",
         "issuer_endpoint set");
  ok(c.timeout != d.timeout && c.timeout == 42, "timeout set");
  ok(c.login_timeout != d.login_timeout && c.login_timeout == 77,
     "login_timeout set");
  is_str(c.ca_file, "/etc/ssl/flip.pem", "ca_file set");
  ok(strcmp(c.cache_dir, d.cache_dir) != 0, "cache_dir changed");
  is_str(c.cache_dir, "/run/flip-cache", "cache_dir set");
  ok(c.credentials_required != d.credentials_required &&
         c.credentials_required == 1,
     "credentials_required set");
  ok(c.max_attempts != d.max_attempts && c.max_attempts == 7,
     "max_attempts set");
  ok(c.min_uid != d.min_uid && c.min_uid == 5000, "min_uid set");
  ok(d.max_uid == LONG_MAX && c.max_uid == 499999, "max_uid set");
  ok(d.allowed_users == NULL && c.allowed_users != NULL &&
         pc_config_list_has(c.allowed_users, "alice") &&
         pc_config_list_has(c.allowed_users, "bob") &&
         c.allowed_users[2] == NULL,
     "allowed_users set");
  ok(d.allowed_groups == NULL && c.allowed_groups != NULL &&
         pc_config_list_has(c.allowed_groups, "admins") &&
         c.allowed_groups[1] == NULL,
     "allowed_groups set");
  is_str(d.login_claim, "cognito:username", "login_claim default");
  is_str(c.login_claim, "email", "login_claim set");
  ok(d.login_claim_trusted == 0 && c.login_claim_trusted == 1,
     "login_claim_trusted set");
  is_str(c.username_suffix, "@example.com", "username_suffix set");
  ok(c.account_required != d.account_required && c.account_required == 1,
     "account_required set");
  ok(c.account_grace != d.account_grace && c.account_grace == 600,
     "account_grace set");
  ok(d.offline_days == 0 && c.offline_days == 7, "offline_days set");
  ok(d.offline_failures == 5 && c.offline_failures == 3,
     "offline_failures set");
  ok(d.offline_lockout == 300 && c.offline_lockout == 60,
     "offline_lockout set");
  ok(d.offline_mfa == 0 && c.offline_mfa == 1, "offline_mfa set");
  ok(d.remember_device == 1 && c.remember_device == 0, "remember_device set");
  ok(d.device_name == NULL, "device_name default");
  is_str(c.device_name, "flip-host", "device_name set");
  ok(d.revoke_on_logout == 0 && c.revoke_on_logout == 1,
     "revoke_on_logout set");
  ok(d.password_reset == 1 && c.password_reset == 0, "password_reset set");
  ok(d.mfa_setup == 1 && c.mfa_setup == 0, "mfa_setup set");
  ok(d.totp_issuer == NULL, "totp_issuer default");
  is_str(c.totp_issuer, "Flip Corp", "totp_issuer set");
  ok(d.nss_groups == NULL && c.nss_groups != NULL &&
         pc_config_list_has(c.nss_groups, "staff") &&
         pc_config_list_has(c.nss_groups, "ops") && c.nss_groups[2] == NULL,
     "nss_groups set");
  is_str(d.nss_dir, "/var/lib/extrausers", "nss_dir default");
  is_str(c.nss_dir, "/run/flip-nss", "nss_dir set");
  ok(d.uid_min == 200000 && c.uid_min == 300000, "uid_min set");
  ok(d.uid_max == 299999 && c.uid_max == 399999, "uid_max set");
  ok(d.uid_attribute == NULL, "uid_attribute default");
  is_str(c.uid_attribute, "custom:uid", "uid_attribute set");
  is_str(d.home_base, "/home", "home_base default");
  is_str(c.home_base, "/srv/home", "home_base set");
  is_str(d.default_shell, "/bin/bash", "default_shell default");
  is_str(c.default_shell, "/bin/zsh", "default_shell set");
  ok(d.imds_endpoint == NULL, "imds_endpoint default");
  is_str(c.imds_endpoint, "http://127.0.0.1:9339", "imds_endpoint set");
  ok(d.send_user_context == 1 && c.send_user_context == 0,
     "send_user_context set");
  ok(d.client_metadata == NULL && c.client_metadata &&
         strcmp(c.client_metadata[0], "host=%h") == 0 &&
         strcmp(c.client_metadata[1], "from=%r") == 0 && !c.client_metadata[2],
     "client_metadata set");
  ok(d.use_fips == 0 && c.use_fips == 1, "use_fips set");
  ok(d.https_proxy == NULL, "https_proxy default");
  is_str(c.https_proxy, "http://127.0.0.1:3128", "https_proxy set");
  ok(d.ssh_keys_attribute == NULL, "ssh_keys_attribute default");
  is_str(c.ssh_keys_attribute, "custom:ssh_keys", "ssh_keys_attribute set");
  ok(d.sudo_rules == NULL && c.sudo_rules != NULL &&
         strcmp(c.sudo_rules[0], "ops=ALL=(ALL:ALL) ALL") == 0 &&
         strcmp(c.sudo_rules[1],
                "devs=ALL=(root) /usr/bin/systemctl restart app") == 0 &&
         c.sudo_rules[2] == NULL,
     "sudo_rules set");
  ok(d.local_groups == NULL && c.local_groups != NULL &&
         strcmp(c.local_groups[0], "ops=docker,adm") == 0 &&
         c.local_groups[1] == NULL,
     "local_groups set");
  ok(d.end_sessions == 0 && c.end_sessions == 1, "end_sessions set");
  ok(d.identity_flow == NULL && !pc_config_basic_flow(&d),
     "identity_flow default: enhanced");
  ok(pc_config_basic_flow(&c), "identity_flow set");
  ok(d.sts_endpoint == NULL, "sts_endpoint default");
  is_str(c.sts_endpoint, "http://127.0.0.1:9340", "sts_endpoint set");
  pc_error_clear(&err);
  ok(pc_config_validate(&c, &err) == 0, "flip-all validates (%s)", err.detail);
  pc_config_free(&c);
  pc_config_free(&d);
}

/* Module arguments go through the same setter after the file: they win. */
static void test_argv_wins(void) {
  struct pc_config c;
  char path[64];

  if (pc_config_init(&c) != 0 ||
      fixture("flip-all.conf", path, sizeof(path)) != 0 ||
      pc_config_load(&c, path, 1, 1, &err) != 0) {
    ok(0, "argv setup");
    return;
  }
  ok(pc_config_set(&c, "timeout", "5", &err) == 0, "set timeout=5");
  ok(c.timeout == 5, "argument overrides the file's timeout");
  ok(pc_config_set(&c, "client_secret", "other", &err) == 0,
     "set client_secret");
  is_str(c.client_secret, "other", "argument overrides the file's secret");
  ok(pc_config_set(&c, "auth_flow", "USER_SRP_AUTH", &err) == 0 &&
         c.auth_flow == PC_FLOW_SRP,
     "argument overrides auth_flow");
  ok(pc_config_set(&c, "credentials_required", "false", &err) == 0 &&
         c.credentials_required == 0,
     "argument overrides a bool");
  ok(pc_config_set(&c, "credentials_required", NULL, &err) == 0 &&
         c.credentials_required == 1,
     "a bare bool argument means true");
  pc_config_free(&c);
}

static void test_set_errors(void) {
  struct pc_config c;

  if (pc_config_init(&c) != 0) {
    ok(0, "init");
    return;
  }
  ok(pc_config_set(&c, "colour", "blue", &err) == PC_ERR_CONFIG,
     "unknown key refused");
  is_str(err.detail, "unknown key 'colour'", "message names the key");
  ok(pc_config_set(&c, "timeout", "0", &err) == PC_ERR_CONFIG,
     "timeout 0 refused");
  ok(strstr(err.detail, "timeout") != NULL, "message names timeout (%s)",
     err.detail);
  ok(pc_config_set(&c, "timeout", "301", &err) == PC_ERR_CONFIG,
     "timeout 301 refused");
  ok(pc_config_set(&c, "timeout", "300", &err) == 0 && c.timeout == 300,
     "timeout 300 accepted");
  ok(pc_config_set(&c, "timeout", "10x", &err) == PC_ERR_CONFIG,
     "trailing junk refused");
  ok(pc_config_set(&c, "timeout", " 10", &err) == PC_ERR_CONFIG,
     "leading space refused");
  ok(pc_config_set(&c, "timeout", "99999999999999999999", &err) ==
         PC_ERR_CONFIG,
     "overflow refused");
  ok(pc_config_set(&c, "timeout", "", &err) == PC_ERR_CONFIG,
     "empty number refused");
  ok(c.timeout == 300, "refused values leave the field alone");
  ok(pc_config_set(&c, "max_attempts", "11", &err) == PC_ERR_CONFIG,
     "max_attempts 11 refused");
  ok(pc_config_set(&c, "max_attempts", "1", &err) == 0,
     "max_attempts 1 accepted");
  ok(pc_config_set(&c, "credentials_required", "maybe", &err) == PC_ERR_CONFIG,
     "bad bool refused");
  ok(pc_config_set(&c, "auth_flow", "SRP", &err) == PC_ERR_CONFIG,
     "bad auth_flow refused");
  ok(strstr(err.detail, "auth_flow") != NULL, "message names auth_flow (%s)",
     err.detail);
  ok(pc_config_set(&c, "region", "", &err) == PC_ERR_CONFIG,
     "empty string refused");
  ok(pc_config_set(&c, "region", NULL, &err) == PC_ERR_CONFIG,
     "missing value refused");
  pc_config_free(&c);
}

/* allowed_users / allowed_groups: a libconfig list in the file, commas as a
 * module argument; malformed entries are refused, never half-applied. */
static void test_lists(void) {
  struct pc_config c;
  char *name, path[64];

  if (pc_config_init(&c) != 0) {
    ok(0, "init");
    return;
  }
  ok(pc_config_set(&c, "allowed_groups", "ops,dev", &err) == 0,
     "comma list accepted");
  ok(pc_config_list_has(c.allowed_groups, "ops") &&
         pc_config_list_has(c.allowed_groups, "dev") &&
         !pc_config_list_has(c.allowed_groups, "Ops") &&
         !pc_config_list_has(c.allowed_groups, "op"),
     "list membership is exact");
  ok(pc_config_set(&c, "allowed_groups", "ops,,dev", &err) == PC_ERR_CONFIG,
     "empty entry refused");
  ok(strstr(err.detail, "allowed_groups") != NULL, "message names the key (%s)",
     err.detail);
  ok(pc_config_set(&c, "allowed_groups", "a b", &err) == PC_ERR_CONFIG,
     "blank in entry refused");
  ok(pc_config_list_has(c.allowed_groups, "ops"),
     "refused value leaves the list alone");
  ok(pc_config_set(&c, "allowed_users", "", &err) == PC_ERR_CONFIG,
     "empty list refused");
  ok(!pc_config_list_has(NULL, "x"), "no list has nothing");
  name = pc_config_signin_name(&c, "alice");
  is_str(name, "alice", "sign-in name without suffix");
  free(name);
  ok(pc_config_set(&c, "username_suffix", "@example.com", &err) == 0,
     "suffix set");
  name = pc_config_signin_name(&c, "alice");
  is_str(name, "alice@example.com", "sign-in name with suffix");
  free(name);
  ok(pc_config_set(&c, "min_uid", "-1", &err) == PC_ERR_CONFIG,
     "negative min_uid refused");
  ok(pc_config_set(&c, "min_uid", "0", &err) == 0 && c.min_uid == 0,
     "min_uid 0 accepted");
  pc_config_free(&c);

  ok(load_text("allowed_groups = [\"ops\", 7];\n", &c, path, sizeof(path)) ==
         PC_ERR_CONFIG,
     "a number in a group list is refused");
  ok(strstr(err.detail, ":1: ") != NULL, "message names the line (%s)",
     err.detail);
  pc_config_free(&c);
  ok(load_text("allowed_groups = ( \"ops\", 7 );\n", &c, path, sizeof(path)) ==
         PC_ERR_CONFIG,
     "a number in a libconfig list is refused");
  ok(strstr(err.detail, ":1: allowed_groups: expected a list") != NULL,
     "message names line and key (%s)", err.detail);
  pc_config_free(&c);
  ok(load_text("allowed_users = \"alice\";\n", &c, path, sizeof(path)) ==
         PC_ERR_CONFIG,
     "a plain string for a list key is refused");
  pc_config_free(&c);
  ok(load_text("allowed_users = [\"a,b\"];\n", &c, path, sizeof(path)) ==
         PC_ERR_CONFIG,
     "a comma inside a list entry is refused");
  pc_config_free(&c);
  ok(load_text("allowed_users = ( \"alice\", \"bob\" );\n", &c, path,
               sizeof(path)) == 0 &&
         pc_config_list_has(c.allowed_users, "bob"),
     "a libconfig list ( ) works like an array [ ]");
  pc_config_free(&c);
}

static void test_load_errors(void) {
  struct pc_config c;
  char path[64], want[256], link[80], big[70000];
  int rc;

  /* missing file */
  if (pc_config_init(&c) != 0)
    return;
  rc = pc_config_load(&c, "/nonexistent/pam_cognito.conf", 1, 1, &err);
  ok(rc == PC_ERR_CONFIG, "missing file with must_exist=1 fails");
  is_str(err.detail,
         "/nonexistent/pam_cognito.conf: cannot open: "
         "No such file or directory",
         "message for a missing file");
  rc = pc_config_load(&c, "/nonexistent/pam_cognito.conf", 0, 1, &err);
  ok(rc == PC_ABSENT, "missing file with must_exist=0 is PC_ABSENT");

  /* symlink to a good file */
  if (fixture("minimal.conf", path, sizeof(path)) == 0) {
    (void)snprintf(link, sizeof(link), "%s.lnk", path);
    ok(symlink(path, link) == 0, "made a symlink");
    remember(link);
    rc = pc_config_load(&c, link, 1, 1, &err);
    ok(rc == PC_ERR_CONFIG, "symlink refused");
    (void)snprintf(want, sizeof(want), "%s: is a symbolic link (refused)",
                   link);
    is_str(err.detail, want, "message for a symlink");
    rc = pc_config_load(&c, link, 0, 1, &err);
    ok(rc == PC_ERR_CONFIG, "symlink refused even when the file is optional");
  }

  /* directory */
  (void)snprintf(path, sizeof(path), "/tmp/test_cfg_dir.XXXXXX");
  if (mkdtemp(path) != NULL) {
    remember(path);
    (void)chmod(path, 0700);
    rc = pc_config_load(&c, path, 1, 1, &err);
    (void)snprintf(want, sizeof(want), "%s: is not a regular file", path);
    ok(rc == PC_ERR_CONFIG, "directory refused");
    is_str(err.detail, want, "message for a directory");
  }

  /* FIFO: refused without blocking in open() */
  (void)snprintf(path, sizeof(path), "/tmp/test_cfg_fifo.%ld", (long)getpid());
  if (mkfifo(path, 0600) == 0) {
    remember(path);
    rc = pc_config_load(&c, path, 1, 1, &err);
    ok(rc == PC_ERR_CONFIG && strstr(err.detail, "not a regular file") != NULL,
       "FIFO refused without hanging (%s)", err.detail);
  }

  /* too big: 64 KiB + 1 of comment lines */
  memset(big, '#', sizeof(big));
  for (rc = 79; rc < (int)sizeof(big); rc += 80)
    big[rc] = '\n';
  big[64 * 1024 - 1] = '\n'; /* libconfig wants a comment line ended */
  if (write_tmp(big, 64 * 1024 + 1, 0600, path, sizeof(path)) == 0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    (void)snprintf(want, sizeof(want), "%s: is larger than 65536 bytes", path);
    ok(rc == PC_ERR_CONFIG, "file over 64 KiB refused");
    is_str(err.detail, want, "message for a big file");
  }
  if (write_tmp(big, 64 * 1024, 0600, path, sizeof(path)) == 0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    ok(rc == 0, "file of exactly 64 KiB accepted (%s)", rc ? err.detail : "ok");
  }

  /* modes */
  if (write_tmp_str("region = \"us-east-1\";\n", 0620, path, sizeof(path)) ==
      0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    ok(rc == PC_ERR_CONFIG, "group-writable refused");
    ok(starts_with(err.detail, path) &&
           strstr(err.detail, ": is writable by group or others") != NULL,
       "message for group-writable (%s)", err.detail);
  }
  if (write_tmp_str("region = \"us-east-1\";\n", 0602, path, sizeof(path)) ==
      0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    ok(rc == PC_ERR_CONFIG &&
           strstr(err.detail, "writable by group or others") != NULL,
       "other-writable refused");
  }
  if (write_tmp_str("region = \"us-east-1\";\n", 0604, path, sizeof(path)) ==
      0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    ok(rc == PC_ERR_CONFIG, "world-readable refused");
    ok(starts_with(err.detail, path) &&
           strstr(err.detail, "readable by others") != NULL,
       "message for world-readable (%s)", err.detail);
  }
  if (write_tmp_str("region = \"us-east-1\";\n", 0640, path, sizeof(path)) ==
      0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    ok(rc == 0, "group-readable 0640 accepted (%s)", rc ? err.detail : "ok");
  }
  pc_config_free(&c);

  /* syntax error: names the file and the line */
  if (pc_config_init(&c) == 0 &&
      fixture("syntax-error.conf", path, sizeof(path)) == 0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    (void)snprintf(want, sizeof(want), "%s:4: ", path);
    ok(rc == PC_ERR_CONFIG, "syntax error refused");
    ok(starts_with(err.detail, want), "message is FILE:LINE: (%s)", err.detail);
  }
  pc_config_free(&c);

  if (pc_config_init(&c) == 0 &&
      fixture("unknown-key.conf", path, sizeof(path)) == 0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    (void)snprintf(want, sizeof(want), "%s:2: unknown key 'colour'", path);
    ok(rc == PC_ERR_CONFIG, "unknown key in the file refused");
    is_str(err.detail, want, "message names file, line and key");
  }
  pc_config_free(&c);

  if (pc_config_init(&c) == 0 &&
      fixture("wrong-type.conf", path, sizeof(path)) == 0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    (void)snprintf(want, sizeof(want), "%s:3: timeout: expected an integer",
                   path);
    ok(rc == PC_ERR_CONFIG, "string for an integer refused");
    is_str(err.detail, want, "message names the key and the type");
  }
  pc_config_free(&c);

  rc = load_text("credentials_required = 1;\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG &&
         strstr(err.detail, ":1: credentials_required: expected true or "
                            "false") != NULL,
     "integer for a bool refused (%s)", err.detail);
  pc_config_free(&c);

  rc = load_text("region = 7;\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG &&
         strstr(err.detail, ":1: region: expected a string") != NULL,
     "integer for a string refused (%s)", err.detail);
  pc_config_free(&c);

  rc = load_text("region = [\"a\"];\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG &&
         strstr(err.detail, ":1: region: expected a string") != NULL,
     "array for a string refused (%s)", err.detail);
  pc_config_free(&c);

  rc = load_text("\nauth_flow = \"CUSTOM_AUTH\";\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG &&
         strstr(err.detail, ":2: auth_flow: expected") != NULL,
     "bad auth_flow refused (%s)", err.detail);
  pc_config_free(&c);

  rc = load_text("timeout = 301;\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG &&
         strstr(err.detail, ":1: timeout: expected an integer from 1 to "
                            "300") != NULL,
     "timeout out of range refused (%s)", err.detail);
  pc_config_free(&c);

  rc = load_text("timeout = 0;\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG, "timeout 0 in the file refused");
  pc_config_free(&c);

  rc = load_text("timeout = 5000000000L;\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG, "64-bit timeout refused (%s)", err.detail);
  pc_config_free(&c);

  rc = load_text("region = \"us-east-1\";\n@include \"/etc/shadow\"\n", &c,
                 path, sizeof(path));
  ok(rc == PC_ERR_CONFIG &&
         strstr(err.detail, ":2: @include is not supported") != NULL,
     "@include refused (%s)", err.detail);
  pc_config_free(&c);

  if (pc_config_init(&c) == 0 &&
      write_tmp("region = \"x\";\0\n", 15, 0600, path, sizeof(path)) == 0) {
    rc = pc_config_load(&c, path, 1, 1, &err);
    ok(rc == PC_ERR_CONFIG && strstr(err.detail, "NUL") != NULL,
       "NUL byte refused (%s)", err.detail);
  }
  pc_config_free(&c);

  rc = load_text("", &c, path, sizeof(path));
  ok(rc == 0, "empty file loads");
  pc_config_free(&c);

  rc = load_text("timeout = 20;\n", &c, path, sizeof(path));
  ok(rc == 0 && c.timeout == 20, "integer key loads");
  pc_config_free(&c);
}

/* Without allow_any_owner the file must belong to root. */
static void test_owner(void) {
  struct pc_config c;
  char path[64];
  int rc;

  if (pc_config_init(&c) != 0 ||
      fixture("minimal.conf", path, sizeof(path)) != 0) {
    ok(0, "owner setup");
    return;
  }
  if (geteuid() != 0) {
    ok(1, "# SKIP owner rule needs root");
    ok(1, "# SKIP owner rule needs root");
    ok(1, "# SKIP owner rule needs root");
    pc_config_free(&c);
    return;
  }
  rc = pc_config_load(&c, path, 1, 0, &err);
  ok(rc == 0, "root-owned file accepted with the owner check on (%s)",
     rc ? err.detail : "ok");
  ok(chown(path, 65534, 65534) == 0, "chown to nobody");
  rc = pc_config_load(&c, path, 1, 0, &err);
  ok(rc == PC_ERR_CONFIG && starts_with(err.detail, path) &&
         strstr(err.detail, "is not owned by root") != NULL,
     "file owned by nobody refused (%s)", err.detail);
  rc = pc_config_load(&c, path, 1, 1, &err);
  ok(rc == 0, "accepted with allow_any_owner");
  pc_config_free(&c);
}

/* Validate a minimal config with one key changed. */
static int validate_with(const char *key, const char *value) {
  struct pc_config c;
  char path[64];
  int rc;

  pc_error_clear(&err);
  if (pc_config_init(&c) != 0 ||
      fixture("minimal.conf", path, sizeof(path)) != 0 ||
      pc_config_load(&c, path, 1, 1, &err) != 0)
    return -99;
  rc = key ? pc_config_set(&c, key, value, &err) : 0;
  if (rc == 0)
    rc = pc_config_validate(&c, &err);
  pc_config_free(&c);
  return rc;
}

static void test_validate(void) {
  ok(validate_with(NULL, NULL) == 0, "minimal config is valid (%s)",
     err.detail);
  ok(validate_with("user_pool_id", "us-west-2_AbC123") == PC_ERR_CONFIG,
     "pool/region mismatch refused");
  ok(strstr(err.detail, "not in region 'us-east-1'") != NULL,
     "message names the mismatch (%s)", err.detail);
  ok(validate_with("user_pool_id", "us-east-1AbC123") == PC_ERR_CONFIG,
     "pool id without '_' refused");
  ok(validate_with("user_pool_id", "us-east-1_") == PC_ERR_CONFIG,
     "pool id without id refused");
  ok(validate_with("user_pool_id", "us-east-1_Ab-C") == PC_ERR_CONFIG,
     "pool id with a dash in the id refused");
  ok(validate_with("region", "US-EAST-1") == PC_ERR_CONFIG,
     "upper-case region refused");
  ok(validate_with("region", "us-east") == PC_ERR_CONFIG,
     "region without number refused");
  ok(validate_with("region", "us-east-1; rm") == PC_ERR_CONFIG,
     "junk region refused");
  ok(validate_with("client_id", "abc-def") == PC_ERR_CONFIG,
     "client_id with a dash refused");
  ok(validate_with("cache_dir", "relative/dir") == PC_ERR_CONFIG,
     "relative cache_dir refused");
  ok(validate_with("idp_endpoint", "http://cognito.example.com/") ==
         PC_ERR_CONFIG,
     "http:// to a non-loopback host refused");
  ok(strstr(err.detail, "idp_endpoint") != NULL, "message names the key (%s)",
     err.detail);
  ok(validate_with("identity_endpoint", "http://10.0.0.1:9229/") ==
         PC_ERR_CONFIG,
     "http:// to a private address refused");
  ok(validate_with("issuer_endpoint", "http://issuer.example.com/") ==
             PC_ERR_CONFIG &&
         strstr(err.detail, "issuer_endpoint") != NULL,
     "issuer_endpoint: http:// to a non-loopback host refused (%s)",
     err.detail);
  ok(validate_with("issuer_endpoint", "http://127.0.0.1:9229/issuer") == 0,
     "issuer_endpoint: loopback accepted");
  ok(validate_with("idp_endpoint", "http://127.0.0.1:9229") == 0,
     "http://127.0.0.1:port accepted");
  ok(validate_with("idp_endpoint", "http://localhost:9229/") == 0,
     "http://localhost accepted");
  ok(validate_with("idp_endpoint", "http://[::1]:9229/") == 0,
     "http://[::1] accepted");
  ok(validate_with("idp_endpoint", "https://cognito.example.com/") == 0,
     "https:// accepted");
  ok(validate_with("idp_endpoint", "ftp://127.0.0.1/") == PC_ERR_CONFIG,
     "other schemes refused");
  ok(validate_with("totp_issuer", "Example Corp") == 0, "totp_issuer (%s)",
     err.detail);
  ok(validate_with("totp_issuer", "Example:Corp") == PC_ERR_CONFIG &&
         strstr(err.detail, "totp_issuer") != NULL,
     "totp_issuer with ':' refused (%s)", err.detail);
  ok(validate_with("totp_issuer", "") == PC_ERR_CONFIG,
     "empty totp_issuer refused");
  ok(validate_with("totp_issuer", "a\tb") == PC_ERR_CONFIG,
     "totp_issuer with a control character refused");

  {
    struct pc_config c;

    pc_error_clear(&err);
    if (pc_config_init(&c) == 0 &&
        pc_config_set(&c, "region", "us-gov-west-1", &err) == 0 &&
        pc_config_set(&c, "user_pool_id", "us-gov-west-1_Xy9", &err) == 0 &&
        pc_config_set(&c, "client_id", "abc123", &err) == 0)
      ok(pc_config_validate(&c, &err) == 0, "GovCloud region accepted (%s)",
         err.detail);
    else
      ok(0, "GovCloud setup");
    pc_config_free(&c);
  }
}

/* Validate minimal.conf with the NULL-terminated key, value pairs set. */
static int validate_pairs(const char *const *kv) {
  struct pc_config c;
  char path[64];
  int rc = 0;

  pc_error_clear(&err);
  if (pc_config_init(&c) != 0 ||
      fixture("minimal.conf", path, sizeof(path)) != 0 ||
      pc_config_load(&c, path, 1, 1, &err) != 0)
    return -99;
  for (; rc == 0 && kv[0] != NULL; kv += 2)
    rc = pc_config_set(&c, kv[0], kv[1], &err);
  if (rc == 0)
    rc = pc_config_validate(&c, &err);
  pc_config_free(&c);
  return rc;
}

/* max_uid, and the sync tool's range against the reserved block (issue
 * 22, item 4). */
static void test_uid_rules(void) {
  static const char *const below[] = {"min_uid", "2000", "max_uid", "1999",
                                      NULL};
  static const char *const equal[] = {"min_uid", "2000",    "max_uid",
                                      "2000",    "uid_min", "2000",
                                      "uid_max", "2000",    NULL};
  static const char *const overlap[] = {"uid_min", "50000", "uid_max", "60000",
                                        NULL};
  static const char *const inside[] = {"uid_min", "61184", "uid_max", "65519",
                                       NULL};
  static const char *const over[] = {"uid_min", "65535", "uid_max", "70000",
                                     NULL};
  static const char *const clear[] = {"uid_min", "10000", "uid_max", "59999",
                                      NULL};
  static const char *const above[] = {"max_uid", "59999", NULL};
  static const char *const fits[] = {"max_uid", "59999", "uid_min", "10000",
                                     "uid_max", "59999", NULL};

  ok(validate_pairs(below) == PC_ERR_CONFIG &&
         strstr(err.detail, "max_uid (1999) is below min_uid (2000)") != NULL,
     "max_uid below min_uid refused (%s)", err.detail);
  ok(validate_pairs(equal) == 0, "max_uid equal to min_uid accepted (%s)",
     err.detail);
  ok(validate_pairs(overlap) == PC_ERR_CONFIG &&
         strstr(err.detail, "overlaps the reserved uids 60000..65535") != NULL,
     "a sync range reaching 60000 refused (%s)", err.detail);
  ok(validate_pairs(inside) == PC_ERR_CONFIG,
     "systemd's dynamic-user range refused");
  ok(validate_pairs(over) == PC_ERR_CONFIG &&
         strstr(err.detail, "uid_min..uid_max") != NULL,
     "a sync range starting at 65535 refused (%s)", err.detail);
  ok(validate_pairs(clear) == 0, "a range ending at 59999 accepted (%s)",
     err.detail);
  /* The range against max_uid is the sync tool's check (test_sync): the
   * module never uses the range. */
  ok(validate_pairs(above) == 0,
     "max_uid below the default sync range is the module's business (%s)",
     err.detail);
  ok(validate_pairs(fits) == 0, "a sync range under max_uid accepted (%s)",
     err.detail);
  ok(validate_with("max_uid", "-1") == PC_ERR_CONFIG,
     "negative max_uid refused");

  {
    struct pc_config c;

    if (pc_config_init(&c) != 0) {
      ok(0, "init");
      return;
    }
    ok(pc_uid_not_cognitos(&c, 999) != NULL, "999: below min_uid");
    ok(pc_uid_not_cognitos(&c, 1000) == NULL, "1000: Cognito's");
    ok(pc_uid_not_cognitos(&c, 59999) == NULL, "59999: Cognito's");
    ok(pc_uid_not_cognitos(&c, 60000) != NULL, "60000: reserved");
    ok(pc_uid_not_cognitos(&c, 61184) != NULL, "61184: systemd dynamic");
    ok(pc_uid_not_cognitos(&c, 65534) != NULL, "65534: nobody");
    ok(pc_uid_not_cognitos(&c, 65535) != NULL, "65535: reserved");
    ok(pc_uid_not_cognitos(&c, 65536) == NULL, "65536: Cognito's");
    ok(pc_uid_not_cognitos(&c, pc_uid_overflow()) != NULL,
       "the overflow uid (%lld)", pc_uid_overflow());
    ok(pc_uid_not_cognitos(&c, 4294967295LL) != NULL, "(uid_t)-1");
    ok(pc_uid_not_cognitos(&c, 2000000000LL) == NULL, "no max_uid: no limit");
    c.max_uid = 5000;
    ok(pc_uid_not_cognitos(&c, 5000) == NULL, "at max_uid: Cognito's");
    ok(pc_uid_not_cognitos(&c, 5001) != NULL &&
           strcmp(pc_uid_not_cognitos(&c, 5001), "above max_uid") == 0,
       "above max_uid");
    pc_config_free(&c);
  }
}

/* login_claim names an attribute users can write: refused unless the
 * administrator states that no app client can write it (item 8). */
static void test_login_claim_trust(void) {
  static const char *const writable[] = {
      "preferred_username", "nickname", "name",
      "custom:employee",    "website",  NULL};
  static const char *const fixed[] = {"cognito:username", "sub", "email",
                                      "phone_number", NULL};
  const char *trusted[] = {"login_claim", NULL, "login_claim_trusted", "true",
                           NULL};
  size_t i;

  for (i = 0; writable[i] != NULL; i++) {
    ok(validate_with("login_claim", writable[i]) == PC_ERR_CONFIG &&
           strstr(err.detail, "users can change") != NULL &&
           strstr(err.detail, "login_claim_trusted = true") != NULL,
       "login_claim %s refused without login_claim_trusted (%s)", writable[i],
       err.detail);
    trusted[1] = writable[i];
    ok(validate_pairs(trusted) == 0,
       "login_claim %s accepted with login_claim_trusted (%s)", writable[i],
       err.detail);
  }
  for (i = 0; fixed[i] != NULL; i++)
    ok(validate_with("login_claim", fixed[i]) == 0,
       "login_claim %s needs no login_claim_trusted (%s)", fixed[i],
       err.detail);
}

static void test_urls(void) {
  struct pc_config c;
  char *u;

  if (pc_config_init(&c) != 0 ||
      pc_config_set(&c, "region", "eu-central-1", &err) != 0 ||
      pc_config_set(&c, "user_pool_id", "eu-central-1_Pool42", &err) != 0) {
    ok(0, "url setup");
    return;
  }
  u = pc_config_idp_url(&c);
  is_str(u, "https://cognito-idp.eu-central-1.amazonaws.com/",
         "default user-pool URL");
  free(u);
  u = pc_config_identity_url(&c);
  is_str(u, "https://cognito-identity.eu-central-1.amazonaws.com/",
         "default identity-pool URL");
  free(u);
  u = pc_config_sts_url(&c);
  is_str(u, "https://sts.eu-central-1.amazonaws.com/", "default STS URL");
  free(u);
  is_str(pc_config_pool_name(&c), "Pool42", "pool name");
  if (pc_config_set(&c, "idp_endpoint", "http://127.0.0.1:1234", &err) == 0 &&
      pc_config_set(&c, "identity_endpoint", "http://127.0.0.1:5678/", &err) ==
          0) {
    u = pc_config_idp_url(&c);
    is_str(u, "http://127.0.0.1:1234", "user-pool override");
    free(u);
    u = pc_config_identity_url(&c);
    is_str(u, "http://127.0.0.1:5678/", "identity-pool override");
    free(u);
  }
  pc_config_free(&c);
  ok(pc_config_pool_name(&c) == NULL, "no pool name without a pool id");
}

/* The string keys whose format the key table checks (issue 23, item 9):
 * each value goes through pc_config_set, as the file and the module
 * arguments do. */
struct format_case {
  const char *key, *value;
  int good;
};

static const struct format_case format_cases[] = {
    {"identity_flow", "enhanced", 1},
    {"identity_flow", "basic", 1},
    {"identity_flow", "Basic", 0},
    {"identity_flow", "classic", 0},
    {"client_secret", "s3cret", 1},
    {"client_secret", "abcdefghijklmnopqrstuvwxyz0123456789+_ABCDEFGH", 1},
    {"client_secret",
     "0123456789012345678901234567890123456789012345678901234567890123", 1},
    {"client_secret",
     "01234567890123456789012345678901234567890123456789012345678901234", 0},
    {"client_secret", "not-the-secret", 0},
    {"client_secret", "has space", 0},
    {"client_secret", "s3cret\n", 0},
    {"identity_pool_id", "us-east-1:11111111-2222-3333-4444-555555555555", 1},
    {"identity_pool_id", "eu_west-2:0b0b", 1},
    {"identity_pool_id", "us-east-1:11111111-2222-3333-4444-55555555555A", 0},
    {"identity_pool_id", "us-east-1", 0},
    {"identity_pool_id", ":11111111", 0},
    {"identity_pool_id", "us-east-1:", 0},
    {"identity_pool_id", "us east-1:1111", 0},
    {"identity_pool_id",
     "us-east-1:11111111-2222-3333-4444-555555555555-6666666666", 0},
    {"role_arn", "arn:aws:iam::123456789012:role/CognitoAdminRole", 1},
    {"role_arn", "arn:aws-us-gov:iam::123456789012:role/path/to/r+=,.@-_", 1},
    {"role_arn", "arn:aws:iam::123456789012:user/alice", 0},
    {"role_arn", "arn:aws:iam::12345678901:role/short", 0},
    {"role_arn", "arn:aws:s3::123456789012:role/x", 0},
    {"role_arn", "arn:aws:iam::123456789012:role/", 0},
    {"role_arn", "arn:aws:iam::123456789012:role/dir/", 0},
    {"role_arn", "arn:aws:iam::123456789012:role/a b", 0},
    {"role_arn", "bad", 0},
    {"ca_file", "/etc/ssl/certs/ca-certificates.crt", 1},
    {"ca_file", "/srv/My CA/ca.pem", 1},
    {"ca_file", "ca.pem", 0},
    {"ca_file", "./ca.pem", 0},
    {"ca_file", "/etc/ssl/ca\n.pem", 0},
    {"login_claim", "cognito:username", 1},
    {"login_claim", "custom:login", 1},
    {"login_claim", "custom:n\xc3\xbamero", 1},
    {"login_claim", "preferred username", 0},
    {"login_claim", "email\t", 0},
    {"login_claim", "custom:\xff", 0},
    {"username_suffix", "@example.com", 1},
    {"username_suffix", "+corp", 1},
    {"username_suffix", "@ex ample.com", 0},
    {"username_suffix", "@example.com\r", 0},
    {"username_suffix", "\xc2\x85x", 0},
    {"device_name", "bastion-1", 1},
    {"device_name", "bastion 1 (eu-west-1)", 1},
    {"device_name", "bastion\n1", 0},
    {"device_name", "bastion\x7f", 0},
    {"uid_attribute", "custom:uid", 1},
    {"uid_attribute", "custom:posix_uid_number", 1},
    {"uid_attribute", "preferred_username", 1},
    {"uid_attribute", "custom:", 0},
    {"uid_attribute", "custom:posix_uid_number_abcd", 0},
    {"uid_attribute", "custom:u id", 0},
    {"uid_attribute", "uid", 0},
    {"uid_attribute", "Custom:uid", 0},
    {"ssh_keys_attribute", "custom:ssh_keys", 1},
    {"ssh_keys_attribute", "ssh keys", 0},
    {"sudo_rules", "ops=ALL=(ALL:ALL) ALL", 1},
    {"sudo_rules", "ops=ALL=(ALL) ALL\\", 0},
    {"sudo_rules", "ops=", 0},
    {"sudo_rules", "=ALL=(ALL) ALL", 0},
    {"sudo_rules", "ops=ALL=(ALL) \t ALL", 0},
    {"local_groups", "ops=docker,adm", 1},
    {"local_groups", "ops=Docker", 0},
    {"local_groups", "ops=docker,,adm", 0},
    {"local_groups", "ops=", 0},
    {"local_groups", "o ps=docker", 0},
    {"imds_endpoint", "http://169.254.169.254", 1},
    {"imds_endpoint", "http://[fd00:ec2::254]/", 1},
    {"imds_endpoint", "http://127.0.0.1:9339", 1},
    {"imds_endpoint", "https://metadata.example.com/", 1},
    {"imds_endpoint", "http://10.0.0.1/", 0},
    {"imds_endpoint", "http://169.254.169.253/", 0},
    {"imds_endpoint", "ftp://169.254.169.254/", 0},
    {"imds_endpoint", "169.254.169.254", 0},
};

static void test_string_formats(void) {
  struct pc_config c;
  size_t i;
  char big[1100];

  if (pc_config_init(&c) != 0) {
    ok(0, "init");
    return;
  }
  for (i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++) {
    const struct format_case *f = &format_cases[i];
    int rc = pc_config_set(&c, f->key, f->value, &err);

    if (f->good)
      ok(rc == 0, "%s: good value %zu accepted (%s)", f->key, i,
         rc ? err.detail : "ok");
    else
      ok(rc == PC_ERR_CONFIG && starts_with(err.detail, f->key) &&
             strstr(err.detail, "expected"),
         "%s: bad value %zu refused, naming the key (%s)", f->key, i,
         err.detail);
  }
  ok(pc_config_set(&c, "client_secret", "bad-secret", &err) == PC_ERR_CONFIG &&
         strstr(err.detail, "bad-secret") == NULL,
     "a refused client secret is not echoed (%s)", err.detail);
  memset(big, 'a', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  big[1024] = '\0';
  ok(pc_config_set(&c, "device_name", big, &err) == 0,
     "device_name of 1024 characters accepted");
  big[1024] = 'a';
  ok(pc_config_set(&c, "device_name", big, &err) == PC_ERR_CONFIG,
     "device_name of 1099 characters refused");
  memset(big, 0, sizeof(big));
  memcpy(big, "http://127.0.0.1/", 17);
  memset(big + 17, 'p', 184);
  ok(pc_config_set(&c, "imds_endpoint", big, &err) == PC_ERR_CONFIG,
     "imds_endpoint over 200 characters refused");
  big[200] = '\0';
  ok(pc_config_set(&c, "imds_endpoint", big, &err) == 0,
     "imds_endpoint of 200 characters accepted (%s)", err.detail);
  ok(pc_config_set(&c, "username_suffix",
                   "@0123456789012345678901234567890123456789012345678901234"
                   "56789012345678901234567890123456789012345678901234567890"
                   "1234567890123456",
                   &err) == PC_ERR_CONFIG,
     "username_suffix of 128 characters refused");
  pc_config_free(&c);
}

/* A refused format in the file names the file, the line and the key. */
static void test_format_in_file(void) {
  struct pc_config c;
  char path[64], want[128];
  int rc;

  rc = load_text("region = \"us-east-1\";\n"
                 "identity_pool_id = \"us-east-1/not-a-pool\";\n",
                 &c, path, sizeof(path));
  (void)snprintf(want, sizeof(want), "%s:2: identity_pool_id: expected ", path);
  ok(rc == PC_ERR_CONFIG && starts_with(err.detail, want),
     "bad identity_pool_id fails the load (%s)", err.detail);
  ok(c.identity_pool_id == NULL, "and leaves the field unset");
  pc_config_free(&c);
}

/* use_fips where AWS lists no FIPS host (botocore's endpoint data: GovCloud
 * us-gov-east-1 has none for either Cognito service) is refused when the
 * config is checked, naming the key and the region; us-gov-west-1 has
 * them, and an endpoint of one's own makes the key moot. */
static int fips_config(const char *region, const char *more, char *path) {
  struct pc_config c;
  char text[512];
  int rc;

  (void)snprintf(text, sizeof(text),
                 "region = \"%s\";\nuser_pool_id = \"%s_AbC123\";\n"
                 "client_id = \"1example23456789\";\nuse_fips = true;\n%s",
                 region, region, more);
  pc_error_clear(&err);
  rc = load_text(text, &c, path, 64);
  if (rc == 0)
    rc = pc_config_validate(&c, &err);
  pc_config_free(&c);
  return rc;
}

static void test_fips_refusal(void) {
  char path[64];

  ok(fips_config("us-gov-east-1", "", path) == PC_ERR_CONFIG,
     "use_fips in us-gov-east-1 is refused");
  ok(strcmp(err.detail, "use_fips: AWS offers no FIPS endpoint of Cognito "
                        "user pools in region 'us-gov-east-1'") == 0,
     "the refusal names the key and the region (%s)", err.detail);
  ok(fips_config("us-gov-east-1",
                 "idp_endpoint = \"https://idp.example.com/\";\n"
                 "identity_pool_id = "
                 "\"us-gov-east-1:11111111-2222-3333-4444-555555555555\";\n",
                 path) == PC_ERR_CONFIG,
     "with the user pool's own endpoint, the identity pool is refused");
  ok(strcmp(err.detail, "use_fips: AWS offers no FIPS endpoint of Cognito "
                        "identity pools in region 'us-gov-east-1'") == 0,
     "and that refusal names the identity pools (%s)", err.detail);
  ok(fips_config("us-gov-east-1",
                 "idp_endpoint = \"https://idp.example.com/\";\n", path) == 0,
     "an idp_endpoint of one's own is not refused (%s)", err.detail);
  ok(fips_config("us-gov-west-1", "", path) == 0,
     "use_fips in us-gov-west-1 is valid (%s)", err.detail);
}

/* auth_flow = "USER_AUTH" and first_factors: the factors by name, in a file
 * list or a module argument; WEB_AUTHN and unknown names refused; the key
 * belongs to USER_AUTH. */
static void test_first_factors(void) {
  struct pc_config c;
  char path[64];
  int rc;

  ok(pc_config_init(&c) == 0 && c.first_factors == PC_FACTOR_PASSWORD_SRP,
     "first_factors defaults to PASSWORD_SRP");
  ok(pc_config_set(&c, "auth_flow", "USER_AUTH", &err) == 0 &&
         c.auth_flow == PC_FLOW_USER_AUTH,
     "auth_flow USER_AUTH accepted");
  ok(pc_config_set(&c, "first_factors", "PASSWORD,EMAIL_OTP,SMS_OTP", &err) ==
             PC_OK &&
         c.first_factors ==
             (PC_FACTOR_PASSWORD | PC_FACTOR_EMAIL_OTP | PC_FACTOR_SMS_OTP),
     "first_factors as a module argument");
#ifdef HAVE_FIDO2
  ok(pc_config_set(&c, "first_factors", "PASSWORD_SRP,WEB_AUTHN", &err) ==
             PC_OK &&
         c.first_factors == (PC_FACTOR_PASSWORD_SRP | PC_FACTOR_WEB_AUTHN),
     "WEB_AUTHN accepted in a build with FIDO2 (%s)", err.detail);
  ok(pc_config_set(&c, "first_factors", "PASSWORD,EMAIL_OTP,SMS_OTP", &err) ==
         PC_OK,
     "first_factors set back");
#else
  ok(pc_config_set(&c, "first_factors", "PASSWORD_SRP,WEB_AUTHN", &err) ==
             PC_ERR_CONFIG &&
         strstr(err.detail, "this build has no FIDO2 support") != NULL,
     "WEB_AUTHN refused without FIDO2 with its reason (%s)", err.detail);
#endif
  ok(pc_config_set(&c, "first_factors", "SOFTWARE_TOKEN_MFA", &err) ==
             PC_ERR_CONFIG &&
         strstr(err.detail, "expected PASSWORD_SRP, PASSWORD, EMAIL_OTP, "
                            "SMS_OTP or WEB_AUTHN") != NULL,
     "an unknown factor refused (%s)", err.detail);
  ok(c.first_factors ==
         (PC_FACTOR_PASSWORD | PC_FACTOR_EMAIL_OTP | PC_FACTOR_SMS_OTP),
     "refused values leave the factors alone");
  pc_config_free(&c);

  rc = load_text("auth_flow = \"USER_AUTH\";\n"
                 "first_factors = [\"PASSWORD_SRP\", \"EMAIL_OTP\"];\n",
                 &c, path, sizeof(path));
  ok(rc == PC_OK &&
         c.first_factors == (PC_FACTOR_PASSWORD_SRP | PC_FACTOR_EMAIL_OTP),
     "first_factors as a list in the file (%s)", err.detail);
  pc_config_free(&c);
  rc = load_text("\nfirst_factors = [\"PASSKEY\"];\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG &&
         strstr(err.detail, ":2: first_factors: entry 'PASSKEY'") != NULL,
     "an unknown factor refused in the file with its line (%s)", err.detail);
  pc_config_free(&c);
  rc = load_text("first_factors = \"EMAIL_OTP\";\n", &c, path, sizeof(path));
  ok(rc == PC_ERR_CONFIG &&
         strstr(err.detail, "first_factors: expected a list") != NULL,
     "a string for first_factors refused (%s)", err.detail);
  pc_config_free(&c);

  ok(validate_with("first_factors", "EMAIL_OTP") == PC_ERR_CONFIG &&
         strstr(err.detail, "applies to auth_flow = \"USER_AUTH\" only") !=
             NULL,
     "first_factors without USER_AUTH refused (%s)", err.detail);
  ok(validate_with("first_factors", "PASSWORD_SRP") == 0,
     "the default first_factors with another flow is valid");
}

int main(void) {
  umask(077);
  test_defaults();
  test_flip_all();
  test_argv_wins();
  test_set_errors();
  test_lists();
  test_load_errors();
  test_owner();
  test_validate();
  test_uid_rules();
  test_login_claim_trust();
  test_urls();
  test_string_formats();
  test_format_in_file();
  test_first_factors();
  test_fips_refusal();
  cleanup();
  return tap_done();
}
