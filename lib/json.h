/* json: the json-c helpers every lib file shares (reading members, adding
 * strings, the strict parser, and dropping objects that may hold secrets). */
#ifndef PAM_COGNITO_JSON_H
#define PAM_COGNITO_JSON_H

#include <stddef.h>
#include <json-c/json.h>

/* Nesting deeper than this is never a Cognito reply, a token or a cache
 * file: keep the parser's stack small whatever the input. */
#define PC_JSON_MAX_DEPTH 16

/* Strict parse of exactly len bytes as one JSON object (bounded nesting,
 * UTF-8 checked, trailing whitespace allowed): a new object for
 * json_object_put (pc_json_put_secret when it may hold secrets), or NULL
 * (also for NULL text). */
json_object *pc_json_parse_object(const char *text, size_t len);

/* The string member key, or NULL when absent or not a string (or o is not
 * an object). The pointer belongs to o. */
const char *pc_json_str(json_object *o, const char *key);

/* Add a string member; 0, or -1 when memory ran out. */
int pc_json_add_str(json_object *o, const char *key, const char *val);

/* Drop a JSON object after wiping every string inside it (tokens). Best
 * effort: the tokener's scratch buffer is out of reach. NULL is fine. */
void pc_json_put_secret(json_object *o);

#endif
