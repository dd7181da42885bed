/* SPDX-License-Identifier: MIT */
/* The pool snapshot: filled from API replies, written to and read from the
 * --export / --import file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/json.h"
#include "config/claimrule.h"
#include "sync/nssfiles.h"
#include "sync/poolsnap.h"

#define PC_SNAP_FORMAT "pam_cognito-sync/1"
#define PC_SNAP_MAX (64L * 1024 * 1024)

int pc_snap_add_group(struct pc_snap *s, const char *name) {
  struct pc_snap_group *g = realloc(s->groups, (s->n + 1) * sizeof(*s->groups));

  if (g == NULL)
    return -1;
  s->groups = g;
  memset(&g[s->n], 0, sizeof(g[s->n]));
  g[s->n].name = strdup(name);
  if (g[s->n].name == NULL)
    return -1;
  s->n++;
  return 0;
}

/* The value of attribute name in a ListUsersInGroup Attributes array. */
static const char *attribute(json_object *user, const char *name) {
  json_object *attrs;
  size_t i, n;

  if (name == NULL || !json_object_object_get_ex(user, "Attributes", &attrs) ||
      !json_object_is_type(attrs, json_type_array))
    return NULL;
  n = json_object_array_length(attrs);
  for (i = 0; i < n; i++) {
    json_object *a = json_object_array_get_idx(attrs, i);
    const char *an = pc_json_str(a, "Name");

    if (an != NULL && strcmp(an, name) == 0)
      return pc_json_str(a, "Value");
  }
  return NULL;
}

static int dup_opt(char **dst, const char *v) {
  *dst = NULL;
  if (v == NULL)
    return 0;
  *dst = strdup(v);
  return *dst ? 0 : -1;
}

static void user_free(struct pc_snap_user *u) {
  free(u->username);
  free(u->sub);
  free(u->login);
  free(u->uid);
  free(u->keys);
  memset(u, 0, sizeof(*u));
}

/* Append u (fields owned) to the last group. */
static int push_user(struct pc_snap *s, struct pc_snap_user *u) {
  struct pc_snap_group *g = &s->groups[s->n - 1];
  struct pc_snap_user *grown = realloc(g->users, (g->n + 1) * sizeof(*grown));

  if (grown == NULL)
    return -1;
  g->users = grown;
  grown[g->n++] = *u;
  return 0;
}

enum pc_status pc_snap_add_user(struct pc_snap *s, const struct pc_config *cfg,
                                json_object *user, struct pc_error *skipped) {
  const char *name = pc_json_str(user, "Username");
  const char *sub = attribute(user, "sub");
  const char *login, *flag;
  json_object *en;
  struct pc_snap_user u;

  if (s->n == 0)
    return pc_error_set(skipped, PC_ERR_CONFIG, "no group to add users to");
  if (name == NULL || sub == NULL || *sub == '\0')
    return pc_error_set(skipped, PC_ERR_PROTOCOL, "a user record without %s",
                        name == NULL ? "Username" : "a sub attribute");
  login = strcmp(cfg->login_claim, "cognito:username") == 0
              ? name
              : attribute(user, cfg->login_claim);
  flag = pc_claim_verified_flag(cfg->login_claim);
  memset(&u, 0, sizeof(u));
  if (login != NULL && flag != NULL) {
    const char *v = attribute(user, flag);

    if (v == NULL || strcmp(v, "true") != 0) {
      login = NULL;
      u.unverified = 1;
    }
  }
  /* A missing Enabled is not a yes. */
  u.enabled = json_object_object_get_ex(user, "Enabled", &en) &&
              json_object_is_type(en, json_type_boolean) &&
              json_object_get_boolean(en);
  if (dup_opt(&u.username, name) != 0 || dup_opt(&u.sub, sub) != 0 ||
      dup_opt(&u.login, login) != 0 ||
      dup_opt(&u.uid, attribute(user, cfg->uid_attribute)) != 0 ||
      dup_opt(&u.keys, attribute(user, cfg->ssh_keys_attribute)) != 0 ||
      push_user(s, &u) != 0) {
    user_free(&u);
    return pc_error_set(skipped, PC_ERR_NOMEM, "out of memory");
  }
  return PC_OK;
}

void pc_snap_group_free(struct pc_snap_group *g) {
  size_t j;

  for (j = 0; j < g->n; j++)
    user_free(&g->users[j]);
  free(g->users);
  free(g->name);
  memset(g, 0, sizeof(*g));
}

void pc_snap_free(struct pc_snap *s) {
  size_t i;

  for (i = 0; i < s->n; i++)
    pc_snap_group_free(&s->groups[i]);
  free(s->groups);
  memset(s, 0, sizeof(*s));
}

static int add_opt(json_object *o, const char *key, const char *v) {
  return v == NULL ? 0 : pc_json_add_str(o, key, v);
}

