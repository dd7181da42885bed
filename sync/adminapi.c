/* SPDX-License-Identifier: MIT */
/* ListUsersInGroup and the app-client reads with pagination; see
 * adminapi.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "config/cfg.h"
#include "sync/adminapi.h"

/* One page: the request carries the pool, the optional group, the page
 * size (MaxResults for ListUserPoolClients, Limit for the others) and the
 * token of the previous page. */
static enum pc_status page(struct pc_client *cl, const char *op,
                           const char *group, const char *token,
                           json_object **resp, struct pc_error *err) {
  struct pc_error ae;
  json_object *req = json_object_new_object();
  const char *size =
      strcmp(op, "ListUserPoolClients") == 0 ? "MaxResults" : "Limit";
  enum pc_status st;

  if (req == NULL ||
      pc_json_add_str(req, "UserPoolId", cl->cfg->user_pool_id) != 0 ||
      (group != NULL && pc_json_add_str(req, "GroupName", group) != 0) ||
      json_object_object_add(req, size, json_object_new_int(PC_ADMIN_PAGE)) !=
          0 ||
      (token != NULL && pc_json_add_str(req, "NextToken", token) != 0)) {
    json_object_put(req);
    return pc_error_set(err, PC_ERR_NOMEM, "%s: out of memory", op);
  }
  st = pc_api_call(cl, PC_USER_POOL, op, req, resp, &ae);
  json_object_put(req);
  /* ListUsersInGroup answers for a group that does not exist: no
   * ListGroups is needed to tell a typo from an empty group. */
  if (st != PC_OK && group != NULL &&
      strcmp(ae.type, "ResourceNotFoundException") == 0)
    return pc_error_set(err, PC_ABSENT,
                        "no such group in the pool: %s (%s: %s)", group, op,
                        ae.message);
  if (st != PC_OK)
    pc_error_set(err, st, "%s%s%s: %s%s%s (HTTP %ld)", op, group ? " " : "",
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
                                            long *pages, struct pc_error *err) {
  static const char op[] = "ListUsersInGroup";
  char *token = NULL;
  enum pc_status st = PC_OK;
  long n;

  for (n = 0; n < PC_ADMIN_MAX_PAGES; n++) {
    json_object *resp = NULL, *users;
    size_t i, len;

    st = page(cl, op, group, token, &resp, err);
    (*pages)++;
    if (st != PC_OK)
      break;
    if (!json_object_object_get_ex(resp, "Users", &users) ||
        !json_object_is_type(users, json_type_array)) {
      pc_error_set(err, PC_ERR_PROTOCOL, "%s %s: reply has no Users array", op,
                   group);
      st = PC_ERR_PROTOCOL;
    } else {
      len = json_object_array_length(users);
      for (i = 0; i < len && st == PC_OK; i++)
        if (cb(json_object_array_get_idx(users, i), ud) != 0) {
          pc_error_set(err, PC_ERR_PROTOCOL, "%s %s: out of memory", op, group);
          st = PC_ERR_NOMEM;
        }
      if (st == PC_OK && next_token(resp, &token) != 0) {
        pc_error_set(err, PC_ERR_PROTOCOL,
                     "%s %s: the server repeated a NextToken", op, group);
        st = PC_ERR_PROTOCOL;
      }
    }
    json_object_put(resp);
    if (st != PC_OK || token == NULL)
      break;
  }
  if (st == PC_OK && token != NULL) {
    pc_error_set(err, PC_ERR_PROTOCOL, "%s %s: more than %d pages", op, group,
                 PC_ADMIN_MAX_PAGES);
    st = PC_ERR_PROTOCOL;
  }
  free(token);
  return st;
}

/* Whether client (a UserPoolClientType) lets users write attr. Cognito
 * leaves WriteAttributes out when the client has the default set, which
 * the API reference calls the standard attributes; read as every
 * attribute, custom ones included, but sub (immutable) and the verified
 * flags (never in the default set). An empty list reads the same way. */
static int writable(json_object *client, const char *attr) {
  json_object *list;
  size_t i, n;

  if (!json_object_object_get_ex(client, "WriteAttributes", &list) ||
      !json_object_is_type(list, json_type_array) ||
      json_object_array_length(list) == 0)
    return strcmp(attr, "sub") != 0 && strcmp(attr, "email_verified") != 0 &&
           strcmp(attr, "phone_number_verified") != 0;
  n = json_object_array_length(list);
  for (i = 0; i < n; i++) {
    const char *a = json_object_get_string(json_object_array_get_idx(list, i));

    if (a != NULL && strcmp(a, attr) == 0)
      return 1;
  }
  return 0;
}

/* DescribeUserPoolClient for one client id: 1 when none of attrs is
 * writable, 0 with the first writable one in err, -1 on a failed call. */
static int check_client(struct pc_client *cl, const char *id,
                        const char *const *attrs, const char *const *roles,
                        enum pc_status *st, struct pc_error *err) {
  static const char op[] = "DescribeUserPoolClient";
  json_object *req = json_object_new_object(), *resp = NULL, *client;
  struct pc_error ae;
  const char *name;
  size_t i;
  int rc = 1;

  if (req == NULL ||
      pc_json_add_str(req, "UserPoolId", cl->cfg->user_pool_id) != 0 ||
      pc_json_add_str(req, "ClientId", id) != 0) {
    json_object_put(req);
    *st = pc_error_set(err, PC_ERR_NOMEM, "%s: out of memory", op);
    return -1;
  }
  *st = pc_api_call(cl, PC_USER_POOL, op, req, &resp, &ae);
  json_object_put(req);
  if (*st != PC_OK) {
    pc_error_set(err, *st, "%s: %s%s%s (HTTP %ld)", op,
                 ae.type[0] ? ae.type : pc_status_str(*st),
                 ae.message[0] ? ": " : "", ae.message, ae.http_status);
    return -1;
  }
  if (!json_object_object_get_ex(resp, "UserPoolClient", &client) ||
      !json_object_is_type(client, json_type_object)) {
    json_object_put(resp);
    pc_error_set(err, PC_ERR_PROTOCOL, "%s: reply has no UserPoolClient", op);
    *st = PC_ERR_PROTOCOL;
    return -1;
  }
  name = pc_json_str(client, "ClientName");
  for (i = 0; attrs[i] != NULL && rc == 1; i++) {
    if (!writable(client, attrs[i]))
      continue;
    pc_error_set(
        err, PC_ERR_DENIED,
        "app client %s (%s) lets its users write %s (%s)%s: a pool user "
        "could choose their own %s; give every app client of the pool "
        "a WriteAttributes list without it",
        name ? name : "?", id, attrs[i], roles[i],
        json_object_object_get_ex(client, "WriteAttributes", NULL)
            ? ""
            : ", since it has no WriteAttributes list (the default lets "
              "users write their attributes)",
        strcmp(roles[i], "uid_attribute") == 0        ? "uid"
        : strcmp(roles[i], "ssh_keys_attribute") == 0 ? "SSH keys"
                                                      : "login name");
    rc = 0;
  }
  json_object_put(resp);
  return rc;
}

/* 1 none writes attrs, 0 one does (err says which), -1 a failed call
 * (*st). */
static int clients_write(struct pc_client *cl, const char *const *attrs,
                         const char *const *roles, long *pages,
                         enum pc_status *st, struct pc_error *err) {
  static const char op[] = "ListUserPoolClients";
  char *token = NULL;
  int rc = 1;
  long p;

  *st = PC_OK;
  for (p = 0; p < PC_ADMIN_MAX_PAGES && rc == 1; p++) {
    json_object *resp = NULL, *list;
    size_t i, len;

    *st = page(cl, op, NULL, token, &resp, err);
    (*pages)++;
    if (*st != PC_OK) {
      rc = -1;
      break;
    }
    if (!json_object_object_get_ex(resp, "UserPoolClients", &list) ||
        !json_object_is_type(list, json_type_array)) {
      json_object_put(resp);
      pc_error_set(err, PC_ERR_PROTOCOL,
                   "%s: reply has no UserPoolClients array", op);
      *st = PC_ERR_PROTOCOL;
      rc = -1;
      break;
    }
    len = json_object_array_length(list);
    for (i = 0; i < len && rc == 1; i++) {
      const char *id =
          pc_json_str(json_object_array_get_idx(list, i), "ClientId");

      if (id == NULL) {
        pc_error_set(err, PC_ERR_PROTOCOL, "%s: a client without ClientId", op);
        *st = PC_ERR_PROTOCOL;
        rc = -1;
        break;
      }
      rc = check_client(cl, id, attrs, roles, st, err);
      (*pages)++;
    }
    if (rc == 1 && next_token(resp, &token) != 0) {
      pc_error_set(err, PC_ERR_PROTOCOL, "%s: the server repeated a NextToken",
                   op);
      *st = PC_ERR_PROTOCOL;
      rc = -1;
    }
    json_object_put(resp);
    if (token == NULL)
      break;
  }
  if (rc == 1 && token != NULL) {
    pc_error_set(err, PC_ERR_PROTOCOL, "%s: more than %d pages", op,
                 PC_ADMIN_MAX_PAGES);
    *st = PC_ERR_PROTOCOL;
    rc = -1;
  }
  free(token);
  return rc;
}

enum pc_status pc_admin_clients_write(struct pc_client *cl,
                                      const char *const *attrs,
                                      const char *const *roles, long *pages,
                                      struct pc_error *err) {
  enum pc_status st = PC_OK;
  int rc = clients_write(cl, attrs, roles, pages, &st, err);

  return rc > 0 ? PC_OK : rc == 0 ? PC_ERR_DENIED : st;
}
