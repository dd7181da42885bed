/* SPDX-License-Identifier: MIT */
/* A request body written straight into a wiped buffer: json-c's own
 * serialiser grows its print buffer by realloc, which leaves copies of
 * passwords and tokens in freed memory. */
#ifndef PAM_COGNITO_JSON_WRITE_H
#define PAM_COGNITO_JSON_WRITE_H

#include <json-c/json.h>

#include "base/buf.h"

/* Append o as compact JSON to out (a pc_buf: grows by copy-and-wipe).
 * 0, or -1 (out of memory, past out->max, or nesting deeper than
 * PC_JSON_MAX_DEPTH). */
int pc_json_write(json_object *o, struct pc_buf *out);

#endif
