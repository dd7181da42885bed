/* SPDX-License-Identifier: MIT */
/* jwks_cache: the pool's JWKS kept between logins, root-only, in
 * <cache_dir>/.private/jwks-<user_pool_id>.json (the original issuer's) and
 * jwks-updated-<user_pool_id>.json (the updated issuer's), each with the
 * time it was fetched, so that most logins need no extra request. */
#ifndef PAM_COGNITO_JWKS_CACHE_H
#define PAM_COGNITO_JWKS_CACHE_H

#include <time.h>

#include "base/buf.h"
#include "config/cfg.h"
#include "config/endpoint.h"

/* The stored JWKS of the issuer form, and keeping one: as below. */
int pc_jwks_store_load_form(const struct pc_config *cfg,
                            enum pc_issuer_form form, struct pc_buf *out,
                            time_t *fetched)
    __attribute__((warn_unused_result));
int pc_jwks_store_save_form(const struct pc_config *cfg,
                            enum pc_issuer_form form, const char *jwks,
                            size_t len, time_t fetched);

/* The original issuer's: load the stored JWKS document into out (pc_buf_free
 * it) and when it was fetched into *fetched. 0, or -1 when there is none usable
 * (absent, not root's, garbage: a missing store only costs a fetch). */
int pc_jwks_store_load(const struct pc_config *cfg, struct pc_buf *out,
                       time_t *fetched) __attribute__((warn_unused_result));

/* Keep jwks (a JWKS document) with fetched as its fetch time. Only root
 * writes it; a failure is not an error for the login (it returns -1 and
 * the next login fetches again). */
int pc_jwks_store_save(const struct pc_config *cfg, const char *jwks,
                       size_t len, time_t fetched);

#endif
