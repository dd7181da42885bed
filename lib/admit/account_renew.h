/* SPDX-License-Identifier: MIT */
/* account_renew: the account stage's refresh (root) for a user whose
 * tokens may be bound to a device and whose app client may rotate refresh
 * tokens. The account record and the helper's hand-over each keep a copy of
 * the refresh token; under rotation whoever renews first replaces it, so a
 * copy Cognito calls superseded is retried with the other one, and a
 * rotated token is written to the hand-over too. The refresh call that
 * works for the client is remembered (tokens/refresh_call.h). */
#ifndef PAM_COGNITO_ACCOUNT_RENEW_H
#define PAM_COGNITO_ACCOUNT_RENEW_H

#include "base/error.h"
#include "base/status.h"
#include "net/api.h"
#include "net/usercontext.h"
#include "tokens/tokens.h"

/* Refresh refresh_token of local user (Cognito name cognito_user), bound to
 * device_key (NULL: the device record's key, as records from before the
 * key was kept with the token). ctx: for ClientMetadata, may be NULL. PC_OK
 * with tokens; tokens->refresh_token set when the token in use changed
 * (rotated, or the hand-over's newer copy) and tokens->device_key when
 * Cognito named a new device: the caller keeps those. */
enum pc_status
pc_account_refresh(struct pc_client *cl, const char *user,
                   const char *cognito_user, const char *refresh_token,
                   const char *device_key, const struct pc_usercontext *ctx,
                   struct pc_tokens *tokens, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
