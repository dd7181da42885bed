/* SPDX-License-Identifier: MIT */
/* The snapshot mode's state file (snapshot_state.h): one line,
 * "<serial> <time> <etag>", the ETag "-" when there is none; and the kept
 * copy of the snapshot applied last, its bytes as fetched. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "sync/nssfiles.h"
#include "sync/snapshot_state.h"

#define STATE_NAME "pam_cognito-sync.snapshot"
#define KEPT_NAME "pam_cognito-sync.snapshot.kept"

static void state_path(const struct pc_config *cfg, char *p, size_t n) {
  (void)snprintf(p, n, "%s/" STATE_NAME, cfg->nss_dir);
}

static void kept_path(const struct pc_config *cfg, char *p, size_t n) {
  (void)snprintf(p, n, "%s/" KEPT_NAME, cfg->nss_dir);
}

/* All of fd's sb.st_size bytes into a heap buffer, or NULL. */
static char *read_all(int fd, const struct stat *sb, size_t *len) {
  char *b = malloc((size_t)sb->st_size + 1);
  size_t off = 0;
  ssize_t n;

  if (b == NULL)
    return NULL;
  while (off < (size_t)sb->st_size &&
         (n = read(fd, b + off, (size_t)sb->st_size - off)) > 0)
    off += (size_t)n;
  if (off != (size_t)sb->st_size) {
    free(b);
    return NULL;
  }
  b[off] = '\0';
  *len = off;
  return b;
}

enum pc_status pc_snapshot_kept_read(const struct pc_config *cfg, char **blob,
                                     size_t *len, struct pc_error *err) {
  char path[4096];
  struct stat sb;
  int fd;

  *blob = NULL;
  *len = 0;
  kept_path(cfg, path, sizeof(path));
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0 && errno == ENOENT)
    return PC_ABSENT;
  if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
      sb.st_uid != geteuid() || (sb.st_mode & 077) != 0 ||
      sb.st_size > PC_S3_MAX) {
    if (fd >= 0)
      (void)close(fd);
    return pc_error_set(err, PC_ERR_CONFIG,
                        "%s: not a file of this user's with mode 0600", path);
  }
  *blob = read_all(fd, &sb, len);
  (void)close(fd);
  if (*blob == NULL)
    return pc_error_set(err, PC_ERR_CONFIG, "%s: cannot read it", path);
  return PC_OK;
}

void pc_snapshot_state_free(struct pc_snapshot_state *st) {
  pc_buf_string_free(&st->kept); /* pc_s3_get's body */
  st->kept_len = 0;
}

enum pc_status pc_snapshot_state_load(const struct pc_config *cfg,
                                      struct pc_snapshot_state *st,
                                      struct pc_error *err) {
  char path[4096], line[512], tag[PC_S3_ETAG_MAX];
  enum pc_status rc;

  memset(st, 0, sizeof(*st));
  st->serial = -1;
  state_path(cfg, path, sizeof(path));
  rc = pc_nss_read_state(path, line, sizeof(line), err);
  if (rc != PC_OK)
    return rc;
  if (sscanf(line, "%lld %lld %127s", &st->serial, &st->when, tag) != 3 ||
      st->serial < 0)
    return pc_error_set(err, PC_ERR_CONFIG, "%s: malformed", path);
  if (strcmp(tag, "-") != 0)
    memcpy(st->etag, tag, strlen(tag) + 1);
  return PC_OK;
}

enum pc_status pc_snapshot_state_save(const struct pc_config *cfg,
                                      const struct pc_snapshot_state *st,
                                      struct pc_error *err) {
  char path[4096], line[512];
  int n;

  if (st->kept != NULL) {
    enum pc_status rc;

    kept_path(cfg, path, sizeof(path));
    rc = pc_nss_write_file(path, st->kept, st->kept_len, 0600, NULL, err);
    if (rc != PC_OK)
      return rc;
  }
  state_path(cfg, path, sizeof(path));
  n = snprintf(line, sizeof(line), "%lld %lld %s\n", st->serial, st->when,
               st->etag[0] != '\0' && strpbrk(st->etag, " \t\n") == NULL
                   ? st->etag
                   : "-");
  return pc_nss_write_file(path, line, (size_t)n, 0600, NULL, err);
}
