/* SPDX-License-Identifier: MIT */
/* User names as cache directory names; see cachename.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store/cachename.h"

static int plain(unsigned char ch, int first) {
  if (ch == '.' || ch == '-')
    return !first;
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || ch == '_';
}

int pc_user_name_valid(const char *user) {
  size_t len = user != NULL ? strnlen(user, PC_USER_NAME_MAX + 1) : 0;

  return len > 0 && len <= PC_USER_NAME_MAX;
}

int pc_cache_dir_name(const char *user, char *out, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t i, o = 0;

  if (!pc_user_name_valid(user) || n == 0)
    return -1;
  for (i = 0; user[i] != '\0'; i++) {
    unsigned char ch = (unsigned char)user[i];

    if (plain(ch, i == 0)) {
      if (o + 1 >= n)
        return -1;
      out[o++] = (char)ch;
    } else {
      if (o + 3 >= n)
        return -1;
      out[o++] = '%';
      out[o++] = hex[ch >> 4];
      out[o++] = hex[ch & 15];
    }
  }
  out[o] = '\0';
  return 0;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

int pc_cache_dir_user(const char *dir, char *user, size_t n) {
  char again[PC_CACHE_DIR_NAME_MAX];
  size_t i, o = 0;

  if (dir == NULL || n == 0)
    return -1;
  for (i = 0; dir[i] != '\0'; i++) {
    int c = (unsigned char)dir[i];

    if (c == '%') {
      int hi = hexval(dir[i + 1]), lo = hi < 0 ? -1 : hexval(dir[i + 2]);
      if (lo < 0)
        return -1;
      c = hi * 16 + lo;
      i += 2;
    }
    if (c == 0 || o + 1 >= n)
      return -1;
    user[o++] = (char)c;
  }
  user[o] = '\0';
  /* Only the one spelling this encoding makes names a user. */
  if (pc_cache_dir_name(user, again, sizeof again) != 0 ||
      strcmp(again, dir) != 0)
    return -1;
  return 0;
}
