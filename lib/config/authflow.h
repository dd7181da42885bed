/* SPDX-License-Identifier: MIT */
/* authflow: the one table of InitiateAuth's AuthFlow names this module
 * sends or hears of: which of them the auth_flow setting may name (enum
 * pc_auth_flow), and the ExplicitAuthFlows value an app client needs to
 * take each. */
#ifndef PAM_COGNITO_AUTHFLOW_H
#define PAM_COGNITO_AUTHFLOW_H

/* The auth_flow setting (lib/config/cfg.c). */
enum pc_auth_flow {
  PC_FLOW_SRP = 0,      /* USER_SRP_AUTH */
  PC_FLOW_PASSWORD = 1, /* USER_PASSWORD_AUTH */
  PC_FLOW_USER_AUTH = 2 /* USER_AUTH: choice-based sign-in (first_factors) */
};

/* The AuthFlow name of f ("USER_SRP_AUTH"). */
const char *pc_auth_flow_name(enum pc_auth_flow f);

/* The auth_flow setting's value name as *f: 0, or -1 for a name that is
 * not one of its choices. */
int pc_auth_flow_parse(const char *name, enum pc_auth_flow *f)
    __attribute__((warn_unused_result));

/* The ExplicitAuthFlows value that lets an app client take the AuthFlow
 * name ("ALLOW_USER_SRP_AUTH"), or NULL for a name the table lacks. */
const char *pc_auth_flow_allow(const char *name);

#endif
