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

/* The gid of name in the group file at path: 0 found, 1 not there, -1
 * unreadable. */
static int etc_gid(const char *path, const char *name, long *gid) {
  FILE *f = fopen(path, "re");
  struct group *gr;
  int rc = 1;

  if (f == NULL)
    return -1;
  while ((gr = fgetgrent(f)) != NULL)
    if (strcmp(gr->gr_name, name) == 0) {
      *gid = (long)gr->gr_gid;
      rc = 0;
      break;
    }
  (void)fclose(f);
  return rc;
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
                                const char *name, const char *etc_group,
                                pc_nss_log_fn log, void *ud,
                                struct pc_nss_db *db, size_t max,
                                struct pc_error *err) {
  struct pc_nss_entry *e;
  long gid = -1;
  size_t i;
  int rc = etc_gid(etc_group, name, &gid);

  if (rc < 0)
    return pc_error_set(err, PC_ERR_CONFIG, "%s: %s", etc_group,
                        strerror(errno));
  if (rc > 0)
    return pc_error_set(err, PC_ERR_CONFIG,
                        "local_groups: %s: group %s does not exist on this "
                        "host (%s)",
                        g, name, etc_group);
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
  enum pc_status rc = PC_OK;

  if (cfg->local_groups == NULL)
    return PC_OK;
  db->locals = calloc(max, sizeof(*db->locals));
  if (db->locals == NULL)
    return pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  for (i = 0; cfg->local_groups[i] != NULL && rc == PC_OK; i++) {
    char g[PC_FLEET_GROUP_MAX + 1], name[64];
    const char *eq = strchr(cfg->local_groups[i], '='), *p;

    (void)snprintf(g, sizeof(g), "%.*s", (int)(eq - cfg->local_groups[i]),
                   cfg->local_groups[i]);
    for (p = eq + 1; rc == PC_OK && *p != '\0';) {
      size_t len = strcspn(p, ",");

      (void)snprintf(name, sizeof(name), "%.*s", (int)len, p);
      rc = one_local(st, g, name, etc_group, log, ud, db, max, err);
      p += len + (p[len] == ',');
    }
  }
  if (rc == PC_OK)
    tidy(db);
  return rc;
}
