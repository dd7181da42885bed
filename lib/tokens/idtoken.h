/* SPDX-License-Identifier: MIT */
/* idtoken: verify an ID token from the user pool before anyone is let in.
 *
 * The signature is checked against the pool's published keys (JWKS, fetched
 * over the client's connection and kept root-only in the cache), then the
 * claims: iss is the pool's issuer, aud the app client, token_use "id",
 * exp not passed. Nothing here decides who may log in: see access.h. */
#ifndef PAM_COGNITO_IDTOKEN_H
#define PAM_COGNITO_IDTOKEN_H

#include <stddef.h>
#include <time.h>
#include <json-c/json.h>

#include "base/error.h"
#include "base/status.h"
#include "net/api.h"

/* How long a fetched JWKS is used before it is fetched again, and how often
 * at most an unknown kid may cause a new fetch. */
#define PC_JWKS_TTL (6 * 3600)
#define PC_JWKS_REFETCH_MIN 60
/* Clock difference tolerated on exp and iat. */
#define PC_JWT_SKEW 60

/* The issuer Cognito writes into its tokens,
 * "https://cognito-idp.<region>.amazonaws.com/<user_pool_id>" (also behind an
 * overridden endpoint): a heap string or NULL. */
char *pc_idtoken_issuer(const struct pc_config *cfg);

/* The URL of the pool's JWKS under the user-pool endpoint: a heap string or
 * NULL. */
char *pc_jwks_url(const struct pc_config *cfg);

/* Verify id_token at time now. PC_OK with the verified claims in *claims
 * (json_object_put them); PC_ERR_AUTH when a check failed; PC_ERR_UNAVAIL
 * when no keys could be had; PC_ERR_PROTOCOL when the JWKS is garbage;
 * PC_ERR_NOMEM. why (for syslog, no secrets) names the failed check. */
enum pc_status pc_idtoken_verify(struct pc_client *cl, const char *id_token,
                                 time_t now, json_object **claims,
                                 struct pc_error *why)
    __attribute__((warn_unused_result));

#endif
