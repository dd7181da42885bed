/* SPDX-License-Identifier: MIT */
/* The shared json-c helpers; see json.h. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/printbuf.h>

#include "base/json.h"
#include "base/secret.h"

json_object *pc_json_parse_object(const char *text, size_t len) {
  json_tokener *tok;
  json_object *obj;
  size_t end;

  if (text == NULL || len > INT_MAX || memchr(text, '\0', len) != NULL)
    return NULL;
  tok = json_tokener_new_ex(PC_JSON_MAX_DEPTH);
  if (tok == NULL)
    return NULL;
  /* The tokener copies each string through its print buffer, which grows
   * by realloc (leaving copies of tokens in freed blocks): make it as large
   * as the whole text first, and wipe it before the free below. */
  if (printbuf_memset(tok->pb, 0, 0, (int)len + 1) < 0) {
    json_tokener_free(tok);
    return NULL;
  }
  printbuf_reset(tok->pb);
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
  obj = json_tokener_parse_ex(tok, text, (int)len);
  if (obj != NULL && json_tokener_get_error(tok) == json_tokener_success) {
    end = json_tokener_get_parse_end(tok);
    while (end < len && strchr(" \t\r\n", text[end]) != NULL)
      end++;
    if (end != len || !json_object_is_type(obj, json_type_object)) {
      pc_json_put_secret(obj);
      obj = NULL;
    }
  } else if (obj != NULL) {
    pc_json_put_secret(obj);
    obj = NULL;
  }
  pc_wipe(tok->pb->buf, (size_t)tok->pb->size);
  json_tokener_free(tok);
  return obj;
}

/* The member key of object o when it has type t, or NULL. */
static json_object *member(json_object *o, const char *key, json_type t) {
  json_object *v;

  if (o == NULL || key == NULL || !json_object_is_type(o, json_type_object) ||
      !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
    return NULL;
  return v;
}

const char *pc_json_str(json_object *o, const char *key) {
  json_object *v = member(o, key, json_type_string);

  return v ? json_object_get_string(v) : NULL;
}

int pc_json_int(json_object *o, const char *key, long long *out) {
  json_object *v = member(o, key, json_type_int);
  int64_t i;

  if (v == NULL)
    return -1;
  /* A saturated value is garbage, not a clamped number. */
  i = json_object_get_int64(v);
  if (i == INT64_MAX || i == INT64_MIN)
    return -1;
  *out = (long long)i;
  return 0;
}

int pc_json_number(json_object *o, const char *key, long long *out) {
  json_object *v = member(o, key, json_type_double);
  double d;

  if (pc_json_int(o, key, out) == 0)
    return 0;
  if (v == NULL)
    return -1;
  d = json_object_get_double(v);
  if (!isfinite(d) || d >= 9.2e18 || d <= -9.2e18)
    return -1;
  *out = (long long)d;
  return 0;
}

int pc_json_add_str(json_object *o, const char *key, const char *val) {
  json_object *s = json_object_new_string(val);

  if (s == NULL)
    return -1;
  if (json_object_object_add(o, key, s) != 0) {
    json_object_put(s);
    return -1;
  }
  return 0;
}

/* json-c keeps string values in writable heap storage (the const is only an
 * interface promise), so they can be wiped in place before the free. */
static void wipe_strings(json_object *o, int depth) {
  size_t i, n;

  if (o == NULL || depth > 64)
    return;
  switch (json_object_get_type(o)) {
  case json_type_string: {
    int slen = json_object_get_string_len(o);
    const char *s = json_object_get_string(o);

    if (s != NULL && slen > 0)
      pc_wipe((void *)(uintptr_t)s, (size_t)slen);
    break;
  }
  case json_type_object: {
    struct json_object_iterator it = json_object_iter_begin(o);
    struct json_object_iterator end = json_object_iter_end(o);

    while (!json_object_iter_equal(&it, &end)) {
      wipe_strings(json_object_iter_peek_value(&it), depth + 1);
      json_object_iter_next(&it);
    }
    break;
  }
  case json_type_array:
    n = json_object_array_length(o);
    for (i = 0; i < n; i++)
      wipe_strings(json_object_array_get_idx(o, i), depth + 1);
    break;
  default:
    break;
  }
}

void pc_json_put_secret(json_object *o) {
  if (o == NULL)
    return;
  wipe_strings(o, 0);
  json_object_put(o);
}

json_object *pc_json_keep(json_object *o, int bad) {
  if (!bad)
    return o;
  pc_json_put_secret(o);
  return NULL;
}

int pc_json_bool(json_object *o, const char *key, int *out) {
  json_object *v;

  if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
      !json_object_is_type(v, json_type_boolean))
    return -1;
  *out = json_object_get_boolean(v) ? 1 : 0;
  return 0;
}

char **pc_json_str_list(json_object *o, const char *key, size_t max) {
  json_object *arr = NULL;
  char **list;
  size_t i, n = 0;

  if (o != NULL && json_object_object_get_ex(o, key, &arr)) {
    if (!json_object_is_type(arr, json_type_array))
      return NULL;
    n = json_object_array_length(arr);
    if (n > max)
      return NULL;
  }
  list = calloc(n + 1, sizeof(*list));
  if (list == NULL)
    return NULL;
  for (i = 0; i < n; i++) {
    json_object *e = json_object_array_get_idx(arr, i);

    if (!json_object_is_type(e, json_type_string) ||
        (list[i] = strdup(json_object_get_string(e))) == NULL) {
      pc_json_str_list_free(list);
      return NULL;
    }
  }
  return list;
}

void pc_json_str_list_free(char **list) {
  size_t i;

  if (list == NULL)
    return;
  for (i = 0; list[i] != NULL; i++)
    free(list[i]);
  free(list);
}
