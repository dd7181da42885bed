/* SPDX-License-Identifier: MIT */
/* Typed Cognito calls over one transport, with error mapping from __type.
 * Response objects are json-c objects owned by the caller (json_object_put);
 * when they can hold tokens, pass them to pc_json_put_secret instead. */
#ifndef PAM_COGNITO_API_H
#define PAM_COGNITO_API_H

#include <json-c/json.h>
#include "base/error.h"
#include "base/json.h"
#include "base/status.h"
#include "config/cfg.h"
#include "net/http.h"

/* The two services a client speaks to. */
enum pc_service {
  PC_USER_POOL,    /* AWSCognitoIdentityProviderService (cognito-idp) */
  PC_IDENTITY_POOL /* AWSCognitoIdentityService (cognito-identity) */
};

struct pc_client {
  const struct pc_config *cfg; /* borrowed */
  struct pc_http *http;        /* owned; one connection reused per login */
  char *idp_url;
  char *identity_url;
  int retries; /* retries on throttling/5xx, default 2 */
};

/* Build a client over cfg; http may be NULL (libcurl with cfg's timeout and
 * ca_file) or a custom transport whose ownership passes to the client. */
enum pc_status pc_client_init(struct pc_client *cl, const struct pc_config *cfg,
                              struct pc_http *http)
    __attribute__((warn_unused_result));
void pc_client_free(struct pc_client *cl);

/* One call of op (e.g. "InitiateAuth") on service. On PC_OK *resp holds
 * the parsed JSON object. On error err (may be NULL) carries the status,
 * mapped from the server's __type (PC_ERR_PROTOCOL when the reply is not a
 * JSON object), the server's type, message and request id, and a detail
 * "type: message" or "op: what failed". The request body is wiped after
 * sending: it may hold a password. Retries TooManyRequests/5xx with
 * backoff. */
enum pc_status pc_api_call(struct pc_client *cl, enum pc_service service,
                           const char *op, json_object *req, json_object **resp,
                           struct pc_error *err)
    __attribute__((warn_unused_result));

/* pc_api_call that consumes req: it is dropped with pc_json_put_secret
 * whatever happens, and a NULL req (building it ran out of memory) is
 * PC_ERR_NOMEM. */
enum pc_status pc_api_send(struct pc_client *cl, enum pc_service service,
                           const char *op, json_object *req, json_object **resp,
                           struct pc_error *err)
    __attribute__((warn_unused_result));

/* Map a Cognito error type (namespace prefix tolerated) to a status, by
 * lib/net/api_errors.c; an unknown type is PC_ERR_DENIED, an empty one
 * PC_ERR_PROTOCOL. */
enum pc_status pc_api_map_error(const char *type);

#endif
