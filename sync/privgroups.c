/* SPDX-License-Identifier: MIT */
/* Which group names grant privilege here; see privgroups.h. The sudoers
 * scan is deliberately loose: every %token on a line that is not a comment
 * counts, so it can only refuse too much, never too little. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "sync/privgroups.h"

/* sudo's own include depth limit is 128; a loop stops long before. */
#define PRIV_MAX_DEPTH 16

int pc_priv_builtin(const char *name) {
  /* Root-equivalent on a Debian or Ubuntu host: sudo rights (admin is
   * named by Ubuntu's sudoers even where no such group exists), raw disks
   * and memory, the shadow file, the logs, container and VM daemons, and
   * staff (writes /usr/local, which comes first in root's PATH). */
  static const char *const list[] = {
      "admin",           "sudo",  "wheel",  "adm", "root",
      "shadow",          "disk",  "docker", "lxd", "libvirt",
      "systemd-journal", "staff", "kmem",   NULL};
  size_t i;

  for (i = 0; list[i] != NULL; i++)
    if (strcmp(list[i], name) == 0)
      return 1;
  return 0;
}

/* One scan: where absolute include targets are (root: "" for /, or the
 * --root directory), the callback and the error. */
struct walk {
  const char *root;
  pc_priv_cb cb;
  void *ud;
  struct pc_error *err;
};

static int scan(const char *path, int depth, const struct walk *w);

static int name_char(int c) {
  return isalnum(c) || c == '_' || c == '-' || c == '.' || c == '$' || c == '@';
}

/* Every %name, %:name, %#gid and %:#gid of one line. */
static int tokens(const char *line, pc_priv_cb cb, void *ud) {
  const char *p = line;
  char name[256];

  while ((p = strchr(p, '%')) != NULL) {
    size_t n = 0;

    p++;
    if (*p == ':')
      p++;
    if (*p == '"')
      p++;
    if (*p == '#' && isdigit((unsigned char)p[1])) {
      long gid = strtol(p + 1, NULL, 10);

      if (cb(NULL, gid, ud) != 0)
        return -1;
      continue;
    }
    while (name_char((unsigned char)p[n]) && n + 1 < sizeof(name)) {
      name[n] = p[n];
      n++;
    }
    name[n] = '\0';
    if (n > 0 && cb(name, -1, ud) != 0)
      return -1;
    p += n;
  }
  return 0;
}

/* An include directive's target, relative to the including file's
 * directory when not absolute, below root when absolute; NULL when the line
 * is none. Files and directories are told apart by stat, not by the
 * keyword. */
static const char *include_target(const char *s, const char *from,
                                  const char *root, char *out, size_t outlen) {
  static const char *const kw[] = {"@includedir", "#includedir", "@include",
                                   "#include"};
  const char *slash;
  size_t i, kl, len;

  for (i = 0; i < 4; i++) {
    kl = strlen(kw[i]);
    if (strncmp(s, kw[i], kl) == 0 && isspace((unsigned char)s[kl]))
      break;
  }
  if (i == 4)
    return NULL;
  s += kl;
  while (isspace((unsigned char)*s))
    s++;
  len = strcspn(s, " \t\r\n");
  if (len == 0)
    return NULL;
  slash = strrchr(from, '/');
  if (s[0] == '/')
    (void)snprintf(out, outlen, "%s%.*s", root, (int)len, s);
  else if (slash == NULL)
    (void)snprintf(out, outlen, "%.*s", (int)len, s);
  else
    (void)snprintf(out, outlen, "%.*s/%.*s", (int)(slash - from), from,
                   (int)len, s);
  return out;
}

static int scan_file(const char *path, int depth, const struct walk *w) {
  FILE *f = fopen(path, "re");
  char line[8192], target[4096];
  int rc = 0, fresh = 1; /* fresh: line starts a line of the file */

  if (f == NULL) {
    if (errno == ENOENT)
      return 0;
    pc_error_set(w->err, PC_ERR_CONFIG, "%s: %s", path, strerror(errno));
    return -1;
  }
  while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
    const char *s = fresh ? line + strspn(line, " \t") : line;
    int start = fresh;

    fresh = strchr(line, '\n') != NULL;
    if (start &&
        include_target(s, path, w->root, target, sizeof(target)) != NULL)
      rc = scan(target, depth + 1, w);
    else if ((!start || *s != '#') && tokens(s, w->cb, w->ud) != 0) {
      pc_error_set(w->err, PC_ERR_NOMEM, "out of memory");
      rc = -1;
    }
  }
  if (rc == 0 && ferror(f)) {
    pc_error_set(w->err, PC_ERR_CONFIG, "%s: read error", path);
    rc = -1;
  }
  (void)fclose(f);
  return rc;
}

static int scan_dir(const char *path, int depth, const struct walk *w) {
  DIR *d = opendir(path);
  struct dirent *de;
  char sub[4096];
  int rc = 0;

  if (d == NULL) {
    if (errno == ENOENT)
      return 0;
    pc_error_set(w->err, PC_ERR_CONFIG, "%s: %s", path, strerror(errno));
    return -1;
  }
  while (rc == 0 && (de = readdir(d)) != NULL) {
    struct stat st;

    if (de->d_name[0] == '.')
      continue;
    (void)snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
    if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
      rc = scan_file(sub, depth, w);
  }
  (void)closedir(d);
  return rc;
}

static int scan(const char *path, int depth, const struct walk *w) {
  struct stat st;

  if (depth > PRIV_MAX_DEPTH) {
    pc_error_set(w->err, PC_ERR_CONFIG,
                 "%s: sudoers includes nested too deeply", path);
    return -1;
  }
  if (stat(path, &st) != 0) {
    if (errno == ENOENT)
      return 0;
    pc_error_set(w->err, PC_ERR_CONFIG, "%s: %s", path, strerror(errno));
    return -1;
  }
  return S_ISDIR(st.st_mode) ? scan_dir(path, depth, w)
                             : scan_file(path, depth, w);
}

enum pc_status pc_priv_sudoers(const char *root, const char *path,
                               pc_priv_cb cb, void *ud, struct pc_error *err) {
  const struct walk w = {root != NULL ? root : "", cb, ud, err};

  return scan(path, 0, &w) == 0 ? PC_OK : pc_error_failed(err, PC_ERR_CONFIG);
}
