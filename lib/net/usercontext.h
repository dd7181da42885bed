/* SPDX-License-Identifier: MIT */
/* usercontext: who is signing in, from where, for the pool's threat
 * protection and its Lambda triggers. UserContextData carries the remote
 * address (IpAddress; Cognito takes it only from app clients with a secret
 * and EnablePropagateAdditionalUserContextData, so it is sent only with a
 * client_secret); ClientMetadata carries the client_metadata group with
 * %u %s %h %r filled in. Both go on InitiateAuth and RespondToAuthChallenge.
 * Cognito's compromised-credentials check does not run for USER_SRP_AUTH:
 * the password never reaches the server. */
#ifndef PAM_COGNITO_USERCONTEXT_H
#define PAM_COGNITO_USERCONTEXT_H

#include <json-c/json.h>
#include <stddef.h>

#include "config/cfg.h"
#include "config/metadata.h"

/* The sign-in's circumstances; every field may be NULL. */
struct pc_usercontext {
  const char *user;    /* %u: the PAM user */
  const char *service; /* %s: the PAM service */
  const char *rhost;   /* %r: PAM_RHOST; IpAddress when it is an address */
};

/* Add UserContextData and ClientMetadata to req as cfg asks (ctx may be
 * NULL: nothing from it). Returns req, or NULL after dropping it when
 * memory ran out (pc_api_send then fails with PC_ERR_NOMEM). */
json_object *pc_usercontext_add(json_object *req, const struct pc_config *cfg,
                                const struct pc_usercontext *ctx);

/* ClientMetadata alone, for calls that take no UserContextData
 * (GetTokensFromRefreshToken); returns as pc_usercontext_add. */
json_object *pc_usercontext_metadata(json_object *req,
                                     const struct pc_config *cfg,
                                     const struct pc_usercontext *ctx);

#endif
