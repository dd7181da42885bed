/* SPDX-License-Identifier: MIT */
/* json: the json-c helpers every lib file shares (reading members, adding
 * strings, the strict parser, and dropping objects that may hold secrets). */
#ifndef PAM_COGNITO_JSON_H
#define PAM_COGNITO_JSON_H

#include <stddef.h>
#include <json-c/json.h>

#include "base/bounds.h"

/* Strict parse of exactly len bytes as one JSON object (bounded nesting,
 * UTF-8 checked, trailing whitespace allowed): a new object for
 * json_object_put (pc_json_put_secret when it may hold secrets), or NULL
 * (also for NULL text). */
json_object *pc_json_parse_object(const char *text, size_t len);

/* The string member key, or NULL when absent or not a string (or o is not
 * an object). The pointer belongs to o. */
const char *pc_json_str(json_object *o, const char *key);

/* The integer member key in *out: 0, or -1 when absent, not an integer, or
 * too large for json-c (which saturates at INT64_MIN/MAX). */
int pc_json_int(json_object *o, const char *key, long long *out)
    __attribute__((warn_unused_result));

/* The number member key, integer or fraction (truncated towards zero), in
 * *out: 0, or -1 when absent, not a finite number, or out of range. */
int pc_json_number(json_object *o, const char *key, long long *out)
    __attribute__((warn_unused_result));

/* The boolean member key in *out (0 or 1): 0, or -1 when absent or not a
 * boolean. */
int pc_json_bool(json_object *o, const char *key, int *out)
    __attribute__((warn_unused_result));

/* The array-of-strings member key as a new NULL-terminated list (empty when
 * the member is absent), or NULL when it is not such an array, holds more
 * than max entries, or memory ran out. Free with pc_json_str_list_free. */
char **pc_json_str_list(json_object *o, const char *key, size_t max);
void pc_json_str_list_free(char **list);

/* Add a string member; 0, or -1 when memory ran out. */
int pc_json_add_str(json_object *o, const char *key, const char *val);

/* o, or NULL when bad after dropping o with pc_json_put_secret: a request
 * built in one expression goes on as NULL ("could not be built", which
 * pc_api_send reports as out of memory). */
json_object *pc_json_keep(json_object *o, int bad);

/* Drop a JSON object after wiping every string inside it (tokens). Best
 * effort: the tokener's scratch buffer is out of reach. NULL is fine. */
void pc_json_put_secret(json_object *o);

#endif
