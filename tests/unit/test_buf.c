/* SPDX-License-Identifier: MIT */
/* pc_buf: bounded growth, terminator, failure leaves the buffer unchanged. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "tap.h"

static void test_basic(void) {
  struct pc_buf b;

  pc_buf_init(&b, 16);
  ok(b.data == NULL && b.len == 0 && b.max == 16, "init: empty");
  ok(pc_buf_append(&b, "abc", 3) == 0, "append 3 bytes");
  ok(b.len == 3 && b.data != NULL && b.data[3] == '\0',
     "length 3 and NUL-terminated");
  is_str(b.data, "abc", "contents");
  ok(pc_buf_append(&b, "", 0) == 0 && b.len == 3, "empty append is fine");
  ok(pc_buf_append(&b, "defghijklmnop", 13) == 0, "fill to exactly max");
  ok(b.len == 16, "length is max");
  is_str(b.data, "abcdefghijklmnop", "contents at max");
  ok(b.cap >= b.len + 1, "room for the terminator");
  ok(pc_buf_append(&b, "q", 1) == -1, "one byte past max fails");
  ok(b.len == 16 && strcmp(b.data, "abcdefghijklmnop") == 0,
     "failed append leaves the buffer unchanged");
  pc_buf_free(&b);
  ok(b.data == NULL && b.len == 0 && b.cap == 0, "free resets");
  ok(b.max == 16, "free keeps max");
  ok(pc_buf_append(&b, "xy", 2) == 0, "usable after free");
  is_str(b.data, "xy", "contents after reuse");
  pc_buf_free(&b);
  pc_buf_free(&b);
  ok(1, "double free is harmless");
}

static void test_empty_append(void) {
  struct pc_buf b;

  pc_buf_init(&b, 4);
  ok(pc_buf_append(&b, NULL, 0) == 0, "zero-length append on empty buffer");
  ok(b.data != NULL && b.data[0] == '\0', "empty buffer is then \"\"");
  pc_buf_free(&b);
}

static void test_overflow(void) {
  struct pc_buf b;

  pc_buf_init(&b, SIZE_MAX);
  ok(pc_buf_append(&b, "a", 1) == 0, "append with max SIZE_MAX");
  ok(pc_buf_append(&b, "a", SIZE_MAX) == -1, "len + n overflow refused");
  ok(pc_buf_append(&b, "a", SIZE_MAX - 1) == -1, "terminator overflow refused");
  ok(b.len == 1 && strcmp(b.data, "a") == 0, "unchanged after refusals");
  pc_buf_free(&b);

  pc_buf_init(&b, 0);
  ok(pc_buf_append(&b, "a", 1) == -1, "max 0 refuses any byte");
  ok(b.data == NULL, "and allocates nothing");
  pc_buf_free(&b);
}

static void test_growth(void) {
  struct pc_buf b;
  char chunk[1000];
  size_t i;
  int fails = 0;

  memset(chunk, 'z', sizeof(chunk));
  pc_buf_init(&b, 100000);
  for (i = 0; i < 100; i++)
    if (pc_buf_append(&b, chunk, sizeof(chunk)) != 0)
      fails++;
  ok(fails == 0 && b.len == 100000, "100 appends of 1000 bytes reach max");
  ok(b.cap <= b.max + 1, "never allocates past max + 1 (cap %zu)", b.cap);
  ok(strlen(b.data) == 100000, "terminated after growth");
  ok(pc_buf_append(&b, chunk, 1) == -1, "then full");
  pc_buf_free(&b);
}

/* A block is whole pages: a buffer fills its first page before it moves. */
static void test_uses_whole_block(void) {
  struct pc_buf b;
  char chunk[100];
  char *first;
  size_t i;
  int moved = 0, fails = 0;

  memset(chunk, 'y', sizeof(chunk));
  pc_buf_init(&b, 1 << 20);
  ok(pc_buf_append(&b, "x", 1) == 0, "first append");
  first = b.data;
  ok(b.cap >= 256, "first block holds at least 256 bytes (cap %zu)", b.cap);
  for (i = 0; i < 30; i++) {
    if (pc_buf_append(&b, chunk, sizeof(chunk)) != 0)
      fails++;
    if (b.data != first)
      moved++;
  }
  ok(fails == 0 && moved == 0,
     "3001 bytes stay in the first page-sized block (cap %zu)", b.cap);
  ok(b.len == 3001 && strlen(b.data) == 3001, "contents intact");
  pc_buf_free(&b);
}

int main(void) {
  test_basic();
  test_empty_append();
  test_overflow();
  test_uses_whole_block();
  test_growth();
  return tap_done();
}
