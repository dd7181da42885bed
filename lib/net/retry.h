/* SPDX-License-Identifier: MIT */
/* retry: one request to an AWS endpoint over the client's transport, sent
 * again when its answer asks for it (throttling, a 5xx of a call that may
 * be repeated), with backoff and jitter, all attempts within the one
 * timeout budget of the configuration. How an answer is judged is the
 * caller's: Cognito's JSON (api.c), STS's XML (lib/aws/sts.c). */
#ifndef PAM_COGNITO_RETRY_H
#define PAM_COGNITO_RETRY_H

#include "base/buf.h"
#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "net/http.h"

/* Judge one HTTP answer (status and body); fill err (type, message) on
 * anything but success, and set *retry when another attempt may help. */
typedef enum pc_status (*pc_reply_judge)(void *ctx, long status,
                                         const struct pc_buf *reply,
                                         struct pc_error *err, int *retry);

struct pc_request {
  const char *url;
  const char *target;        /* X-Amz-Target; "" for a form (STS) */
  const struct pc_buf *body; /* sent as it is, every attempt */
  /* 0: a 5xx may come after the server did the work (used up a code,
   * changed a password), so only an outright refusal is retried. */
  int replayable;
  pc_reply_judge judge;
  void *ctx;
};

/* Send rq over http, retried as the judge and the budgets allow (retries
 * more attempts at most, all within cfg's timeout; NULL cfg: 10 s). The status
 * of the last attempt; err holds its HTTP status, cause and request id, and
 * what the judge set; after no answer at all (connection failure, timeout,
 * oversized reply) the transport's words in err->message and an empty
 * err->detail, for the caller to word. */
enum pc_status pc_send_with_retries(struct pc_http *http,
                                    const struct pc_config *cfg, int retries,
                                    const struct pc_request *rq,
                                    struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
