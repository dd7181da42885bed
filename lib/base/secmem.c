/* SPDX-License-Identifier: MIT */
/* Secret memory out of core dumps; see secmem.h. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/secmem.h"
#include "base/secret.h"

/* In front of every block: how it was made and how big it is. 16 bytes
 * keep the caller's memory as aligned as malloc's. */
struct head {
  size_t total; /* bytes of the mapping (or heap block), head included */
  uint32_t magic;
  uint32_t mapped; /* 1: mmap + MADV_DONTDUMP, 0: heap fallback */
};

#define HEAD_SIZE 16
#define MAGIC 0x5ec3e7a1u

_Static_assert(sizeof(struct head) <= HEAD_SIZE, "head fits its slot");

static size_t page_size(void) {
  long p = sysconf(_SC_PAGESIZE);

  return p > 0 ? (size_t)p : 4096;
}

void *pc_secmem_alloc(size_t n) {
  size_t page = page_size(), total;
  struct head *h;
  void *m;

  if (n > SIZE_MAX - HEAD_SIZE - page)
    return NULL;
  total = (n + HEAD_SIZE + page - 1) / page * page;
  m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
           0);
  if (m != MAP_FAILED && madvise(m, total, MADV_DONTDUMP) != 0) {
    (void)munmap(m, total);
    m = MAP_FAILED;
  }
  if (m == MAP_FAILED) {
    total = n + HEAD_SIZE;
    if ((m = calloc(1, total)) == NULL)
      return NULL;
    h = m;
    h->mapped = 0;
  } else {
    h = m; /* fresh anonymous pages are zero */
    h->mapped = 1;
  }
  h->total = total;
  h->magic = MAGIC;
  return (char *)m + HEAD_SIZE;
}

/* The head in front of block p; abort when p is not ours (releasing or
 * sizing it either way would corrupt memory). */
static struct head *head_of(const void *p) {
  struct head *h = (struct head *)(uintptr_t)((const char *)p - HEAD_SIZE);

  if (h->magic != MAGIC)
    abort();
  return h;
}

void pc_secmem_free(void *p) {
  struct head *h;
  size_t total;
  int mapped;

  if (p == NULL)
    return;
  h = head_of(p);
  total = h->total;
  mapped = h->mapped != 0;
  pc_wipe(h, total);
  if (mapped)
    (void)munmap(h, total);
  else
    free(h);
}

size_t pc_secmem_size(const void *p) {
  return head_of(p)->total - HEAD_SIZE;
}

int pc_secmem_dontdump(const void *p) {
  const struct head *h;

  if (p == NULL)
    return 0;
  h = (const struct head *)(const void *)((const char *)p - HEAD_SIZE);
  return h->magic == MAGIC && h->mapped != 0;
}
