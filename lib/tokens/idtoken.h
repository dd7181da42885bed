/* SPDX-License-Identifier: MIT */
/* idtoken: verify an ID token from the user pool before anyone is let in.
 *
 * A pool's tokens carry one of two issuers (IssuerConfiguration: the
 * original https://cognito-idp.<region>.<suffix>/<pool>, or the updated
 * https://issuer-cognito-idp.<region>.<suffix>/<pool>); a token naming any
 * other is refused before any key is fetched. The signature is checked
 * against the keys that issuer publishes (its JWKS, fetched over the
 * client's connection and kept root-only in the cache, one copy per
 * issuer), then the claims: iss that issuer, aud the app client,
 * token_use "id", exp not passed. Nothing here decides who may log in: see
 * access.h. */
#ifndef PAM_COGNITO_IDTOKEN_H
#define PAM_COGNITO_IDTOKEN_H

#include <stddef.h>
#include <time.h>
#include <json-c/json.h>

#include "base/error.h"
#include "base/status.h"
#include "config/endpoint.h"
#include "net/api.h"

/* How long a fetched JWKS is used before it is fetched again, and how often
 * at most an unknown kid may cause a new fetch. */
#define PC_JWKS_TTL (6 * 3600)
#define PC_JWKS_REFETCH_MIN 60
/* Clock difference tolerated on exp and iat. */
#define PC_JWT_SKEW 60

/* The issuer of form Cognito writes into the pool's tokens (also behind an
 * overridden endpoint), pc_idtoken_issuer the original one,
 * "https://cognito-idp.<region>.<suffix>/<user_pool_id>": a heap string or
 * NULL. */
char *pc_idtoken_issuer_of(const struct pc_config *cfg,
                           enum pc_issuer_form form);
char *pc_idtoken_issuer(const struct pc_config *cfg);

/* 0 with *form when iss is exactly one of the pool's two issuers, else -1
 * (also without memory). */
int pc_idtoken_issuer_form(const struct pc_config *cfg, const char *iss,
                           enum pc_issuer_form *form);

/* The URL of the JWKS of the issuer form: the original issuer's under the
 * user-pool endpoint (pc_jwks_url), the updated issuer's under
 * pc_config_issuer_url. A heap string or NULL. */
char *pc_jwks_url_for(const struct pc_config *cfg, enum pc_issuer_form form);
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
