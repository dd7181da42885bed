/* SPDX-License-Identifier: MIT */
/* pam_cognito-sync --plan: the Cognito and S3 request rates a fleet
 * makes in the direct mode and in the snapshot mode, beside the documented
 * quotas (docs/SCALE.md gives the sources). Arithmetic only, no network. */
#ifndef PAM_COGNITO_PLAN_H
#define PAM_COGNITO_PLAN_H

#include <stdio.h>

/* The quotas the plan compares with, requests per second. */
#define PC_PLAN_USERLIST_RPS 30.0 /* Cognito UserList category, per account */
/* Cognito UserPoolClientRead category (ListUserPoolClients,
 * DescribeUserPoolClient), per account */
#define PC_PLAN_CLIENTREAD_RPS 15.0
#define PC_PLAN_S3_GET_RPS 5500.0 /* S3 GET/HEAD per partitioned prefix */
#define PC_PLAN_PAGE 60           /* ListUsersInGroup's largest Limit */

struct pc_plan {
  long hosts;    /* hosts running pam_cognito-sync */
  long interval; /* seconds between runs of each host (and the publisher) */
  long groups;   /* synced groups */
  long members;  /* members of each group */
  long clients;  /* app clients checked for writable attributes */
};

/* Requests of one direct run, by operation. */
struct pc_plan_run {
  long list_members; /* ListUsersInGroup pages */
  long client_reads; /* ListUserPoolClients + DescribeUserPoolClient */
};

/* What one run of the sync asks Cognito for, for plan p. */
void pc_plan_run_cost(const struct pc_plan *p, struct pc_plan_run *r);

/* The rates of both modes and their share of each quota, as text. */
void pc_plan_print(FILE *f, const struct pc_plan *p);

#endif
