/* SPDX-License-Identifier: MIT */
/* The sync's state file: rendered line by line for the sync, read back
 * for the account stage and the next run; see syncstate.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "config/syncstate.h"

#define STATE_FILE "pam_cognito-sync.state"
#define STATE_HEADER "# pam_cognito-sync state, written "
#define STATE_MAX (64L * 1024 * 1024)

int pc_syncstate_path(const struct pc_config *cfg, char *buf, size_t size) {
  int n = snprintf(buf, size, "%s/" STATE_FILE, cfg->nss_dir);

  return n < 0 || (size_t)n >= size ? -1 : 0;
}

int pc_syncstate_header(long long written, char *line, size_t size) {
  int n = snprintf(line, size, STATE_HEADER "%lld\n", written);

  return n < 0 || (size_t)n >= size ? -1 : 0;
}

int pc_syncstate_line(const struct pc_synced_user *u, char *line, size_t size) {
  size_t i;
  int n = snprintf(line, size, "%s:%ld:%d:", u->name, u->uid, u->admitted);

  if (n < 0 || (size_t)n >= size)
    return -1;
  for (i = 0; u->groups != NULL && u->groups[i] != NULL; i++) {
    size_t used = strlen(line);
    int w =
        snprintf(line + used, size - used, "%s%s", i ? "," : "", u->groups[i]);

    if (w < 0 || (size_t)w >= size - used)
      return -1;
  }
  n = (int)strlen(line);
  if ((size_t)n + 2 > size)
    return -1;
  memcpy(line + n, "\n", 2);
  return 0;
}

/* "a,b,c" -> a NULL-terminated list (empty text: an empty list). */
static char **split_groups(const char *s) {
  size_t n = 1, i = 0;
  const char *p;
  char **l;

  for (p = s; *p; p++)
    n += *p == ',';
  l = calloc(n + 1, sizeof(*l));
  if (l == NULL || *s == '\0')
    return l;
  for (p = s;; p++) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);

    l[i] = strndup(p, len);
    if (l[i++] == NULL) {
      for (i = 0; l[i] != NULL; i++)
        free(l[i]);
      free(l);
      return NULL;
    }
    if (c == NULL)
      break;
    p = c;
  }
  return l;
}

static void user_free(struct pc_synced_user *u) {
  size_t i;

  free(u->name);
  for (i = 0; u->groups != NULL && u->groups[i] != NULL; i++)
    free(u->groups[i]);
  free(u->groups);
  memset(u, 0, sizeof(*u));
}

/* One "name:uid:admitted:groups" line into u: 0, or -1 malformed. */
static int parse_line(char *line, struct pc_synced_user *u) {
  char *uid = strchr(line, ':'), *adm, *groups, *end;

  if (uid == NULL)
    return -1;
  *uid++ = '\0';
  adm = strchr(uid, ':');
  if (adm == NULL)
    return -1;
  *adm++ = '\0';
  groups = strchr(adm, ':');
  if (groups == NULL || *line == '\0')
    return -1;
  *groups++ = '\0';
  errno = 0;
  u->uid = strtol(uid, &end, 10);
  if (errno != 0 || *end != '\0' || u->uid < 0 ||
      (strcmp(adm, "0") != 0 && strcmp(adm, "1") != 0))
    return -1;
  u->admitted = adm[0] == '1';
  u->name = strdup(line);
  u->groups = split_groups(groups);
  return u->name != NULL && u->groups != NULL ? 0 : -1;
}

static int add_user(struct pc_syncstate *st, char *line) {
  struct pc_synced_user *grown, u;

  memset(&u, 0, sizeof(u));
  if (parse_line(line, &u) != 0) {
    user_free(&u);
    return -1;
  }
  grown = realloc(st->users, (st->n + 1) * sizeof(*grown));
  if (grown == NULL) {
    user_free(&u);
    return -1;
  }
  st->users = grown;
  st->users[st->n++] = u;
  return 0;
}

/* Open the state file as root's, writable by root only. */
static FILE *open_state(const char *path, enum pc_status *rc,
                        struct pc_error *why) {
  int fd =
      open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  struct stat sb;
  FILE *f;

  if (fd < 0) {
    *rc = errno == ENOENT ? PC_ERR_USER_UNKNOWN : PC_ERR_CONFIG;
    pc_error_set(why, *rc, "%s: %s", path, strerror(errno));
    return NULL;
  }
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != 0 ||
      (sb.st_mode & (S_IWGRP | S_IWOTH)) != 0 || sb.st_size > STATE_MAX) {
    *rc = pc_error_set(why, PC_ERR_CONFIG,
                       "%s: not a regular file of root's, writable by root "
                       "only: ignored",
                       path);
    (void)close(fd);
    return NULL;
  }
  f = fdopen(fd, "r");
  if (f == NULL) {
    (void)close(fd);
    *rc = pc_error_set(why, PC_ERR_NOMEM, "out of memory");
  }
  return f;
}

enum pc_status pc_syncstate_load(const struct pc_config *cfg,
                                 struct pc_syncstate *st,
                                 struct pc_error *why) {
  char path[4096], line[8192];
  enum pc_status rc = PC_OK;
  unsigned long no = 0;
  FILE *f;

  memset(st, 0, sizeof(*st));
  if (pc_syncstate_path(cfg, path, sizeof(path)) != 0)
    return pc_error_set(why, PC_ERR_CONFIG, "nss_dir: path too long");
  f = open_state(path, &rc, why);
  if (f == NULL)
    return rc;
  while (rc == PC_OK && fgets(line, sizeof(line), f) != NULL) {
    size_t len = strlen(line);

    no++;
    if (len == 0 || line[len - 1] != '\n') {
      rc = pc_error_set(why, PC_ERR_CONFIG, "%s:%lu: line too long", path, no);
      break;
    }
    line[len - 1] = '\0';
    if (no == 1) {
      if (strncmp(line, STATE_HEADER, strlen(STATE_HEADER)) != 0 ||
          sscanf(line + strlen(STATE_HEADER), "%lld", &st->written) != 1)
        rc = pc_error_set(why, PC_ERR_CONFIG, "%s: no header line", path);
    } else if (add_user(st, line) != 0) {
      rc = pc_error_set(why, PC_ERR_CONFIG, "%s:%lu: malformed line", path, no);
    }
  }
  if (rc == PC_OK && no == 0)
    rc = pc_error_set(why, PC_ERR_CONFIG, "%s: empty", path);
  (void)fclose(f);
  if (rc != PC_OK)
    pc_syncstate_free(st);
  return rc;
}

const struct pc_synced_user *pc_syncstate_find(const struct pc_syncstate *st,
                                               const char *name, long uid) {
  size_t i;

  for (i = 0; i < st->n; i++)
    if (strcmp(st->users[i].name, name) == 0 && st->users[i].uid == uid)
      return &st->users[i];
  return NULL;
}

void pc_syncstate_free(struct pc_syncstate *st) {
  size_t i;

  for (i = 0; i < st->n; i++)
    user_free(&st->users[i]);
  free(st->users);
  memset(st, 0, sizeof(*st));
}
