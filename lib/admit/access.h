/* SPDX-License-Identifier: MIT */
/* access: who of the pool may log in to this host, decided only on claims
 * that idtoken.c verified.
 *
 * Binding: the claim named by login_claim must equal the Cognito sign-in
 * name (the local name plus username_suffix), so that a token for another
 * user (an alias, "ALICE" in a case-insensitive pool) never opens alice's
 * account. An e-mail or phone claim counts only when Cognito marks it
 * verified. Rules: when allowed_users or allowed_groups is set, the local
 * user must be listed or hold one of the groups (cognito:groups). */
#ifndef PAM_COGNITO_ACCESS_H
#define PAM_COGNITO_ACCESS_H

#include <stddef.h>
#include <json-c/json.h>

#include "base/error.h"
#include "config/cfg.h"

enum pc_access {
  PC_ACCESS_ALLOWED,
  PC_ACCESS_NOT_BOUND,   /* the token is not the local user's identity */
  PC_ACCESS_NOT_ALLOWED, /* bound, but no allowed_users/groups rule matches */
  PC_ACCESS_NOMEM
};

/* Decide for local user on verified claims; why (for syslog) says which
 * rule or check decided a refusal. */
enum pc_access pc_access_decide(const struct pc_config *cfg, const char *user,
                                json_object *claims, struct pc_error *why);

/* 1 when the rules admit a user with these groups (NULL-terminated list,
 * may be NULL), else 0: the same rule pc_access_decide applies, for a
 * decision remembered without the token. */
int pc_access_rules_admit(const struct pc_config *cfg, const char *user,
                          char *const *groups);

/* The cognito:groups claim as a new NULL-terminated list (empty when the
 * user is in no group), or NULL when memory runs out or the claim is not an
 * array of strings. Free with pc_access_groups_free. */
char **pc_access_groups(json_object *claims);
void pc_access_groups_free(char **groups);

#endif
