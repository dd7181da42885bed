/* SPDX-License-Identifier: MIT */
/* metadata: the client_metadata key's text form, checked at config load;
 * net/usercontext.c fills the values in on each sign-in call. */
#ifndef PAM_COGNITO_METADATA_H
#define PAM_COGNITO_METADATA_H

#include <stddef.h>

#include "base/error.h"

/* Longest key, longest value after substitution, and most entries. */
#define PC_METADATA_KEY_MAX 128
#define PC_METADATA_VALUE_MAX 256
#define PC_METADATA_MAX 16

/* The text form of client_metadata ("key=value" lines; a module argument
 * holds one) -> a NULL-terminated list of "key=value" strings. Keys are
 * 1..128 printable characters without '=', values printable, at most
 * PC_METADATA_VALUE_MAX, '%' only before u, s, h, r or '%'. PC_OK, or
 * PC_ERR_CONFIG with a message in err. */
enum pc_status pc_metadata_parse(const char *text, char ***out,
                                 struct pc_error *err);

/* What the keys of one entry a line share (client_metadata, the fleet
 * maps): text -> a NULL-terminated list of its non-empty lines, at most max,
 * each accepted by check(ctx, line, len, err) first. key names the key in
 * err's messages. PC_OK, or PC_ERR_CONFIG with err set and nothing kept. */
typedef enum pc_status (*pc_line_check_fn)(const void *ctx, const char *line,
                                           size_t len, struct pc_error *err);
enum pc_status pc_config_lines(const char *text, const char *key, size_t max,
                               pc_line_check_fn check, const void *ctx,
                               char ***out, struct pc_error *err);

#endif
