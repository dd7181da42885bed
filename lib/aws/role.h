/* SPDX-License-Identifier: MIT */
/* role: which IAM role a session's AWS credentials are for. A user pool
 * puts the IAM roles of the user's groups into the ID token: cognito:roles
 * (every role the user may have) and cognito:preferred_role (the role of
 * the group with the single best precedence). An identity pool with
 * token-based role mapping gives a role only from cognito:roles: the
 * CustomRoleArn asked for when it is one of them, else the preferred role,
 * else its AmbiguousRoleResolution decides (the default authenticated role,
 * or a refusal). The refusals this module can foresee are said before any
 * call; the identity pool's own is explained after it. */
#ifndef PAM_COGNITO_ROLE_H
#define PAM_COGNITO_ROLE_H

#include <json-c/json.h>

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"

/* The role to ask for, by cfg's role_arn and the ID token's claims
 * (pc_jwt_claims of it, decoded once by the caller; NULL: none): PC_OK
 * with *role a heap string (role_arn, else cognito:preferred_role), or NULL
 * when there is neither and the enhanced flow lets the identity pool
 * choose. Refused before any call, as PC_ERR_DENIED (pc_role_refused): a
 * role_arn that the token's cognito:roles does not list; the basic flow
 * (basic != 0) with neither role_arn nor a preferred role. */
enum pc_status pc_role_choose(const struct pc_config *cfg, json_object *claims,
                              int basic, char **role, struct pc_error *err)
    __attribute__((warn_unused_result));

/* After GetCredentialsForIdentity failed with err: when the identity pool
 * refused because its role mapping could not choose (NotAuthorizedException
 * "The ambiguous role mapping rules for: ... denied this request."), turn
 * err into a role refusal that says why and what to change, and return its
 * status (PC_ERR_DENIED); else PC_OK with err untouched (another failure). */
enum pc_status pc_role_explain_refusal(const struct pc_config *cfg,
                                       json_object *claims,
                                       struct pc_error *err);

/* 1 when err is a role refusal of this module: its detail (for syslog)
 * begins "AWS role: ", and its message holds the words for the person. */
int pc_role_refused(const struct pc_error *err);

#endif
