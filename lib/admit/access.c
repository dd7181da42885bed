/* SPDX-License-Identifier: MIT */
/* The binding of a verified token to the local user, and the allowed_users /
 * allowed_groups rules. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit/access.h"
#include "base/bounds.h"
#include "base/error.h"
#include "base/json.h"
#include "config/claimrule.h"
#include "tokens/jwt.h"

/* A verified-flag claim: Cognito writes a boolean; some pools migrated from
 * elsewhere carry the string "true". */
static int claim_true(json_object *claims, const char *name) {
  json_object *v;

  if (!json_object_object_get_ex(claims, name, &v))
    return 0;
  if (json_object_is_type(v, json_type_boolean))
    return json_object_get_boolean(v) ? 1 : 0;
  return json_object_is_type(v, json_type_string) &&
         strcmp(json_object_get_string(v), "true") == 0;
}

char **pc_access_groups(json_object *claims) {
  return pc_json_str_list(claims, "cognito:groups", PC_MAX_GROUPS);
}

void pc_access_groups_free(char **groups) {
  pc_json_str_list_free(groups);
}

int pc_access_rules_admit(const struct pc_config *cfg, const char *user,
                          char *const *groups) {
  size_t i;

  if (cfg->allowed_users == NULL && cfg->allowed_groups == NULL)
    return 1;
  if (pc_config_list_has(cfg->allowed_users, user))
    return 1;
  for (i = 0; groups != NULL && groups[i] != NULL; i++)
    if (pc_config_list_has(cfg->allowed_groups, groups[i]))
      return 1;
  return 0;
}

enum pc_access pc_access_decide(const struct pc_config *cfg, const char *user,
                                json_object *claims, struct pc_error *why) {
  const char *claim = cfg->login_claim ? cfg->login_claim : "cognito:username";
  const char *got = pc_jwt_str(claims, claim),
             *flag = pc_claim_verified_flag(claim);
  char *signin = pc_config_signin_name(cfg, user);
  char **groups;
  enum pc_access rc;

  if (signin == NULL)
    return PC_ACCESS_NOMEM;
  /* Exact bytes: "ALICE" is not "alice", whatever the pool's case rule. */
  if (got == NULL || strcmp(got, signin) != 0) {
    pc_error_set(
        why, PC_ERR_DENIED, "token claim %s %s the sign-in name", claim,
        got == NULL ? "is missing, so it cannot match" : "does not match");
    free(signin);
    return PC_ACCESS_NOT_BOUND;
  }
  free(signin);
  if (flag != NULL && !claim_true(claims, flag)) {
    pc_error_set(why, PC_ERR_DENIED,
                 "token claim %s is not verified (%s is not true)", claim,
                 flag);
    return PC_ACCESS_NOT_BOUND;
  }
  groups = pc_access_groups(claims);
  if (groups == NULL) {
    pc_error_set(why, PC_ERR_DENIED, "token claim cognito:groups is malformed");
    return PC_ACCESS_NOT_ALLOWED;
  }
  if (pc_access_rules_admit(cfg, user, groups)) {
    rc = PC_ACCESS_ALLOWED;
  } else {
    pc_error_set(why, PC_ERR_DENIED, "not in allowed_users%s",
                 cfg->allowed_groups ? " and in none of allowed_groups" : "");
    rc = PC_ACCESS_NOT_ALLOWED;
  }
  pc_access_groups_free(groups);
  return rc;
}
