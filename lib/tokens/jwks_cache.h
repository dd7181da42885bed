/* SPDX-License-Identifier: MIT */
/* jwks_cache: the pool's JWKS kept between logins, root-only, in
 * <cache_dir>/.private/jwks-<user_pool_id>.json with the time it was
 * fetched, so that most logins need no extra request. */
#ifndef PAM_COGNITO_JWKS_CACHE_H
#define PAM_COGNITO_JWKS_CACHE_H

#include <time.h>

#include "base/buf.h"
#include "config/cfg.h"

/* Load the stored JWKS document into out (pc_buf_free it) and when it was
 * fetched into *fetched. 0, or -1 when there is none usable (absent, not
 * root's, garbage: a missing store only costs a fetch). */
int pc_jwks_store_load(const struct pc_config *cfg, struct pc_buf *out,
                       time_t *fetched) __attribute__((warn_unused_result));

/* Keep jwks (a JWKS document) with fetched as its fetch time. Only root
 * writes it; a failure is not an error for the login (it returns -1 and
 * the next login fetches again). */
int pc_jwks_store_save(const struct pc_config *cfg, const char *jwks,
                       size_t len, time_t fetched);

#endif
