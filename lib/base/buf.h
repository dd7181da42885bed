/* SPDX-License-Identifier: MIT */
/* A growable byte buffer with a hard maximum: every byte that arrives from
 * the network lands in one of these, so a hostile server cannot make us
 * allocate without bound. Always NUL-terminated after a successful append. */
#ifndef PAM_COGNITO_BUF_H
#define PAM_COGNITO_BUF_H

#include <stddef.h>

struct pc_buf {
  char *data; /* NUL-terminated contents, or NULL when empty */
  size_t len; /* bytes used, excluding the terminator */
  size_t cap; /* bytes allocated */
  size_t max; /* appends that would pass this fail */
};

void pc_buf_init(struct pc_buf *b, size_t max);
/* 0 on success; -1 when the result would exceed max or memory ran out
 * (the buffer is unchanged then). */
int pc_buf_append(struct pc_buf *b, const void *data, size_t n)
    __attribute__((warn_unused_result));
/* Append printf-formatted text; 0 or -1 as above. No temporary copy is
 * made, so secrets may be formatted in. */
int pc_buf_appendf(struct pc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), warn_unused_result));
/* Append s as a JSON string literal (quotes, escapes for '"', '\\' and
 * control characters). Used to write documents holding secrets without
 * json-c, which would leave copies in freed memory. 0 or -1. */
int pc_buf_append_json_str(struct pc_buf *b, const char *s)
    __attribute__((warn_unused_result));
/* Append ", \"key\": " and val as a JSON string literal: one member of a
 * hand-written JSON object (keys are ours, never escaped). 0 or -1. */
int pc_buf_append_json_member(struct pc_buf *b, const char *key,
                              const char *val)
    __attribute__((warn_unused_result));
/* The contents as a string ("" when empty), still in memory kept out of
 * core dumps; b is left empty. Release it with pc_buf_string_free, never
 * free(). NULL when memory ran out. */
char *pc_buf_take(struct pc_buf *b) __attribute__((warn_unused_result));
/* Wipe and release a string of pc_buf_take; *s becomes NULL. */
void pc_buf_string_free(char **s);
/* Append a NULL-terminated list of strings (list may be NULL: empty) as a
 * JSON array. 0 or -1. */
int pc_buf_append_json_str_list(struct pc_buf *b, char *const *list)
    __attribute__((warn_unused_result));
/* Wipe the contents (they may hold tokens), free, and reset to empty. */
void pc_buf_free(struct pc_buf *b);

#endif
