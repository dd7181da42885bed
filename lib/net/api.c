/* SPDX-License-Identifier: MIT */
/* pc_api_call: one Cognito operation over the client's transport, with
 * retries and the mapping of server errors to statuses. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_write.h"
#include "base/secret.h"
#include "net/api.h"
#include "net/api_errors.h"
#include "net/retry.h"

static const char idp_service[] = "AWSCognitoIdentityProviderService";
static const char identity_service_name[] = "AWSCognitoIdentityService";

enum pc_status pc_client_init(struct pc_client *cl, const struct pc_config *cfg,
                              struct pc_http *http) {
  memset(cl, 0, sizeof(*cl));
  if (cfg == NULL) {
    pc_http_free(http);
    return PC_ERR_CONFIG;
  }
  cl->cfg = cfg;
  cl->retries = 2;
  cl->idp_url = pc_config_idp_url(cfg);
  cl->identity_url = pc_config_identity_url(cfg);
  if (cl->idp_url == NULL || cl->identity_url == NULL) {
    pc_http_free(http);
    pc_client_free(cl);
    return cfg->region == NULL ? PC_ERR_CONFIG : PC_ERR_NOMEM;
  }
  if (http == NULL) {
    http = pc_http_new(cfg->timeout, cfg->ca_file);
    /* https_proxy: a proxy that cannot be set is not silently skipped. */
    if (http != NULL && cfg->https_proxy != NULL &&
        pc_http_set_proxy(http, cfg->https_proxy) != 0) {
      pc_http_free(http);
      http = NULL;
    }
  }
  if (http == NULL) {
    pc_client_free(cl);
    return PC_ERR_UNAVAIL;
  }
  cl->http = http;
  return PC_OK;
}

void pc_client_free(struct pc_client *cl) {
  pc_http_free(cl->http);
  free(cl->idp_url);
  free(cl->identity_url);
  memset(cl, 0, sizeof(*cl));
}

/* Copy the bare error name into dst: the part after the last '#'
 * ("com.amazonaws...#NotAuthorizedException"), cut at the first ':'
 * ("NotAuthorizedException:http://internal..." as in x-amzn-ErrorType). */
static void bare_type(char *dst, size_t n, const char *raw) {
  const char *p;
  size_t len;
  char tmp[128];

  if (n == 0)
    return;
  dst[0] = '\0';
  if (raw == NULL)
    return;
  p = strrchr(raw, '#');
  p = p ? p + 1 : raw;
  len = strcspn(p, ":");
  if (len >= sizeof(tmp))
    len = sizeof(tmp) - 1;
  memcpy(tmp, p, len);
  tmp[len] = '\0';
  pc_sanitize(dst, n, tmp);
}

enum pc_status pc_api_map_error(const char *type) {
  /* An empty type is no Cognito answer at all. */
  if (type == NULL || *type == '\0')
    return PC_ERR_PROTOCOL;
  return pc_errtable_find(type, NULL)->status;
}

/* Judge one HTTP answer (a pc_reply_judge; ctx: where the reply object
 * goes). Sets *retry when another attempt may help. */
static enum pc_status handle_reply(void *ctx, long status,
                                   const struct pc_buf *rb,
                                   struct pc_error *err, int *retry) {
  json_object **resp = ctx;
  json_object *o = pc_json_parse_object(rb->data, rb->len);
  const char *msg;
  enum pc_status st;

  *retry = 0;
  err->type[0] = '\0';
  err->message[0] = '\0';
  /* Cognito answers success with 200 only: any other status carrying a
   * body (tokens included) is not a success. */
  if (status == 200) {
    if (o == NULL) {
      (void)snprintf(err->message, sizeof(err->message),
                     "reply is not a JSON object (HTTP %ld)", status);
      return PC_ERR_PROTOCOL;
    }
    /* A success that also names an error is neither: never use the
     * tokens of such a reply. */
    if (json_object_object_get_ex(o, "__type", NULL)) {
      bare_type(err->type, sizeof(err->type), pc_json_str(o, "__type"));
      (void)snprintf(err->message, sizeof(err->message),
                     "HTTP 200 reply carries an error type");
      pc_json_put_secret(o);
      return PC_ERR_PROTOCOL;
    }
    *resp = o;
    return PC_OK;
  }
  if (o != NULL) {
    bare_type(err->type, sizeof(err->type), pc_json_str(o, "__type"));
    msg = pc_json_str(o, "message");
    if (msg == NULL)
      msg = pc_json_str(o, "Message");
    if (msg != NULL)
      pc_sanitize(err->message, sizeof(err->message), msg);
    pc_json_put_secret(o); /* a refused reply may still carry tokens */
  }
  if (status >= 500) {
    st = PC_ERR_UNAVAIL;
    *retry = 1;
  } else if (status < 400 || err->type[0] == '\0') {
    st = PC_ERR_PROTOCOL;
  } else {
    /* lib/net/api_errors.c: the status and whether to retry, by type and the
     * meaning its message carries. */
    const struct pc_errtable_row *row =
        pc_errtable_find(err->type, err->message);
    st = row->status;
    *retry = row->retry;
  }
  if (err->message[0] == '\0')
    (void)snprintf(err->message, sizeof(err->message),
                   "HTTP %ld without a usable error description", status);
  return st;
}