json_object *pc_snap_to_json(const struct pc_snap *s) {
  json_object *root = json_object_new_object(), *groups = NULL;
  size_t i, j;

  if (root == NULL || pc_json_add_str(root, "Format", PC_SNAP_FORMAT) != 0)
    goto fail;
  groups = json_object_new_array();
  if (groups == NULL || json_object_object_add(root, "Groups", groups) != 0) {
    json_object_put(groups);
    goto fail;
  }
  for (i = 0; i < s->n; i++) {
    json_object *g = json_object_new_object(), *users = json_object_new_array();

    if (g == NULL || users == NULL || json_object_array_add(groups, g) != 0 ||
        pc_json_add_str(g, "GroupName", s->groups[i].name) != 0 ||
        json_object_object_add(g, "Users", users) != 0) {
      json_object_put(users);
      goto fail;
    }
    for (j = 0; j < s->groups[i].n; j++) {
      const struct pc_snap_user *u = &s->groups[i].users[j];
      json_object *o = json_object_new_object();

      if (o == NULL || json_object_array_add(users, o) != 0 ||
          pc_json_add_str(o, "Username", u->username) != 0 ||
          pc_json_add_str(o, "sub", u->sub) != 0 ||
          add_opt(o, "login", u->login) != 0 || add_opt(o, "uid", u->uid) ||
          add_opt(o, "ssh_keys", u->keys) != 0 ||
          (u->unverified &&
           json_object_object_add(o, "LoginUnverified",
                                  json_object_new_boolean(1)) != 0) ||
          json_object_object_add(o, "Enabled",
                                 json_object_new_boolean(u->enabled)) != 0)
        goto fail;
    }
  }
  return root;
fail:
  json_object_put(root);
  return NULL;
}

enum pc_status pc_snap_export(const struct pc_snap *s, const char *path,
                              struct pc_error *err) {
  json_object *root = pc_snap_to_json(s);
  const char *text;
  size_t len = 0;
  enum pc_status st;

  if (root == NULL)
    return pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  text = json_object_to_json_string_length(
      root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED, &len);
  st = text == NULL ? pc_error_set(err, PC_ERR_NOMEM, "out of memory")
                    : pc_nss_write_file(path, text, len, 0644, NULL, err);
  json_object_put(root);
  return st;
}

static char *read_file(const char *path, size_t *len, struct pc_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  struct stat st;
  char *buf = NULL;
  ssize_t n;

  *len = 0;
  if (fd < 0) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: cannot open: %s", path,
                 strerror(errno));
    return NULL;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > PC_SNAP_MAX) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: not a regular file of at most %ld bytes", path,
                 PC_SNAP_MAX);
    goto out;
  }
  buf = malloc((size_t)st.st_size + 1);
  if (buf == NULL) {
    pc_error_set(err, PC_ERR_NOMEM, "out of memory");
    goto out;
  }
  while (*len < (size_t)st.st_size) {
    n = read(fd, buf + *len, (size_t)st.st_size - *len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    *len += (size_t)n;
  }
  buf[*len] = '\0';
out:
  (void)close(fd);
  return buf;
}

static const char *opt_str(json_object *o, const char *key, int *bad) {
  json_object *v;

  if (!json_object_object_get_ex(o, key, &v))
    return NULL;
  if (!json_object_is_type(v, json_type_string))
    *bad = 1;
  return json_object_get_string(v);
}

/* One group of the export file into s. */
static int import_group(struct pc_snap *s, json_object *g) {
  const char *name = pc_json_str(g, "GroupName");
  json_object *users, *en;
  size_t i, n;

  if (name == NULL || !json_object_object_get_ex(g, "Users", &users) ||
      !json_object_is_type(users, json_type_array) ||
      pc_snap_add_group(s, name) != 0)
    return -1;
  n = json_object_array_length(users);
  for (i = 0; i < n; i++) {
    json_object *o = json_object_array_get_idx(users, i);
    struct pc_snap_user u;
    int bad = 0;

    memset(&u, 0, sizeof(u));
    if (pc_json_str(o, "Username") == NULL || pc_json_str(o, "sub") == NULL ||
        !json_object_object_get_ex(o, "Enabled", &en) ||
        !json_object_is_type(en, json_type_boolean))
      return -1;
    u.enabled = json_object_get_boolean(en);
    u.unverified = json_object_object_get_ex(o, "LoginUnverified", &en) &&
                   json_object_get_boolean(en);
    if (dup_opt(&u.username, pc_json_str(o, "Username")) != 0 ||
        dup_opt(&u.sub, pc_json_str(o, "sub")) != 0 ||
        dup_opt(&u.login, opt_str(o, "login", &bad)) != 0 ||
        dup_opt(&u.uid, opt_str(o, "uid", &bad)) != 0 ||
        dup_opt(&u.keys, opt_str(o, "ssh_keys", &bad)) != 0 || bad ||
        push_user(s, &u) != 0) {
      user_free(&u);
      return -1;
    }
  }
  return 0;
}

enum pc_status pc_snap_from_json(struct pc_snap *s, json_object *root,
                                 const char *what, struct pc_error *err) {
  const char *fmt = pc_json_str(root, "Format");
  json_object *groups;
  size_t i, n;

  if (root == NULL || fmt == NULL || strcmp(fmt, PC_SNAP_FORMAT) != 0 ||
      !json_object_object_get_ex(root, "Groups", &groups) ||
      !json_object_is_type(groups, json_type_array))
    return pc_error_set(err, PC_ERR_CONFIG,
                        "%s: not a pam_cognito-sync export (Format %s)", what,
                        PC_SNAP_FORMAT);
  n = json_object_array_length(groups);
  for (i = 0; i < n; i++)
    if (import_group(s, json_object_array_get_idx(groups, i)) != 0) {
      pc_snap_free(s);
      return pc_error_set(err, PC_ERR_CONFIG, "%s: group %zu is malformed",
                          what, i + 1);
    }
  return PC_OK;
}

enum pc_status pc_snap_import(struct pc_snap *s, const char *path,
                              struct pc_error *err) {
  size_t len;
  char *text = read_file(path, &len, err);
  json_object *root;
  enum pc_status st;

  if (text == NULL)
    return pc_error_failed(err, PC_ERR_CONFIG);
  root = pc_json_parse_object(text, len);
  free(text);
  st = pc_snap_from_json(s, root, path, err);
  json_object_put(root);
  return st;
}
