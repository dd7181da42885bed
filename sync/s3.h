/* SPDX-License-Identifier: MIT */
/* One object in S3 (or an S3-compatible store): PUT and conditional GET,
 * SigV4-signed by libcurl with keys from the sync's credential chain. */
#ifndef PAM_COGNITO_S3_H
#define PAM_COGNITO_S3_H

#include <stddef.h>
#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "sync/aws_keys.h"

#define PC_S3_ETAG_MAX 128
#define PC_S3_MAX (64L * 1024 * 1024) /* largest object read */

/* The HTTP URL of url: s3://bucket/key (key taken byte for byte: a space,
 * '+', '%' or UTF-8 is part of the name) becomes the bucket's
 * virtual-hosted URL in cfg->region; an https:// (or http:// to loopback)
 * URL keeps its host and query and has its path decoded. Either way the
 * path is sent as SigV4 signs it for S3: each segment percent-encoded
 * (RFC 3986 unreserved characters kept), '/' kept. Heap string, or NULL
 * for a URL of neither kind, a key with a control character or a "." or
 * ".." segment. */
char *pc_s3_http_url(const struct pc_config *cfg, const char *url);

/* PUT body at url. PC_OK, or the failure with err. */
enum pc_status pc_s3_put(const struct pc_config *cfg,
                         const struct pc_chain_creds *cr, const char *url,
                         const char *body, size_t len, struct pc_error *err)
    __attribute__((warn_unused_result));

/* GET url; with etag non-empty, If-None-Match: etag. PC_OK with *body
 * (*len bytes; release it with pc_buf_string_free) and etag replaced by the
 * reply's ETag; PC_ABSENT for 304 Not Modified (nothing read); else the
 * failure. */
enum pc_status pc_s3_get(const struct pc_config *cfg,
                         const struct pc_chain_creds *cr, const char *url,
                         char etag[PC_S3_ETAG_MAX], char **body, size_t *len,
                         struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
