/* Typed Cognito calls over one transport, with error mapping from __type.
 * Response objects are json-c objects owned by the caller (json_object_put);
 * when they can hold tokens, pass them to pc_json_put_secret instead. */
#ifndef PAM_COGNITO_API_H
#define PAM_COGNITO_API_H

#include <json-c/json.h>
#include "cfg.h"
#include "http.h"
#include "json.h"
#include "status.h"

struct pc_api_error {
  char type[96];     /* __type without namespace, "" when none */
  char message[512]; /* server message, control characters stripped */
  long http_status;  /* 0 when no HTTP answer arrived */
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

/* One call: service is "AWSCognitoIdentityProviderService" (user pool) or
 * "AWSCognitoIdentityService" (identity pool); op e.g. "InitiateAuth".
 * On PC_OK *resp holds the parsed JSON object. On error err describes it and
 * the status is mapped from __type (PC_ERR_PROTOCOL when the reply is not a
 * JSON object). The request body is wiped after sending: it may hold a
 * password. Retries TooManyRequests/5xx with backoff. */
enum pc_status pc_api_call(struct pc_client *cl, int identity_service,
                           const char *op, json_object *req, json_object **resp,
                           struct pc_api_error *err)
    __attribute__((warn_unused_result));

/* Map a Cognito error type (namespace prefix tolerated) to a status. */
enum pc_status pc_api_map_error(const char *type, const char *message);

/* base64(HMAC-SHA256(secret, username || client_id)); heap string or NULL. */
char *pc_secret_hash(const char *client_secret, const char *username,
                     const char *client_id);

/* Copy src into dst (size n), replacing control characters with '?', so that
 * server text is safe to show on a terminal or log. */
void pc_sanitize(char *dst, size_t n, const char *src);

#endif
