/* SPDX-License-Identifier: MIT */
/* fuzz_sync: what pam_cognito-sync reads from the pool and turns into
 * passwd, group and shadow lines.
 *
 * The input is HTTP answers as in fuzz_api_reply: ListUserPoolClients and
 * DescribeUserPoolClient answers (pc_admin_clients_write for custom:uid as
 * uid_attribute), then ListUsersInGroup
 * pages for "admins" (pc_admin_list_users_in_group into a snapshot by
 * pc_snap_add_user, login_claim email, uid_attribute custom:uid). The
 * snapshot goes through --export and --import (the same users come back),
 * then pc_nss_build and pc_nss_write; every line written must be one
 * account of seven (passwd, shadow) or four (group) ':'-separated fields,
 * whatever names and attributes the server sent. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/adminapi.h"
#include "canned.h"
#include "fixture.h"
#include "sync/nssbuild.h"
#include "sync/nssfiles.h"
#include "sync/poolsnap.h"

static struct pc_config cfg;
static char export_path[4096], etc_passwd[4096], etc_group[4096];
static char out_passwd[4096], out_group[4096], out_shadow[4096];

static int add_user(json_object *user, void *ud) {
  struct pc_error skipped;

  enum pc_status st = pc_snap_add_user(ud, &cfg, user, &skipped);

  return st == PC_OK || st == PC_ERR_PROTOCOL ? 0 : -1; /* skipped: fine */
}

static void quiet(void *ud, const char *fmt, ...) {
  (void)ud, (void)fmt;
}

static int same(const char *a, const char *b) {
  return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void roundtrip(const struct pc_snap *s) {
  struct pc_snap back;
  struct pc_error err;
  size_t g, u;

  memset(&back, 0, sizeof back);
  if (pc_snap_export(s, export_path, &err) != 0)
    return; /* too large to export, say */
  if (pc_snap_import(&back, export_path, &err) != 0 || back.n != s->n)
    abort();
  for (g = 0; g < s->n; g++) {
    if (!same(back.groups[g].name, s->groups[g].name) ||
        back.groups[g].n != s->groups[g].n)
      abort();
    for (u = 0; u < s->groups[g].n; u++) {
      const struct pc_snap_user *a = &s->groups[g].users[u];
      const struct pc_snap_user *b = &back.groups[g].users[u];

      if (!same(a->username, b->username) || !same(a->sub, b->sub) ||
          !same(a->login, b->login) || !same(a->uid, b->uid) ||
          a->enabled != b->enabled)
        abort();
    }
  }
  pc_snap_free(&back);
}

/* Every line of path has exactly fields-1 ':' and no control byte. */
static void check_lines(const char *path, int fields) {
  FILE *f = fopen(path, "r");
  char line[8192];
  int colons;
  char *p;

  if (f == NULL)
    abort();
  while (fgets(line, sizeof line, f) != NULL) {
    if (strchr(line, '\n') == NULL)
      abort(); /* a line longer than any account should be */
    colons = 0;
    for (p = line; *p != '\n'; p++) {
      if ((unsigned char)*p < 0x20 || *p == 0x7f)
        abort();
      colons += *p == ':';
    }
    if (colons != fields - 1)
      abort();
  }
  fclose(f);
}

static void build(const struct pc_snap *s) {
  const struct pc_nss_paths paths = {etc_passwd, etc_group, out_passwd,
                                     out_group, NULL};
  struct pc_nss_db db;
  struct pc_error err;

  if (pc_nss_build(&cfg, s, &paths, quiet, NULL, &db, &err) != 0)
    return;
  if (pc_nss_write(&cfg, &db, &err) == 0) {
    check_lines(out_passwd, 7);
    check_lines(out_group, 4);
    check_lines(out_shadow, 9);
  }
  pc_nss_db_free(&db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  static const char *const kv[][2] = {
      {"nss_groups", "admins"},
      {"login_claim", "email"},
      {"uid_attribute", "custom:uid"},
      {"uid_min", "70000"},
      {"uid_max", "70100"},
  };
  char dir[4096];
  struct pc_error err;
  struct pc_error e;
  size_t i;

  (void)argc, (void)argv;
  fixture_config(&cfg);
  (void)snprintf(dir, sizeof dir, "%s/nss", cfg.cache_dir);
  (void)snprintf(export_path, sizeof export_path, "%s/export.json",
                 cfg.cache_dir);
  (void)snprintf(etc_passwd, sizeof etc_passwd, "%s/etc-passwd", cfg.cache_dir);
  (void)snprintf(etc_group, sizeof etc_group, "%s/etc-group", cfg.cache_dir);
  (void)snprintf(out_passwd, sizeof out_passwd, "%s/passwd", dir);
  (void)snprintf(out_group, sizeof out_group, "%s/group", dir);
  (void)snprintf(out_shadow, sizeof out_shadow, "%s/shadow", dir);
  fixture_write(etc_passwd,
                "root:x:0:0:root:/root:/bin/bash\n"
                "alice:x:1000:1000::/home/alice:/bin/sh\n",
                72);
  fixture_write(etc_group, "root:x:0:\nadmins:x:1001:\n", 25);
  for (i = 0; i < sizeof kv / sizeof *kv; i++)
    if (pc_config_set(&cfg, kv[i][0], kv[i][1], &err) != 0) {
      fprintf(stderr, "fuzz_sync: %s\n", err.detail);
      abort();
    }
  if (pc_config_set(&cfg, "nss_dir", dir, &err) != 0) {
    fprintf(stderr, "fuzz_sync: %s\n", err.detail);
    abort();
  }
  if (pc_nss_check_config(&cfg, &e) != 0) {
    fprintf(stderr, "fuzz_sync: %s\n", e.detail);
    abort();
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const attrs[] = {"custom:uid", NULL};
  static const char *const roles[] = {"uid_attribute", NULL};
  struct pc_client cl;
  struct pc_snap s;
  struct canned c;
  struct pc_error err;
  long pages = 0;

  pc_error_clear(&err);

  canned_split(&c, data, size);
  if (pc_client_init(&cl, &cfg, canned_http(&c)) != PC_OK)
    return 0;
  cl.retries = 0;
  memset(&s, 0, sizeof s);
  (void)pc_admin_clients_write(&cl, attrs, roles, &pages, &err);
  if (memchr(err.detail, '\0', sizeof err.detail) == NULL)
    abort();
  if (pc_snap_add_group(&s, "admins") == 0 &&
      pc_admin_list_users_in_group(&cl, "admins", add_user, &s, &pages, &err) ==
          PC_OK) {
    roundtrip(&s);
    build(&s);
  }
  pc_snap_free(&s);
  pc_client_free(&cl);
  return 0;
}
