/* SPDX-License-Identifier: MIT */
/* The error channel and the sanitizer for the server text it carries. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

const char *pc_cause_str(enum pc_cause c) {
  switch (c) {
  case PC_CAUSE_NONE:
    return "an answer";
  case PC_CAUSE_REFUSED:
    return "connection refused or unreachable";
  case PC_CAUSE_NO_NAME:
    return "no such host name";
  case PC_CAUSE_SERVER:
    return "server error (5xx)";
  case PC_CAUSE_TIMEOUT:
    return "timed out";
  case PC_CAUSE_LOCAL:
    return "local resource error";
  case PC_CAUSE_OTHER:
    break;
  }
  return "connection failed";
}

void pc_error_clear(struct pc_error *e) {
  if (e != NULL)
    memset(e, 0, sizeof(*e));
}

enum pc_status pc_error_failed(const struct pc_error *e,
                               enum pc_status fallback) {
  return e != NULL && e->status != PC_OK && e->status != PC_ABSENT ? e->status
                                                                   : fallback;
}

void pc_error_note(struct pc_error *e, enum pc_status st, const char *fmt,
                   ...) {
  char raw[sizeof(e->note[0].text)];
  va_list ap;

  if (e == NULL || e->n_notes < 0 || e->n_notes >= PC_NOTES_MAX)
    return;
  va_start(ap, fmt);
  if (vsnprintf(raw, sizeof(raw), fmt, ap) < 0)
    raw[0] = '\0';
  va_end(ap);
  e->note[e->n_notes].status = st;
  pc_sanitize(e->note[e->n_notes].text, sizeof(e->note[0].text), raw);
  e->n_notes++;
}

void pc_error_add_notes(struct pc_error *dst, const struct pc_error *src) {
  int i;

  if (dst == NULL || src == NULL || dst == src)
    return;
  for (i = 0; i < src->n_notes && i < PC_NOTES_MAX; i++)
    pc_error_note(dst, src->note[i].status, "%s", src->note[i].text);
}

enum pc_status pc_error_set(struct pc_error *e, enum pc_status st,
                            const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  st = pc_error_vset(e, st, fmt, ap);
  va_end(ap);
  return st;
}

enum pc_status pc_error_vset(struct pc_error *e, enum pc_status st,
                             const char *fmt, va_list ap) {
  char raw[sizeof(e->detail)];

  if (e == NULL)
    return st;
  if (vsnprintf(raw, sizeof(raw), fmt, ap) < 0)
    raw[0] = '\0';
  /* Details quote server text and file names: keep them one clean line. */
  pc_sanitize(e->detail, sizeof(e->detail), raw);
  e->status = st;
  return st;
}

const char *pc_error_text(const struct pc_error *e, char *out, size_t n) {
  int len;

  if (out == NULL || n == 0)
    return "";
  if (e == NULL) {
    out[0] = '\0';
    return out;
  }
  if (e->detail[0])
    len = snprintf(out, n, "%s", e->detail);
  else if (e->type[0])
    len = snprintf(out, n, "%s%s%s", e->type, e->message[0] ? ": " : "",
                   e->message);
  else if (e->message[0])
    len = snprintf(out, n, "%s", e->message);
  else
    len = snprintf(out, n, "%s", pc_status_str(e->status));
  if (len >= 0 && (size_t)len < n && e->request_id[0])
    (void)snprintf(out + len, n - (size_t)len, " (request id %s)",
                   e->request_id);
  return out;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs,
 * no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s) {
  unsigned char c = s[0], lo = 0x80, hi = 0xBF;
  size_t len, i;

  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4;
  else
    return 0;
  if (c == 0xE0)
    lo = 0xA0;
  else if (c == 0xED)
    hi = 0x9F;
  else if (c == 0xF0)
    lo = 0x90;
  else if (c == 0xF4)
    hi = 0x8F;
  if (s[1] < lo || s[1] > hi)
    return 0;
  for (i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xBF)
      return 0;
  return len;
}

/* Control characters (C0, DEL, and C1 as U+0080..U+009F) and malformed
 * UTF-8 become '?': server text must not drive the user's terminal. A
 * multi-byte character is copied whole or not at all. */
void pc_sanitize(char *dst, size_t n, const char *src) {
  const unsigned char *s = (const unsigned char *)src;
  size_t i = 0, o = 0, len;

  if (dst == NULL || n == 0)
    return;
  if (s == NULL) {
    dst[0] = '\0';
    return;
  }
  while (s[i] != '\0') {
    if (s[i] >= 0x20 && s[i] < 0x7F) {
      len = 1;
    } else {
      len = s[i] >= 0x80 ? utf8_len(s + i) : 0;
      if (len == 2 && s[i] == 0xC2 && s[i + 1] < 0xA0) {
        /* C1 control: skip both bytes, emit one '?' */
        if (o + 1 >= n)
          break;
        dst[o++] = '?';
        i += 2;
        continue;
      }
    }
    if (len == 0) {
      if (o + 1 >= n)
        break;
      dst[o++] = '?';
      i++;
      continue;
    }
    if (o + len >= n)
      break;
    memcpy(dst + o, s + i, len);
    o += len;
    i += len;
  }
  dst[o] = '\0';
}
