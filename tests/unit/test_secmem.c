/* SPDX-License-Identifier: MIT */
/* Secret memory stays out of core dumps: the mapping holding a buffer's
 * contents carries the kernel's "dd" (MADV_DONTDUMP) flag in
 * /proc/self/smaps, and the process stays dumpable (no process-wide
 * change). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "base/buf.h"
#include "base/secmem.h"
#include "tap.h"

/* The VmFlags line of the mapping that holds p, into flags; 0 or -1. */
static int vm_flags_of(const void *p, char *flags, size_t n) {
  FILE *f = fopen("/proc/self/smaps", "r");
  char line[512];
  int in = 0, found = -1;
  uintptr_t a = (uintptr_t)p;

  if (f == NULL)
    return -1;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;

    if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') &&
        line[0] != ' ') {
      in = a >= lo && a < hi;
      continue;
    }
    if (in && strncmp(line, "VmFlags:", 8) == 0) {
      (void)snprintf(flags, n, "%s", line + 8);
      found = 0;
      break;
    }
  }
  fclose(f);
  return found;
}

static int has_flag(const char *flags, const char *flag) {
  char copy[512], *tok, *save = NULL;

  (void)snprintf(copy, sizeof copy, "%s", flags);
  for (tok = strtok_r(copy, " \n", &save); tok;
       tok = strtok_r(NULL, " \n", &save))
    if (strcmp(tok, flag) == 0)
      return 1;
  return 0;
}

static void test_buffer_is_not_dumped(void) {
  struct pc_buf b;
  char flags[512] = "";
  char *s;

  pc_buf_init(&b, 1 << 20);
  ok(pc_buf_append(&b, "refresh-token-secret", 20) == 0, "append");
  ok(vm_flags_of(b.data, flags, sizeof flags) == 0, "mapping found");
  ok(has_flag(flags, "dd"), "the buffer's mapping is not dumped (%s)", flags);
  /* Growth moves it to another excluded block. */
  {
    static char big[200000];

    memset(big, 'x', sizeof big);
    ok(pc_buf_append(&b, big, sizeof big) == 0, "grown");
  }
  ok(vm_flags_of(b.data, flags, sizeof flags) == 0 && has_flag(flags, "dd"),
     "grown buffer still not dumped (%s)", flags);
  /* A taken string stays out of core dumps (a document on its way to a
   * file). */
  s = pc_buf_take(&b);
  ok(s != NULL && strlen(s) == 20 + 200000, "take");
  ok(b.data == NULL, "buffer empty after take");
  ok(vm_flags_of(s, flags, sizeof flags) == 0 && has_flag(flags, "dd"),
     "taken string still not dumped (%s)", flags);
  pc_buf_string_free(&s);
  ok(s == NULL, "taken string released");
  s = pc_buf_take(&b);
  ok(s != NULL && *s == '\0' && pc_secmem_dontdump(s), "empty buffer: \"\"");
  pc_buf_string_free(&s);
  pc_buf_free(&b);
}

static void test_process_stays_dumpable(void) {
  void *p = pc_secmem_alloc(64);

  ok(p != NULL && pc_secmem_dontdump(p), "block excluded");
  ok(prctl(PR_GET_DUMPABLE) == 1, "the process itself stays dumpable");
  ok(((unsigned char *)p)[63] == 0, "zeroed");
  pc_secmem_free(p);
  ok(pc_secmem_dontdump(NULL) == 0, "NULL is not a block");
}

int main(void) {
  test_buffer_is_not_dumped();
  test_process_stays_dumpable();
  return tap_done();
}
