/* SPDX-License-Identifier: MIT */
/* Rendering the three extrausers files and writing them atomically. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "sync/nssfiles.h"

/* Account files of a very large pool still fit. */
#define PC_NSS_MAX (256L * 1024 * 1024)

__attribute__((format(printf, 2, 3))) static int put(struct pc_buf *b,
                                                     const char *fmt, ...) {
  char line[4096];
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof(line))
    return -1;
  return pc_buf_append(b, line, (size_t)n);
}

/* passwd: the sub in GECOS is how the next run finds each uid again. */
static int render_passwd(const struct pc_config *cfg,
                         const struct pc_nss_db *db, struct pc_buf *b) {
  size_t i;

  for (i = 0; i < db->nu; i++) {
    const struct pc_nss_entry *u = &db->users[i];

    if (put(b, "%s:x:%ld:%ld:%s:%s/%s:%s\n", u->name, u->id, u->id, u->key,
            cfg->home_base, u->name, cfg->default_shell) != 0)
      return -1;
  }
  return 0;
}

static int put_group(struct pc_buf *b, const struct pc_nss_entry *g) {
  size_t i;

  if (put(b, "%s:x:%ld:", g->name, g->id) != 0)
    return -1;
  for (i = 0; g->members != NULL && g->members[i] != NULL; i++)
    if (put(b, "%s%s", i ? "," : "", g->members[i]) != 0)
      return -1;
  return put(b, "\n");
}

/* group: each user's private group, and the Cognito groups, by name. */
static int render_group(const struct pc_nss_db *db, struct pc_buf *b) {
  size_t i = 0, j = 0;

  while (i < db->nu || j < db->ng) {
    int user_first =
        j >= db->ng ||
        (i < db->nu && strcmp(db->users[i].name, db->groups[j].name) < 0);
    struct pc_nss_entry priv;

    if (!user_first) {
      if (put_group(b, &db->groups[j++]) != 0)
        return -1;
      continue;
    }
    memset(&priv, 0, sizeof(priv));
    priv.name = db->users[i].name;
    priv.id = db->users[i].id;
    i++;
    if (put_group(b, &priv) != 0)
      return -1;
  }
  for (i = 0; i < db->nl; i++)
    if (put_group(b, &db->locals[i]) != 0)
      return -1;
  return 0;
}

/* shadow: "!*" is locked and matches no password, so only the pool can let
 * these users in; empty ageing fields, so nothing ever expires here. */
static int render_shadow(const struct pc_nss_db *db, struct pc_buf *b) {
  size_t i;

  for (i = 0; i < db->nu; i++)
    if (put(b, "%s:!*:::::::\n", db->users[i].name) != 0)
      return -1;
  return 0;
}

/* Write text to a new temporary file next to path, ready to rename: mode,
 * owner root and group_name when we are root, fsync'ed. Returns the
 * temporary name (heap) or NULL with err. */
static char *stage(const char *path, const char *text, size_t len, mode_t mode,
                   const char *group_name, struct pc_error *err) {
  size_t pl = strlen(path);
  char *tmp = malloc(pl + sizeof(".XXXXXX") + 1), *slash;
  gid_t gid = 0;
  size_t off = 0;
  int fd;

  if (tmp == NULL) {
    pc_error_set(err, PC_ERR_NOMEM, "out of memory");
    return NULL;
  }
  /* ".passwd.XXXXXX": hidden, in the same directory (same file system). */
  slash = strrchr(path, '/');
  if (slash == NULL)
    (void)snprintf(tmp, pl + 9, ".%s.XXXXXX", path);
  else
    (void)snprintf(tmp, pl + 9, "%.*s.%s.XXXXXX", (int)(slash - path + 1), path,
                   slash + 1);
  if (geteuid() == 0 && group_name != NULL) {
    struct group *gr = getgrnam(group_name);

    if (gr == NULL) {
      pc_error_set(err, PC_ERR_CONFIG, "group %s does not exist", group_name);
      free(tmp);
      return NULL;
    }
    gid = gr->gr_gid;
  }
  fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: cannot create: %s", tmp,
                 strerror(errno));
    free(tmp);
    return NULL;
  }
  if (fchmod(fd, mode) != 0 || (geteuid() == 0 && fchown(fd, 0, gid) != 0))
    goto fail;
  while (off < len) {
    ssize_t n = write(fd, text + off, len - off);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      goto fail;
    off += (size_t)n;
  }
  if (fsync(fd) != 0)
    goto fail;
  if (close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  return tmp;
fail:
  pc_error_set(err, PC_ERR_CONFIG, "%s: %s", tmp, strerror(errno));
  if (fd >= 0)
    (void)close(fd);
  (void)unlink(tmp);
  free(tmp);
  return NULL;
}

static int sync_dir_of(const char *path) {
  char *copy = strdup(path);
  int fd, rc = -1;

  if (copy == NULL)
    return -1;
  fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    rc = fsync(fd);
    (void)close(fd);
  }
  free(copy);
  return rc;
}

struct file_spec {
  const char *name;
  mode_t mode;
  const char *group;
  struct pc_buf text;
};

