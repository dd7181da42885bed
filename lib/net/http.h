/* SPDX-License-Identifier: MIT */
/* JSON-over-HTTPS transport. One handle per login: libcurl keeps the
 * connection alive between calls. TLS verification is always on. */
#ifndef PAM_COGNITO_HTTP_H
#define PAM_COGNITO_HTTP_H

#include <stddef.h>
#include "base/bounds.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/status.h"

struct pc_http;

/* A transport: the default one is libcurl; tests and fuzzers may supply their
 * own. post() sends body to url with the given X-Amz-Target and fills status
 * and resp (resp is bounded by PC_HTTP_MAX_RESPONSE). It returns PC_OK when an
 * HTTP answer arrived (whatever its status), PC_ERR_UNAVAIL on connection
 * failure or timeout, PC_ERR_TOO_LARGE when the answer (a header or the
 * body) is too large. */
struct pc_http_ops {
  enum pc_status (*post)(struct pc_http *h, const char *url, const char *target,
                         const char *body, size_t body_len, long *status,
                         struct pc_buf *resp);
  void (*destroy)(struct pc_http *h);
  /* GET url (no body, no X-Amz-Target), same results as post(); NULL in a
   * transport that cannot: pc_http_get then reports PC_ERR_UNAVAIL. */
  enum pc_status (*get)(struct pc_http *h, const char *url, long *status,
                        struct pc_buf *resp);
};

/* Create a libcurl transport. timeout: seconds for connect and for the whole
 * call; ca_file may be NULL. NULL on failure. */
struct pc_http *pc_http_new(long timeout, const char *ca_file);

/* Create a transport with custom ops and an opaque pointer for them. */
struct pc_http *pc_http_new_custom(const struct pc_http_ops *ops, void *opaque);
void *pc_http_opaque(struct pc_http *h);

enum pc_status pc_http_post(struct pc_http *h, const char *url,
                            const char *target, const char *body,
                            size_t body_len, long *status, struct pc_buf *resp)
    __attribute__((warn_unused_result));

/* POST a form (application/x-www-form-urlencoded, no X-Amz-Target): the
 * AWS query protocol of STS. The reply's body is kept whatever its
 * Content-Type (STS answers XML). A custom transport's post() sees it as
 * target "". */
enum pc_status pc_http_post_form(struct pc_http *h, const char *url,
                                 const char *body, size_t body_len,
                                 long *status, struct pc_buf *resp)
    __attribute__((warn_unused_result));

/* GET a document (the pool's JWKS) over the same connection and rules. */
enum pc_status pc_http_get(struct pc_http *h, const char *url, long *status,
                           struct pc_buf *resp)
    __attribute__((warn_unused_result));

void pc_http_free(struct pc_http *h);

/* Bound the next calls to ms milliseconds in all (connect included); 0 goes
 * back to the timeout given at creation. Custom transports ignore it. */
void pc_http_set_call_timeout_ms(struct pc_http *h, long ms);

/* Send h's calls through the forward proxy at url (https_proxy; the
 * environment's proxy variables stay ignored). 0, or -1 when h is not a
 * libcurl transport or libcurl refused. */
int pc_http_set_proxy(struct pc_http *h, const char *url);

/* Share one budget of network time (login_timeout): *left_ms, in
 * milliseconds, bounds every later call of h (each gets the smaller of its
 * own timeout and what is left) and is decreased by the time each takes.
 * When it is spent, calls fail at once with PC_ERR_UNAVAIL. left_ms must
 * outlive h's calls; NULL removes the budget. */
void pc_http_share_budget(struct pc_http *h, long *left_ms);

/* Count ms of waiting (a retry's backoff) against the budget. */
void pc_http_charge(struct pc_http *h, long ms);

/* Milliseconds left in the budget (LONG_MAX without one). */
long pc_http_budget_left(const struct pc_http *h);

/* Why the last call failed, in words for a log line ("login_timeout
 * spent", "reply header too large"), or NULL when it did not fail or no
 * more is known than its status. */
const char *pc_http_failure(const struct pc_http *h);

/* Why the last call got no answer below 500 (error.h): PC_CAUSE_SERVER for
 * a 5xx answer, PC_CAUSE_NONE for any other answer. A custom transport
 * reports its own with pc_http_set_cause during post() (else: NONE). */
enum pc_cause pc_http_cause(const struct pc_http *h);
void pc_http_set_cause(struct pc_http *h, enum pc_cause c);

/* The x-amzn-RequestId header of the last answer ("" when none; raw
 * server text). A custom transport reports it with pc_http_set_request_id
 * during post(). */
/* 1 when a Content-Type names JSON (application/json or Amazon's
 * application/x-amz-json-1.x, parameters allowed); NULL is not JSON. */
int pc_http_json_type(const char *content_type);

const char *pc_http_request_id(const struct pc_http *h);
void pc_http_set_request_id(struct pc_http *h, const char *id);
/* Sign every later call of this libcurl transport with AWS SigV4
 * (libcurl's CURLOPT_AWS_SIGV4) for region and service ("cognito-idp"),
 * adding X-Amz-Security-Token when session_token is not NULL. The strings are
 * copied (the token copy is wiped on free; libcurl's own copies of the key
 * are freed with the handle). 0, or -1 for custom transports, bad arguments
 * or no memory. */
int pc_http_set_aws_sigv4(struct pc_http *h, const char *region,
                          const char *service, const char *key_id,
                          const char *secret, const char *session_token)
    __attribute__((warn_unused_result));

/* Why libcurl must not start in this process (a reason to log), or NULL. */
const char *pc_http_unsafe_environment(void);

/* ---- connections kept for a whole PAM transaction (lib/login/warmup.c) ----
 * A pool is a libcurl share handle holding the connection cache, the DNS
 * cache and TLS sessions. Every handle that uses it leaves its connections
 * there, so a later call, a later stage or a warm-up's connection is
 * reused. Handles of one pool must not run transfers at the same time
 * (libcurl does not support concurrent use of shared connections): the
 * warm-up thread is always joined before the login sends anything. */
struct pc_http_pool;

/* The process-wide libcurl set-up (idempotent); 0, or -1 when libcurl must
 * not or cannot start here. */
int pc_http_global_init(void) __attribute__((warn_unused_result));

struct pc_http_pool *pc_http_pool_new(void);
void pc_http_pool_free(struct pc_http_pool *p); /* closes its connections */

/* Let h (a libcurl transport) use pool p from now on. 0, or -1 (custom
 * transport, libcurl error): h then keeps its own connections. */
int pc_http_use_pool(struct pc_http *h, struct pc_http_pool *p);

/* A libcurl easy handle (CURL *) set up exactly like the transport's (so
 * its connection is reusable by it), for a GET of url whose answer is
 * read and dropped, in pool p. The caller runs it and frees it with
 * curl_easy_cleanup. NULL on failure. */
void *pc_http_pool_get_handle(struct pc_http_pool *p, const char *url,
                              long timeout, const char *ca_file);

#endif
