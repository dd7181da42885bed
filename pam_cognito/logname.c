/* SPDX-License-Identifier: MIT */
/* Names in log lines; see logname.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "logname.h"

/* Bytes written as they are: what host names, addresses and ordinary
 * user names are made of. Never '=', space, quote or backslash. */
static int safe(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
         c == ':' || c == '@' || c == '+' || c == '%' || c == '[' || c == ']';
}

void pc_log_escape(char *dst, size_t n, const char *s, int quote) {
  size_t o = 0;

  if (n < 8) {
    if (n)
      dst[0] = '\0';
    return;
  }
  if (quote)
    dst[o++] = '"';
  for (; s && *s && o + 6 < n; s++) {
    unsigned char c = (unsigned char)*s;

    if (safe(c)) {
      dst[o++] = (char)c;
    } else {
      (void)snprintf(dst + o, n - o, "\\x%02x", c);
      o += 4;
    }
  }
  if (quote)
    dst[o++] = '"';
  dst[o] = '\0';
}
