/* SPDX-License-Identifier: MIT */
/* The remembered app-client check (clientcheck.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "sync/adminapi.h"
#include "sync/clientcheck.h"
#include "sync/nssfiles.h"

#define CHECK_NAME "pam_cognito-sync.clientcheck"

static void path_of(const struct pc_config *cfg, char *p, size_t n) {
  (void)snprintf(p, n, "%s/" CHECK_NAME, cfg->nss_dir);
}

static uint64_t fnv(uint64_t h, const char *s) {
  const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");

  for (;; p++) { /* the NUL too: "ab","c" is not "a","bc" */
    h = (h ^ *p) * 1099511628211ULL;
    if (*p == '\0')
      return h;
  }
}

/* What the check's answer depends on: the pool, where it is asked, the
 * client, and each trusted attribute with its role. Not a secret (the
 * state is root's), only a change detector. */
static uint64_t fingerprint(const struct pc_config *cfg,
                            const char *const *attrs,
                            const char *const *roles) {
  uint64_t h = 14695981039346656037ULL;
  size_t i;

  h = fnv(h, cfg->region);
  h = fnv(h, cfg->user_pool_id);
  h = fnv(h, cfg->idp_endpoint);
  h = fnv(h, cfg->client_id);
  for (i = 0; attrs[i] != NULL; i++) {
    h = fnv(h, attrs[i]);
    h = fnv(h, roles[i]);
  }
  return h;
}

/* 1 when a pass for fp stands at now (*expires set), else 0. A state that
 * is not ours (pc_nss_read_state) or malformed counts as none. */
static int still_good(const struct pc_config *cfg, uint64_t fp, long long now,
                      long long *expires) {
  char path[4096], line[128];
  unsigned long long got;
  struct pc_error e;

  path_of(cfg, path, sizeof(path));
  pc_error_clear(&e);
  if (pc_nss_read_state(path, line, sizeof(line), &e) != PC_OK ||
      sscanf(line, "%lld %llx", expires, &got) != 2)
    return 0;
  /* A clock set back must not stretch a pass past the longest one. */
  return got == fp && now < *expires && *expires <= now + PC_CLIENTCHECK_TTL;
}

static void remember(const struct pc_config *cfg, uint64_t fp, long long now,
                     long long *expires, struct pc_error *note) {
  char path[4096], line[128];
  unsigned int r = 0;
  int n;

  if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
    r = (unsigned int)now;
  *expires = now + PC_CLIENTCHECK_TTL -
             (long long)(r % (unsigned int)(PC_CLIENTCHECK_TTL / 4));
  path_of(cfg, path, sizeof(path));
  n = snprintf(line, sizeof(line), "%lld %016llx\n", *expires,
               (unsigned long long)fp);
  if (pc_nss_dir_ready(cfg->nss_dir, note) != PC_OK ||
      pc_nss_write_file(path, line, (size_t)n, 0600, NULL, note) != PC_OK)
    *expires = 0;
}

enum pc_status pc_clientcheck(struct pc_client *cl, const struct pc_config *cfg,
                              const char *const *attrs,
                              const char *const *roles, int keep, long long now,
                              long *pages, int *cached, long long *expires,
                              struct pc_error *note, struct pc_error *err) {
  uint64_t fp = fingerprint(cfg, attrs, roles);
  char path[4096];
  enum pc_status st;

  pc_error_clear(note);
  *expires = 0;
  *cached = keep && still_good(cfg, fp, now, expires);
  if (*cached)
    return PC_OK;
  st = pc_admin_clients_write(cl, attrs, roles, pages, err);
  if (st == PC_OK) {
    if (keep)
      remember(cfg, fp, now, expires, note);
    return PC_OK;
  }
  if (!keep)
    return st;
  /* No pass may outlive a check that did not pass. */
  path_of(cfg, path, sizeof(path));
  if (unlink(path) != 0 && errno != ENOENT)
    (void)pc_error_set(note, PC_ERR_CONFIG, "%s: cannot remove: %s", path,
                       strerror(errno));
  return st;
}
