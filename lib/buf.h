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
/* Append s as a JSON string literal (quotes, escapes for '"', '\\' and
 * control characters). Used to write documents holding secrets without
 * json-c, which would leave copies in freed memory. 0 or -1. */
int pc_buf_append_json_str(struct pc_buf *b, const char *s)
    __attribute__((warn_unused_result));
/* Wipe the contents (they may hold tokens), free, and reset to empty. */
void pc_buf_free(struct pc_buf *b);

#endif
