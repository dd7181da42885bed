/* SPDX-License-Identifier: MIT */
/* A counting allocator that fails the N-th call (see failalloc.h). Only
 * the linked objects are wrapped (lib/ and the driver). json-c allocates
 * behind them, so its constructors that lib/ calls are wrapped as a whole
 * (they fail as json-c does when its malloc fails); OpenSSL takes hooks of
 * its own (failalloc_openssl). libconfig is not covered. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "failalloc.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
json_object *__real_json_object_new_object(void);
json_object *__real_json_object_new_string(const char *s);
int __real_json_object_object_add(json_object *o, const char *key,
                                  json_object *val);
json_tokener *__real_json_tokener_new_ex(int depth);
json_object *__real_json_tokener_parse(const char *s);
const char *__real_json_object_to_json_string_length(json_object *o, int flags,
                                                     size_t *len);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static int armed;
static long count, fail_at;
static int injected;

void failalloc_arm(long n) {
  count = 0;
  fail_at = n;
  injected = 0;
  armed = 1;
}

long failalloc_disarm(void) {
  armed = 0;
  return count;
}

int failalloc_injected(void) {
  return injected;
}

static int fail_now(void) {
  if (!armed)
    return 0;
  if (++count != fail_at)
    return 0;
  injected = 1;
  return 1;
}

void *__wrap_malloc(size_t n) {
  return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size) {
  return fail_now() ? NULL : __real_calloc(n, size);
}

/* A failed realloc leaves the block alone, as the real one does. */
void *__wrap_realloc(void *p, size_t n) {
  return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s) {
  return fail_now() ? NULL : __real_strdup(s);
}

json_object *__wrap_json_object_new_object(void);
json_object *__wrap_json_object_new_object(void) {
  return fail_now() ? NULL : __real_json_object_new_object();
}

json_object *__wrap_json_object_new_string(const char *s);
json_object *__wrap_json_object_new_string(const char *s) {
  return fail_now() ? NULL : __real_json_object_new_string(s);
}

/* json-c keeps val when adding fails: the caller still owns it. */
int __wrap_json_object_object_add(json_object *o, const char *key,
                                  json_object *val);
int __wrap_json_object_object_add(json_object *o, const char *key,
                                  json_object *val) {
  return fail_now() ? -1 : __real_json_object_object_add(o, key, val);
}

json_tokener *__wrap_json_tokener_new_ex(int depth);
json_tokener *__wrap_json_tokener_new_ex(int depth) {
  return fail_now() ? NULL : __real_json_tokener_new_ex(depth);
}

json_object *__wrap_json_tokener_parse(const char *s);
json_object *__wrap_json_tokener_parse(const char *s) {
  return fail_now() ? NULL : __real_json_tokener_parse(s);
}

const char *__wrap_json_object_to_json_string_length(json_object *o, int flags,
                                                     size_t *len);
const char *__wrap_json_object_to_json_string_length(json_object *o, int flags,
                                                     size_t *len) {
  return fail_now() ? NULL
                    : __real_json_object_to_json_string_length(o, flags, len);
}

static void *ossl_malloc(size_t n, const char *file, int line) {
  (void)file, (void)line;
  return fail_now() ? NULL : __real_malloc(n);
}

static void *ossl_realloc(void *p, size_t n, const char *file, int line) {
  (void)file, (void)line;
  return fail_now() ? NULL : __real_realloc(p, n);
}

static void ossl_free(void *p, const char *file, int line) {
  (void)file, (void)line;
  free(p);
}

int failalloc_openssl(void) {
  return CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free) == 1
             ? 0
             : -1;
}
