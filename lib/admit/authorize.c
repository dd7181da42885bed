/* SPDX-License-Identifier: MIT */
/* Token verification followed by the access decision. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admit/authorize.h"
#include "tokens/idtoken.h"
#include "tokens/jwt.h"

enum pc_status pc_authorize(struct pc_client *cl, const char *user,
                            const char *id_token, time_t now,
                            struct pc_verdict *v) {
  json_object *claims = NULL;
  const char *cu;
  enum pc_status st;

  memset(v, 0, sizeof *v);
  v->access = PC_ACCESS_NOT_ALLOWED;
  st = pc_idtoken_verify(cl, id_token, now, &claims, &v->why);
  if (st != PC_OK)
    return st;
  v->access = pc_access_decide(cl->cfg, user, claims, &v->why);
  cu = pc_jwt_str(claims, "cognito:username");
  v->groups = pc_access_groups(claims);
  v->cognito_user = cu ? strdup(cu) : NULL;
  json_object_put(claims);
  if (v->access == PC_ACCESS_NOMEM || (cu && !v->cognito_user)) {
    pc_verdict_free(v);
    return PC_ERR_NOMEM;
  }
  return PC_OK;
}

void pc_verdict_free(struct pc_verdict *v) {
  pc_access_groups_free(v->groups);
  free(v->cognito_user);
  v->groups = NULL;
  v->cognito_user = NULL;
}
