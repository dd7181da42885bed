/* SPDX-License-Identifier: MIT */
/* See json_write.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/json_write.h"

static int write_str(struct pc_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  char esc[6] = {'\\', 'u', '0', '0', 0, 0};
  size_t i, run = 0;

  if (pc_buf_append(b, "\"", 1) != 0)
    return -1;
  for (i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];

    if (ch != '"' && ch != '\\' && ch >= 0x20 && ch != 0x7f)
      continue;
    if (pc_buf_append(b, s + run, i - run) != 0)
      return -1;
    run = i + 1;
    if (ch == '"' || ch == '\\') {
      esc[1] = (char)ch;
      if (pc_buf_append(b, esc, 2) != 0)
        return -1;
      esc[1] = 'u';
    } else {
      esc[4] = hex[ch >> 4];
      esc[5] = hex[ch & 15];
      if (pc_buf_append(b, esc, 6) != 0)
        return -1;
    }
  }
  if (pc_buf_append(b, s + run, n - run) != 0)
    return -1;
  return pc_buf_append(b, "\"", 1);
}

static int write_value(json_object *o, struct pc_buf *b, int depth) {
  size_t i, n;
  int first = 1;

  if (depth > PC_JSON_MAX_DEPTH)
    return -1;
  switch (json_object_get_type(o)) {
  case json_type_null:
    return pc_buf_append(b, "null", 4);
  case json_type_boolean:
    return json_object_get_boolean(o) ? pc_buf_append(b, "true", 4)
                                      : pc_buf_append(b, "false", 5);
  case json_type_int:
    return pc_buf_appendf(b, "%lld", (long long)json_object_get_int64(o));
  case json_type_double:
    return pc_buf_appendf(b, "%.17g", json_object_get_double(o));
  case json_type_string:
    return write_str(b, json_object_get_string(o),
                     (size_t)json_object_get_string_len(o));
  case json_type_array:
    if (pc_buf_append(b, "[", 1) != 0)
      return -1;
    n = json_object_array_length(o);
    for (i = 0; i < n; i++)
      if ((i > 0 && pc_buf_append(b, ",", 1) != 0) ||
          write_value(json_object_array_get_idx(o, i), b, depth + 1) != 0)
        return -1;
    return pc_buf_append(b, "]", 1);
  case json_type_object: {
    struct json_object_iterator it = json_object_iter_begin(o);
    struct json_object_iterator end = json_object_iter_end(o);
    const char *key;

    if (pc_buf_append(b, "{", 1) != 0)
      return -1;
    for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
      key = json_object_iter_peek_name(&it);
      if ((!first && pc_buf_append(b, ",", 1) != 0) ||
          write_str(b, key, strlen(key)) != 0 ||
          pc_buf_append(b, ":", 1) != 0 ||
          write_value(json_object_iter_peek_value(&it), b, depth + 1) != 0)
        return -1;
      first = 0;
    }
    return pc_buf_append(b, "}", 1);
  }
  }
  return -1;
}

int pc_json_write(json_object *o, struct pc_buf *out) {
  if (o == NULL)
    return -1;
  return write_value(o, out, 0);
}
