/* SPDX-License-Identifier: MIT */
/* The sync's state file made from a run and written; see nssstate.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "sync/nssstate.h"

/* The synced groups whose members include sub (NULL-terminated). */
static char **groups_of(const struct pc_snap *s, const char *sub) {
  char **l = calloc(s->n + 1, sizeof(*l));
  size_t i, j, n = 0;

  if (l == NULL)
    return NULL;
  for (i = 0; i < s->n; i++)
    for (j = 0; j < s->groups[i].n; j++)
      if (strcmp(s->groups[i].users[j].sub, sub) == 0 &&
          s->groups[i].users[j].enabled) {
        l[n] = strdup(s->groups[i].name);
        if (l[n++] == NULL) {
          for (j = 0; j + 1 < n; j++)
            free(l[j]);
          free(l);
          return NULL;
        }
        break;
      }
  return l;
}

int pc_nss_state_make(const struct pc_config *cfg, const struct pc_snap *s,
                      const struct pc_nss_db *db, pc_admit_fn admit, time_t now,
                      struct pc_syncstate *out) {
  size_t i;

  memset(out, 0, sizeof(*out));
  out->written = (long long)now;
  out->users = calloc(db->nu + 1, sizeof(*out->users));
  if (out->users == NULL)
    return -1;
  for (i = 0; i < db->nu; i++) {
    struct pc_synced_user *u = &out->users[out->n];

    u->name = strdup(db->users[i].name);
    u->uid = db->users[i].id;
    u->groups = groups_of(s, db->users[i].key);
    out->n++;
    if (u->name == NULL || u->groups == NULL) {
      pc_syncstate_free(out);
      return -1;
    }
    u->admitted = admit(cfg, u->name, u->groups) ? 1 : 0;
  }
  return 0;
}

enum pc_status pc_nss_state_write(const struct pc_config *cfg,
                                  const struct pc_syncstate *st,
                                  struct pc_error *err) {
  char path[4096], line[8192];
  struct pc_buf b;
  size_t i;
  enum pc_status rc;

  pc_buf_init(&b, 64L * 1024 * 1024);
  if (pc_syncstate_path(cfg, path, sizeof(path)) != 0 ||
      pc_syncstate_header(st->written, line, sizeof(line)) != 0 ||
      pc_buf_append(&b, line, strlen(line)) != 0)
    goto nomem;
  for (i = 0; i < st->n; i++)
    if (pc_syncstate_line(&st->users[i], line, sizeof(line)) != 0 ||
        pc_buf_append(&b, line, strlen(line)) != 0)
      goto nomem;
  rc = pc_nss_write_file(path, b.data, b.len, 0644, NULL, err);
  pc_buf_free(&b);
  return rc;
nomem:
  pc_buf_free(&b);
  return pc_error_set(err, PC_ERR_NOMEM,
                      "the state file: out of memory or a line "
                      "too long");
}
