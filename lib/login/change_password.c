/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "login/change_password.h"

enum pc_status pc_change_password(struct pc_client *cl,
                                  const char *access_token,
                                  const char *old_password,
                                  const char *new_password,
                                  struct pc_error *err) {
  json_object *req = json_object_new_object(), *resp = NULL;
  enum pc_status st;

  pc_error_clear(err);
  req = pc_json_keep(
      req, !req || pc_json_add_str(req, "PreviousPassword", old_password) ||
               pc_json_add_str(req, "ProposedPassword", new_password) ||
               pc_json_add_str(req, "AccessToken", access_token));
  st = pc_api_send(cl, PC_USER_POOL, "ChangePassword", req, &resp, err);
  pc_json_put_secret(resp);
  return st;
}
