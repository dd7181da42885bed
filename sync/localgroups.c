/* SPDX-License-Identifier: MIT */
/* local_groups into extrausers group entries; see localgroups.h. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "config/fleetmaps.h"
#include "sync/localgroups.h"
#include "sync/privgroups.h"

/* The groups of the /etc group file, read once per run (not once per
 * local group name). */
struct etc_groups {
  const char *path;
  char **names;
  long *gids;
  size_t n;
};

static void etc_free(struct etc_groups *g) {
  size_t i;

  for (i = 0; i < g->n; i++)
    free(g->names[i]);
  free(g->names);
  free(g->gids);
}

/* Every name and gid of the group file at path into g. PC_OK, or a status
 * with err (unreadable, no memory). */
static enum pc_status etc_read(const char *path, struct etc_groups *g,
                               struct pc_error *err) {
  FILE *f = fopen(path, "re");
  struct group *gr;
  size_t cap = 0;

  memset(g, 0, sizeof(*g));
  g->path = path;
  if (f == NULL)
    return pc_error_set(err, PC_ERR_CONFIG, "%s: %s", path, strerror(errno));
  while ((gr = fgetgrent(f)) != NULL) {
    if (g->n == cap) {
      char **n = realloc(g->names, (cap * 2 + 64) * sizeof(*n));
      long *d =
          n != NULL ? realloc(g->gids, (cap * 2 + 64) * sizeof(*d)) : NULL;

      if (n != NULL)
        g->names = n;
      if (d == NULL)
        break;
      g->gids = d;
      cap = cap * 2 + 64;
    }
    g->names[g->n] = strdup(gr->gr_name);
    if (g->names[g->n] == NULL)
      break;
    g->gids[g->n++] = (long)gr->gr_gid;
  }
  (void)fclose(f);
  if (gr != NULL)
    return pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  return PC_OK;
}

/* The gid of name in g: 0 found, 1 not there. */
static int etc_gid(const struct etc_groups *g, const char *name, long *gid) {
  size_t i;

  for (i = 0; i < g->n; i++)
    if (strcmp(g->names[i], name) == 0) {
      *gid = g->gids[i];
      return 0;
    }
  return 1;
}

/* The entry of local group name in db->locals, made when missing. */
static struct pc_nss_entry *local_entry(struct pc_nss_db *db, const char *name,
                                        long gid, size_t max) {
  size_t i;

  for (i = 0; i < db->nl; i++)
    if (strcmp(db->locals[i].name, name) == 0)
      return &db->locals[i];
  if (db->nl == max)
    return NULL;
  db->locals[db->nl].name = strdup(name);
  db->locals[db->nl].id = gid;
  db->locals[db->nl].fixed = db->locals[db->nl].prev = -1;
  db->locals[db->nl].members = calloc(1, sizeof(char *));
  if (db->locals[db->nl].name == NULL || db->locals[db->nl].members == NULL)
    return NULL;
  return &db->locals[db->nl++];
}

/* Add user to e's members unless already there. 0, or -1 no memory. */
static int add_member(struct pc_nss_entry *e, const char *user) {
  size_t n = 0;
  char **grown;

  while (e->members[n] != NULL)
    if (strcmp(e->members[n++], user) == 0)
      return 0;
  grown = realloc(e->members, (n + 2) * sizeof(*grown));
  if (grown == NULL)
    return -1;
  e->members = grown;
  grown[n] = strdup(user);
  grown[n + 1] = NULL;
  return grown[n] == NULL ? -1 : 0;
}

/* One local group name for pool group g: checked, members added. */
static enum pc_status one_local(const struct pc_syncstate *st, const char *g,
                                const char *name, const struct etc_groups *etc,
                                pc_nss_log_fn log, void *ud,
                                struct pc_nss_db *db, size_t max,
                                struct pc_error *err) {
  struct pc_nss_entry *e;
  long gid = -1;
  size_t i;

  if (etc_gid(etc, name, &gid) != 0)
    return pc_error_set(err, PC_ERR_CONFIG,
                        "local_groups: %s: group %s does not exist on this "
                        "host (%s)",
                        g, name, etc->path);
  if (gid == 0)
    return pc_error_set(err, PC_ERR_CONFIG,
                        "local_groups: %s: group %s has gid 0, which is never "
                        "given",
                        g, name);
  if (pc_priv_builtin(name))
    log(ud,
        "local group %s grants privilege on this host; given to the admitted "
        "members of %s because local_groups names it",
        name, g);
  e = local_entry(db, name, gid, max);
  if (e == NULL)
    return pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  for (i = 0; i < st->n; i++)
    if (st->users[i].admitted && pc_config_list_has(st->users[i].groups, g) &&
        add_member(e, st->users[i].name) != 0)
      return pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  return PC_OK;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted members; entries without one dropped. */
static void tidy(struct pc_nss_db *db) {
  size_t i, k = 0, n;

  for (i = 0; i < db->nl; i++) {
    struct pc_nss_entry *e = &db->locals[i];

    for (n = 0; e->members[n] != NULL; n++)
      ;
    if (n == 0) {
      free(e->name);
      free(e->members);
      continue;
    }
    qsort(e->members, n, sizeof(char *), cmp_str);
    db->locals[k++] = *e;
  }
  db->nl = k;
}

enum pc_status pc_local_groups_build(const struct pc_config *cfg,
                                     const struct pc_syncstate *st,
                                     const char *etc_group, pc_nss_log_fn log,
                                     void *ud, struct pc_nss_db *db,
                                     struct pc_error *err) {
  size_t i, max = (size_t)PC_FLEET_MAX * PC_FLEET_LOCAL_MAX;
  struct etc_groups etc;
  enum pc_status rc;

  if (cfg->local_groups == NULL)
    return PC_OK;
  db->locals = calloc(max, sizeof(*db->locals));
  if (db->locals == NULL)
    return pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  rc = etc_read(etc_group, &etc, err);
  for (i = 0; cfg->local_groups[i] != NULL && rc == PC_OK; i++) {
    char g[PC_FLEET_GROUP_MAX + 1], name[64];
    const char *eq = strchr(cfg->local_groups[i], '='), *p;

    (void)snprintf(g, sizeof(g), "%.*s", (int)(eq - cfg->local_groups[i]),
                   cfg->local_groups[i]);
    for (p = eq + 1; rc == PC_OK && *p != '\0';) {
      size_t len = strcspn(p, ",");

      (void)snprintf(name, sizeof(name), "%.*s", (int)len, p);
      rc = one_local(st, g, name, &etc, log, ud, db, max, err);
      p += len + (p[len] == ',');
    }
  }
  etc_free(&etc);
  if (rc == PC_OK)
    tidy(db);
  return rc;
}
