/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/secmem.h"
#include "base/secret.h"

/* First allocation: big enough for a typical Cognito reply in one go. */
#define PC_BUF_MIN_CAP 256

void pc_buf_init(struct pc_buf *b, size_t max) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

/* Move the contents to a new block, wiping the old one: realloc() would leave
 * a copy of tokens behind in freed memory. Blocks come from secmem.h: what
 * a buffer holds (tokens, keys, request bodies with passwords) stays out of
 * core dumps. */
static int grow(struct pc_buf *b, size_t need) {
  size_t cap = b->cap ? b->cap : PC_BUF_MIN_CAP;
  char *p;

  while (cap < need) {
    if (cap > SIZE_MAX / 2) {
      cap = need;
      break;
    }
    cap *= 2;
  }
  /* Never allocate past max + terminator; need itself is within that. */
  if (b->max < SIZE_MAX && cap > b->max + 1)
    cap = b->max + 1;
  if (cap < need)
    cap = need;
  p = pc_secmem_alloc(cap);
  if (p == NULL)
    return -1;
  if (b->data != NULL) {
    memcpy(p, b->data, b->len + 1);
    pc_secmem_free(b->data); /* wipes */
  }
  b->data = p;
  /* A block is whole pages: use all of it (within max) before mapping the
   * next one; reading a small file otherwise mapped four blocks. */
  cap = pc_secmem_size(p);
  if (b->max < SIZE_MAX && cap > b->max + 1)
    cap = b->max + 1;
  b->cap = cap;
  return 0;
}

int pc_buf_append(struct pc_buf *b, const void *data, size_t n) {
  size_t need;

  if (n > b->max || b->len > b->max - n)
    return -1;
  /* len + n <= max, so only the terminator can overflow. */
  if (b->len + n == SIZE_MAX)
    return -1;
  need = b->len + n + 1;
  if (need > b->cap && grow(b, need) != 0)
    return -1;
  if (n > 0)
    memcpy(b->data + b->len, data, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int pc_buf_appendf(struct pc_buf *b, const char *fmt, ...) {
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n > b->max || b->len > b->max - (size_t)n)
    return -1;
  if (b->len + (size_t)n + 1 > b->cap && grow(b, b->len + (size_t)n + 1) != 0)
    return -1;
  va_start(ap, fmt);
  n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->data[b->len] = '\0';
    return -1;
  }
  b->len += (size_t)n;
  return 0;
}

int pc_buf_append_json_member(struct pc_buf *b, const char *key,
                              const char *val) {
  if (pc_buf_appendf(b, ", \"%s\": ", key) != 0)
    return -1;
  return pc_buf_append_json_str(b, val);
}

/* The string stays in its secret block (every append keeps it terminated):
 * a document on its way to a file never passes through the heap. */
char *pc_buf_take(struct pc_buf *b) {
  char *s = b->data;

  if (s == NULL)
    s = pc_secmem_alloc(1); /* zeroed: "" */
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  return s;
}

void pc_buf_string_free(char **s) {
  if (s != NULL) {
    pc_secmem_free(*s); /* wipes */
    *s = NULL;
  }
}

void pc_buf_free(struct pc_buf *b) {
  pc_secmem_free(b->data); /* wipes */
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

/* Append s as a JSON string literal. AWS keys are plain ASCII, but escape
 * whatever arrives rather than trust it. */
int pc_buf_append_json_str(struct pc_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  char esc[6] = {'\\', 'u', '0', '0', 0, 0};

  if (pc_buf_append(b, "\"", 1) != 0)
    return -1;
  for (; *s != '\0'; s++) {
    unsigned char ch = (unsigned char)*s;
    int rc;
    if (ch == '"' || ch == '\\') {
      esc[1] = (char)ch;
      rc = pc_buf_append(b, esc, 2);
      esc[1] = 'u';
    } else if (ch < 0x20 || ch == 0x7f) {
      esc[4] = hex[ch >> 4];
      esc[5] = hex[ch & 15];
      rc = pc_buf_append(b, esc, 6);
    } else {
      rc = pc_buf_append(b, s, 1);
    }
    if (rc != 0)
      return -1;
  }
  return pc_buf_append(b, "\"", 1);
}

int pc_buf_append_json_str_list(struct pc_buf *b, char *const *list) {
  size_t i;

  if (pc_buf_append(b, "[", 1) != 0)
    return -1;
  for (i = 0; list != NULL && list[i] != NULL; i++)
    if ((i > 0 && pc_buf_append(b, ", ", 2) != 0) ||
        pc_buf_append_json_str(b, list[i]) != 0)
      return -1;
  return pc_buf_append(b, "]", 1);
}