/* Calls whose repetition could do the work twice: a 5xx may come after the
 * server used up the code or changed the password. They are retried only
 * when the server refused them outright (throttling). */
static int replayable(const char *op) {
  return strcmp(op, "RespondToAuthChallenge") != 0 &&
         strcmp(op, "ChangePassword") != 0;
}

/* "type: message [note]", and for an app client that lacks the request's
 * flow, the ExplicitAuthFlows value to add (syslog's words for the admin). */
static void explain(struct pc_error *err, enum pc_status st, json_object *req) {
  const struct pc_errtable_row *row = pc_errtable_find(err->type, err->message);
  const char *allow = pc_errtable_allow_flow(row, pc_json_str(req, "AuthFlow"));

  if (allow != NULL)
    (void)pc_error_set(err, st,
                       "%s: %s [%s: the app client's ExplicitAuthFlows "
                       "need %s]",
                       err->type, err->message, row->note, allow);
  else
    (void)pc_error_set(err, st, "%s: %s [%s]", err->type, err->message,
                       row->note);
}

enum pc_status pc_api_call(struct pc_client *cl, enum pc_service service,
                           const char *op, json_object *req, json_object **resp,
                           struct pc_error *err) {
  struct pc_error scratch;
  struct pc_buf req_body;
  struct pc_request rq;
  char target[128];
  enum pc_status st;
  int n;

  if (err == NULL)
    err = &scratch;
  memset(err, 0, sizeof(*err));
  if (resp != NULL)
    *resp = NULL;
  if (resp == NULL || cl == NULL || cl->http == NULL || op == NULL ||
      req == NULL)
    return pc_error_set(err, PC_ERR_CONFIG, "invalid API call");
  n = snprintf(
      target, sizeof(target), "%s.%s",
      service == PC_IDENTITY_POOL ? identity_service_name : idp_service, op);
  if (n < 0 || (size_t)n >= sizeof(target))
    return pc_error_set(err, PC_ERR_CONFIG, "invalid API operation");

  /* Written by us into a buffer wiped below: json-c's serialiser would
   * leave pieces of passwords in the blocks its print buffer outgrows. */
  pc_buf_init(&req_body, SIZE_MAX);
  if (pc_json_write(req, &req_body) != 0) {
    pc_buf_free(&req_body);
    return pc_error_set(err, PC_ERR_NOMEM, "%s: out of memory", op);
  }
  rq = (struct pc_request){service == PC_IDENTITY_POOL ? cl->identity_url
                                                       : cl->idp_url,
                           target,
                           &req_body,
                           replayable(op),
                           handle_reply,
                           resp};
  st = pc_send_with_retries(cl->http, cl->cfg, cl->retries, &rq, err);
  pc_buf_free(&req_body);
  if (st != PC_OK && err->type[0])
    explain(err, st, req);
  else if (st == PC_ERR_PROTOCOL && err->message[0])
    /* what was wrong with the reply ("reply is not a JSON object") */
    (void)pc_error_set(err, st, "%s: %s: %s", op, pc_status_str(st),
                       err->message);
  else if (st != PC_OK)
    (void)pc_error_set(err, st, "%s: %s", op,
                       pc_http_failure(cl->http) ? pc_http_failure(cl->http)
                                                 : pc_status_str(st));
  return st;
}

enum pc_status pc_api_send(struct pc_client *cl, enum pc_service service,
                           const char *op, json_object *req, json_object **resp,
                           struct pc_error *err) {
  enum pc_status st;

  if (req == NULL) {
    pc_error_clear(err);
    if (resp != NULL)
      *resp = NULL;
    return pc_error_set(err, PC_ERR_NOMEM, "%s: out of memory", op);
  }
  st = pc_api_call(cl, service, op, req, resp, err);
  pc_json_put_secret(req);
  return st;
}