/* Stage every file, then rename them all: a failure before the first
 * rename leaves the old set whole. */
static int write_set(const char *dir, struct file_spec *f, size_t n,
                     struct pc_error *err) {
  char *tmp[3] = {NULL, NULL, NULL}, path[3][4096];
  size_t i;
  int rc = -1;

  for (i = 0; i < n; i++) {
    (void)snprintf(path[i], sizeof(path[i]), "%s/%s", dir, f[i].name);
    tmp[i] = stage(path[i], f[i].text.data ? f[i].text.data : "", f[i].text.len,
                   f[i].mode, f[i].group, err);
    if (tmp[i] == NULL)
      goto out;
  }
  for (i = 0; i < n; i++) {
    if (rename(tmp[i], path[i]) != 0) {
      pc_error_set(err, PC_ERR_CONFIG, "%s: cannot rename into place: %s",
                   path[i], strerror(errno));
      goto out;
    }
    free(tmp[i]);
    tmp[i] = NULL;
  }
  if (sync_dir_of(path[0]) != 0) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: fsync: %s", dir, strerror(errno));
    goto out;
  }
  rc = 0;
out:
  for (i = 0; i < n; i++)
    if (tmp[i] != NULL) {
      (void)unlink(tmp[i]);
      free(tmp[i]);
    }
  return rc;
}

enum pc_status pc_nss_stage_file(const char *path, const char *text, size_t len,
                                 mode_t mode, const char *group_name,
                                 char **tmp, struct pc_error *err) {
  *tmp = stage(path, text, len, mode, group_name, err);
  return *tmp != NULL ? PC_OK : pc_error_failed(err, PC_ERR_CONFIG);
}

enum pc_status pc_nss_read_state(const char *path, char *line, size_t size,
                                 struct pc_error *err) {
  struct stat sb;
  ssize_t n;
  int fd;

  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0 && errno == ENOENT)
    return PC_ABSENT;
  if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
      sb.st_uid != geteuid() || (sb.st_mode & 077) != 0) {
    if (fd >= 0)
      (void)close(fd);
    return pc_error_set(err, PC_ERR_CONFIG,
                        "%s: not a file of this user's with mode 0600", path);
  }
  n = read(fd, line, size - 1);
  (void)close(fd);
  line[n > 0 ? n : 0] = '\0';
  return PC_OK;
}

enum pc_status pc_nss_write_file(const char *path, const char *text, size_t len,
                                 mode_t mode, const char *group_name,
                                 struct pc_error *err) {
  char *tmp = stage(path, text, len, mode, group_name, err);

  if (tmp == NULL)
    return pc_error_failed(err, PC_ERR_CONFIG);
  return pc_nss_commit_file(tmp, path, err);
}

enum pc_status pc_nss_commit_file(char *tmp, const char *path,
                                  struct pc_error *err) {
  enum pc_status st = PC_OK;

  if (rename(tmp, path) != 0) {
    st = pc_error_set(err, PC_ERR_CONFIG, "%s: cannot rename into place: %s",
                      path, strerror(errno));
    (void)unlink(tmp);
  } else if (sync_dir_of(path) != 0) {
    st = pc_error_set(err, PC_ERR_CONFIG, "%s: fsync of the directory failed",
                      path);
  }
  free(tmp);
  return st;
}

/* nss_dir: created 0755 when missing; when we are root it must be root's
 * and writable by root only, or anyone could swap the files. */
static int check_dir(const char *dir, struct pc_error *err) {
  struct stat st;

  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: cannot create: %s", dir,
                 strerror(errno));
    return -1;
  }
  if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: is not a directory", dir);
    return -1;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
      (geteuid() == 0 && st.st_uid != 0)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: must be owned by root and writable by root only "
                 "(chown root; chmod 0755)",
                 dir);
    return -1;
  }
  return 0;
}

enum pc_status pc_nss_dir_ready(const char *dir, struct pc_error *err) {
  return check_dir(dir, err) == 0 ? PC_OK : pc_error_failed(err, PC_ERR_CONFIG);
}

enum pc_status pc_nss_write(const struct pc_config *cfg,
                            const struct pc_nss_db *db, struct pc_error *err) {
  struct file_spec f[3] = {{"shadow", 0640, "shadow", {0}},
                           {"group", 0644, NULL, {0}},
                           {"passwd", 0644, NULL, {0}}};
  size_t i;
  int rc = -1;

  for (i = 0; i < 3; i++)
    pc_buf_init(&f[i].text, (size_t)PC_NSS_MAX);
  if (render_shadow(db, &f[0].text) != 0 || render_group(db, &f[1].text) != 0 ||
      render_passwd(cfg, db, &f[2].text) != 0) {
    pc_error_set(err, PC_ERR_NOMEM, "out of memory or an entry too long");
    goto out;
  }
  if (check_dir(cfg->nss_dir, err) != 0)
    goto out;
  rc = write_set(cfg->nss_dir, f, 3, err);
out:
  for (i = 0; i < 3; i++)
    pc_buf_free(&f[i].text);
  return rc == 0 ? PC_OK : pc_error_failed(err, PC_ERR_CONFIG);
}
