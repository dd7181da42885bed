/* SPDX-License-Identifier: MIT */
/* authorize: the one check between "Cognito accepted the password" and
 * PAM_SUCCESS: the ID token verified (idtoken.h), bound to the local user
 * and admitted by the access rules (access.h). Used by the auth stage after
 * a login and by the account stage after a refresh. */
#ifndef PAM_COGNITO_AUTHORIZE_H
#define PAM_COGNITO_AUTHORIZE_H

#include <time.h>

#include "admit/access.h"
#include "base/status.h"
#include "net/api.h"

struct pc_verdict {
  enum pc_access access; /* meaningful when the call returned PC_OK */
  char **groups;         /* cognito:groups of the verified token */
  char *cognito_user;    /* its cognito:username (for SECRET_HASH) */
  struct pc_error why;   /* for syslog when refused; no secrets */
};

/* Verify id_token for local user at now and decide. PC_OK when the token is
 * valid (v->access then says whether the user is admitted: both need
 * checking); PC_ERR_AUTH when the token failed a check; PC_ERR_UNAVAIL /
 * PC_ERR_PROTOCOL when the keys could not be had. Release with
 * pc_verdict_free in every case. */
enum pc_status pc_authorize(struct pc_client *cl, const char *user,
                            const char *id_token, time_t now,
                            struct pc_verdict *v)
    __attribute__((warn_unused_result));

void pc_verdict_free(struct pc_verdict *v);

#endif
