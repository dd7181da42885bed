/* SPDX-License-Identifier: MIT */
/* ListUsersInGroup and ListGroups with pagination; see adminapi.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adminapi.h"
#include "cfg.h"
#include "error.h"

/* One page: the request carries the pool, the optional group, Limit and the
 * token of the previous page. */
static enum pc_status page(struct pc_client *cl, const char *op,
                           const char *group, const char *token,
                           json_object **resp, char *err, size_t errlen) {
  struct pc_error ae;
  json_object *req = json_object_new_object();
  enum pc_status st;

  if (req == NULL ||
      pc_json_add_str(req, "UserPoolId", cl->cfg->user_pool_id) != 0 ||
      (group != NULL && pc_json_add_str(req, "GroupName", group) != 0) ||
      json_object_object_add(req, "Limit",
                             json_object_new_int(PC_ADMIN_PAGE)) != 0 ||
      (token != NULL && pc_json_add_str(req, "NextToken", token) != 0)) {
    json_object_put(req);
    pc_setf(err, errlen, "%s: out of memory", op);
    return PC_ERR_NOMEM;
  }
  st = pc_api_call(cl, PC_USER_POOL, op, req, resp, &ae);
  json_object_put(req);
  if (st != PC_OK)
    pc_setf(err, errlen, "%s%s%s: %s%s%s (HTTP %ld)", op, group ? " " : "",
            group ? group : "", ae.type[0] ? ae.type : pc_status_str(st),
            ae.message[0] ? ": " : "", ae.message, ae.http_status);
  return st;
}

/* The NextToken of a reply, copied into *token (NULL at the last page).
 * -1 when the server hands back the token it was given: it would loop. */
static int next_token(json_object *resp, char **token) {
  const char *t = pc_json_str(resp, "NextToken");
  char *copy;

  if (t == NULL || *t == '\0') {
    free(*token);
    *token = NULL;
    return 0;
  }
  if (*token != NULL && strcmp(*token, t) == 0)
    return -1;
  copy = strdup(t);
  if (copy == NULL)
    return -1;
  free(*token);
  *token = copy;
  return 0;
}

enum pc_status pc_admin_list_users_in_group(struct pc_client *cl,
                                            const char *group,
                                            pc_admin_user_cb cb, void *ud,
                                            long *pages, char *err,
                                            size_t errlen) {
  static const char op[] = "ListUsersInGroup";
  char *token = NULL;
  enum pc_status st = PC_OK;
  long n;

  for (n = 0; n < PC_ADMIN_MAX_PAGES; n++) {
    json_object *resp = NULL, *users;
    size_t i, len;

    st = page(cl, op, group, token, &resp, err, errlen);
    (*pages)++;
    if (st != PC_OK)
      break;
    if (!json_object_object_get_ex(resp, "Users", &users) ||
        !json_object_is_type(users, json_type_array)) {
      pc_setf(err, errlen, "%s %s: reply has no Users array", op, group);
      st = PC_ERR_PROTOCOL;
    } else {
      len = json_object_array_length(users);
      for (i = 0; i < len && st == PC_OK; i++)
        if (cb(json_object_array_get_idx(users, i), ud) != 0) {
          pc_setf(err, errlen, "%s %s: out of memory", op, group);
          st = PC_ERR_NOMEM;
        }
      if (st == PC_OK && next_token(resp, &token) != 0) {
        pc_setf(err, errlen, "%s %s: the server repeated a NextToken", op,
                group);
        st = PC_ERR_PROTOCOL;
      }
    }
    json_object_put(resp);
    if (st != PC_OK || token == NULL)
      break;
  }
  if (st == PC_OK && token != NULL) {
    pc_setf(err, errlen, "%s %s: more than %d pages", op, group,
            PC_ADMIN_MAX_PAGES);
    st = PC_ERR_PROTOCOL;
  }
  free(token);
  return st;
}

/* Remember each group name of a ListGroups page in the have list. */
static int collect(json_object *resp, char ***have, size_t *n) {
  json_object *groups;
  size_t i, len;

  if (!json_object_object_get_ex(resp, "Groups", &groups) ||
      !json_object_is_type(groups, json_type_array))
    return -1;
  len = json_object_array_length(groups);
  for (i = 0; i < len; i++) {
    const char *name =
        pc_json_str(json_object_array_get_idx(groups, i), "GroupName");
    char **grown;

    if (name == NULL)
      return -1;
    grown = realloc(*have, (*n + 2) * sizeof(**have));
    if (grown == NULL)
      return -1;
    *have = grown;
    grown[*n] = strdup(name);
    if (grown[*n] == NULL)
      return -1;
    grown[++*n] = NULL;
  }
  return 0;
}

int pc_admin_groups_exist(struct pc_client *cl, char *const *want, long *pages,
                          enum pc_status *st, char *err, size_t errlen) {
  char **have = NULL, *token = NULL;
  size_t n = 0, i, used = 0;
  int rc = -1;
  long p;

  *st = PC_OK;
  for (p = 0; p < PC_ADMIN_MAX_PAGES; p++) {
    json_object *resp = NULL;

    *st = page(cl, "ListGroups", NULL, token, &resp, err, errlen);
    (*pages)++;
    if (*st != PC_OK)
      goto out;
    if (collect(resp, &have, &n) != 0 || next_token(resp, &token) != 0) {
      json_object_put(resp);
      pc_setf(err, errlen, "ListGroups: malformed reply");
      *st = PC_ERR_PROTOCOL;
      goto out;
    }
    json_object_put(resp);
    if (token == NULL)
      break;
  }
  if (token != NULL) {
    pc_setf(err, errlen, "ListGroups: more than %d pages", PC_ADMIN_MAX_PAGES);
    *st = PC_ERR_PROTOCOL;
    goto out;
  }
  rc = 1;
  for (i = 0; want[i] != NULL; i++) {
    if (pc_config_list_has(have, want[i]))
      continue;
    if (rc == 1) {
      used = (size_t)snprintf(err, errlen, "no such group in the pool:");
      rc = 0;
    }
    if (used < errlen)
      used += (size_t)snprintf(err + used, errlen - used, " %s", want[i]);
  }
out:
  for (i = 0; i < n; i++)
    free(have[i]);
  free(have);
  free(token);
  return rc;
}
