/* SPDX-License-Identifier: MIT */
/* Connections opened while a person types: during a prompt, a worker thread
 * opens TCP and TLS to the user-pool endpoint (and to the identity endpoint
 * when an identity pool is configured) in a pc_http_pool, so that when the
 * answer arrives only the protocol's own requests remain. During a long
 * prompt it uses them again every PC_WARMUP_INTERVAL_MS, so that a server
 * or NAT closing idle connections does not cost a handshake after Enter.
 *
 * Each round is one GET that real Cognito answers cheaply and that carries
 * nothing of the user's: the pool's JWKS document
 * (<idp>/<user_pool_id>/.well-known/jwks.json) and the identity endpoint's
 * "GET /" (an UnknownOperation error; only the connection matters). Any
 * failure is ignored, and so is a connection not ready when the answer
 * arrives: the login then opens its own connection. */
#ifndef PAM_COGNITO_WARMUP_H
#define PAM_COGNITO_WARMUP_H

#include "config/cfg.h"
#include "net/http.h"

#define PC_WARMUP_INTERVAL_MS 20000L

enum pc_warmup_mode {
  PC_WARMUP_NOW,  /* the first prompt: connect at once, then keep them */
  PC_WARMUP_KEEP, /* later prompts: the connections are fresh; keep them */
};

struct pc_warmup;

/* Start the worker for one prompt. cfg and pool are borrowed and must
 * outlive pc_warmup_stop. NULL when nothing was started (no memory, no
 * thread, libcurl may not start here): that is not an error. */
struct pc_warmup *pc_warmup_start(struct pc_http_pool *pool,
                                  const struct pc_config *cfg,
                                  enum pc_warmup_mode mode);

/* The answer is here: stop at once, join the thread and free everything.
 * Connections that are ready stay in the pool; a transfer still under way
 * (a connection being opened, a request not yet answered) is abandoned and
 * its connection closed, so the login never waits for the warm-up: it uses
 * a connection of its own instead. Call before any other use of the pool;
 * NULL is fine. Returns the milliseconds the stop took, network waiting of
 * the caller's (login_timeout). */
long pc_warmup_stop(struct pc_warmup *w);

#endif
