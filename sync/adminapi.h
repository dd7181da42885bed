/* SPDX-License-Identifier: MIT */
/* The user-pool admin calls pam_cognito-sync makes, signed with SigV4 by
 * the client's transport (pc_http_set_aws_sigv4), with Cognito's
 * pagination (Limit 60, NextToken). */
#ifndef PAM_COGNITO_ADMINAPI_H
#define PAM_COGNITO_ADMINAPI_H

#include <stddef.h>
#include <json-c/json.h>
#include "base/error.h"
#include "net/api.h"

/* Cognito's page size limit for the list calls. */
#define PC_ADMIN_PAGE 60
/* A pool with more pages than this is a server that never stops. */
#define PC_ADMIN_MAX_PAGES 20000

/* Called for each user object of a ListUsersInGroup page (borrowed); a
 * non-zero return stops the listing with PC_ERR_NOMEM. */
typedef int (*pc_admin_user_cb)(json_object *user, void *ud);

/* Every member of group, page by page. PC_OK, or a status with a message
 * naming the call, the group and the server's __type in err. *pages counts
 * the requests made. */
enum pc_status pc_admin_list_users_in_group(struct pc_client *cl,
                                            const char *group,
                                            pc_admin_user_cb cb, void *ud,
                                            long *pages, struct pc_error *err)
    __attribute__((warn_unused_result));

/* Every app client of the pool (ListUserPoolClients, then
 * DescribeUserPoolClient for each): 1 when no client lets its users write
 * any attribute of attrs (NULL-terminated; roles[i] says what the sync
 * takes attrs[i] for, e.g. "uid_attribute"): PC_OK; PC_ERR_DENIED with the
 * client and the attribute named in err; or the failed call's status
 * (message in err). A client without WriteAttributes counts as writing
 * every attribute but sub and the verified flags. */
enum pc_status pc_admin_clients_write(struct pc_client *cl,
                                      const char *const *attrs,
                                      const char *const *roles, long *pages,
                                      struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
