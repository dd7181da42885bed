/* SPDX-License-Identifier: MIT */
/* One request with its retries; see retry.h. */
#include "config.h"

#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <time.h>

#include "base/secret.h"
#include "net/retry.h"

/* Backoff between retries: BASE, 2*BASE, ... each with jitter, never more
 * than PC_BACKOFF_BUDGET_MS in total (the call timeout bounds the rest). */
#define PC_BACKOFF_BASE_MS 100UL
#define PC_BACKOFF_BUDGET_MS 1000UL

static void sleep_ms(unsigned long ms) {
  struct timespec ts, rem;

  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
    ts = rem;
}

/* Delay before retry number attempt (0-based): half of BASE << attempt plus
 * a random half, so that hosts throttled together do not retry together. */
static unsigned long backoff_ms(int attempt) {
  unsigned long ms = PC_BACKOFF_BASE_MS << (attempt < 3 ? attempt : 3);
  unsigned int r = 0;

  if (RAND_bytes((unsigned char *)&r, (int)sizeof(r)) != 1)
    r = 0;
  return ms / 2 + (unsigned long)r % (ms / 2 + 1);
}

static long elapsed_ms(const struct timespec *since) {
  struct timespec now;

  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)(now.tv_sec - since->tv_sec) * 1000L +
         (now.tv_nsec - since->tv_nsec) / 1000000L;
}

/* One try within time_left_ms. *retry: the reply asks for another (never
 * after no answer at all: the timeout already bounded that wait). */
static enum pc_status attempt_call(struct pc_http *http,
                                   const struct pc_request *rq,
                                   long time_left_ms, struct pc_error *err,
                                   int *retry) {
  struct pc_buf rb;
  long status = 0;
  enum pc_status st;

  pc_buf_init(&rb, PC_HTTP_MAX_RESPONSE);
  pc_http_set_call_timeout_ms(http, time_left_ms);
  st = pc_http_post(http, rq->url, rq->target, rq->body->data, rq->body->len,
                    &status, &rb);
  err->http_status = status;
  /* The last attempt's: a 5xx counts as such only after the retries. */
  err->cause = pc_http_cause(http);
  pc_sanitize(err->request_id, sizeof(err->request_id),
              pc_http_request_id(http));
  if (st != PC_OK) {
    /* No answer (connection failure, timeout, oversized reply): the
     * timeout already bounded the wait, so do not multiply it. */
    pc_buf_free(&rb);
    (void)snprintf(err->message, sizeof(err->message), "%s",
                   pc_http_failure(http) ? pc_http_failure(http)
                                         : pc_status_str(st));
    err->status = st;
    err->detail[0] = '\0'; /* no judge spoke: the caller words it */
    *retry = 0;
    return st;
  }
  st = rq->judge(rq->ctx, status, &rb, err, retry);
  pc_buf_free(&rb); /* wiped: it may hold tokens or credentials */
  if (status >= 500 && !rq->replayable)
    *retry = 0;
  return st;
}

/* The pause before retry number attempt: 1 after it, 0 when the backoff
 * budget, the call's timeout or login_timeout leave no room for it. */
static int pause_before_retry(struct pc_http *http, int attempt,
                              unsigned long *slept, long budget_ms,
                              const struct timespec *start) {
  unsigned long delay = backoff_ms(attempt);

  if (*slept + delay > PC_BACKOFF_BUDGET_MS ||
      elapsed_ms(start) + (long)delay + 500 > budget_ms ||
      (long)delay + 500 > pc_http_budget_left(http))
    return 0;
  sleep_ms(delay);
  pc_http_charge(http, (long)delay); /* waiting is network time too */
  *slept += delay;
  return 1;
}

enum pc_status pc_send_with_retries(struct pc_http *http,
                                    const struct pc_config *cfg, int retries,
                                    const struct pc_request *rq,
                                    struct pc_error *err) {
  unsigned long slept = 0;
  struct timespec start;
  enum pc_status st;
  long budget_ms;
  int attempt, retry;

  /* The retries share one timeout: a slow, failing server must not hold
   * sshd for retries times the timeout. */
  budget_ms = (cfg != NULL && cfg->timeout > 0 ? cfg->timeout : 10) * 1000L;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (attempt = 0;; attempt++) {
    st = attempt_call(http, rq, budget_ms - elapsed_ms(&start), err, &retry);
    if (st == PC_OK || !retry || attempt >= retries ||
        !pause_before_retry(http, attempt, &slept, budget_ms, &start))
      break;
  }
  pc_http_set_call_timeout_ms(http, 0);
  return st;
}
