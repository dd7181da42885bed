/* SPDX-License-Identifier: MIT */
/* AWS credentials for the session (identity pool), handed from auth to the
 * session stages through the per-user cache. */
#ifndef PAM_COGNITO_SESSION_H
#define PAM_COGNITO_SESSION_H

#include "net/api.h"
#include "tokens/tokens.h"
#include "module.h"

/* After a successful login: exchange the ID token for AWS credentials when an
 * identity pool is configured, reusing the login's connection. Failures are
 * logged; whether they fail the login is decided by credentials_required.
 * Returns PAM_SUCCESS or the PAM error to return. */
int pc_session_after_auth(struct pc_module *m, const char *user,
                          struct pc_client *cl, const struct pc_tokens *t);

#endif
