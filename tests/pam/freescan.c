/* SPDX-License-Identifier: MIT */
/* freescan: an LD_PRELOAD library for tests/pam/test_wiping.py. Every block
 * handed to free() (and every block realloc() moves away from) is copied,
 * with the name of the library that freed it, into $FREESCAN_OUT before it
 * goes back to malloc; at exit the main heap follows. The test searches the
 * file for the password, tokens and keys of the run it watched: whatever it
 * finds survived in memory the process no longer uses.
 *
 * Record: "FSCN" kind(1) pad(3) len(u32) caller-len(u32) caller data.
 * kind: 'F' a freed block, 'R' a block realloc() moved away from,
 * 'H' the [heap] mapping at exit. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

extern void __libc_free(void *p);
extern void *__libc_malloc(size_t n);
extern void *__libc_realloc(void *p, size_t n);

static int out_fd = -1;
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;
static __thread int busy; /* dladdr or our own writes freeing memory */

/* Blocks smaller than this hold no secret worth the file's size. */
#define MIN_BLOCK 8

static void record(char kind, const void *data, size_t len, const void *pc) {
  char head[16] = {'F', 'S', 'C', 'N', kind, 0, 0, 0};
  const char *caller = "?";
  uint32_t l = (uint32_t)len, cl;
  struct iovec iov[3];
  Dl_info info;
  ssize_t left;

  if (pc != NULL && dladdr(pc, &info) != 0 && info.dli_fname != NULL) {
    caller = strrchr(info.dli_fname, '/');
    caller = caller ? caller + 1 : info.dli_fname;
  }
  cl = (uint32_t)strlen(caller);
  memcpy(head + 8, &l, 4);
  memcpy(head + 12, &cl, 4);
  iov[0].iov_base = head;
  iov[0].iov_len = sizeof(head);
  iov[1].iov_base = (void *)caller;
  iov[1].iov_len = cl;
  iov[2].iov_base = (void *)data;
  iov[2].iov_len = len;
  left = (ssize_t)(sizeof(head) + cl + len);
  (void)pthread_mutex_lock(&out_mu);
  /* One writev per record; a short write ends the file's usefulness, so
   * stop recording rather than write a torn record. */
  if (out_fd >= 0 && writev(out_fd, iov, 3) != left) {
    (void)close(out_fd);
    out_fd = -1;
  }
  (void)pthread_mutex_unlock(&out_mu);
}

void free(void *p) {
  size_t n;

  if (p != NULL && out_fd >= 0 && !busy) {
    n = malloc_usable_size(p);
    if (n >= MIN_BLOCK) {
      busy = 1;
      record('F', p, n, __builtin_return_address(0));
      busy = 0;
    }
  }
  __libc_free(p);
}

/* The old contents of a block realloc() moves stay in freed memory: keep a
 * copy first, record it only when the block did move. */
void *realloc(void *p, size_t n) {
  size_t have;
  void *copy, *q;

  if (p == NULL || out_fd < 0 || busy)
    return __libc_realloc(p, n);
  have = malloc_usable_size(p);
  if (have < MIN_BLOCK)
    return __libc_realloc(p, n);
  copy = mmap(NULL, have, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
              -1, 0);
  if (copy == MAP_FAILED)
    return __libc_realloc(p, n);
  memcpy(copy, p, have);
  q = __libc_realloc(p, n);
  if (q != p && (q != NULL || n == 0)) {
    busy = 1;
    record('R', copy, have, __builtin_return_address(0));
    busy = 0;
  }
  (void)munmap(copy, have);
  return q;
}

__attribute__((constructor)) static void freescan_init(void) {
  const char *path = getenv("FREESCAN_OUT");

  if (path != NULL && *path != '\0')
    out_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* At exit: the main heap, live and free parts alike. */
__attribute__((destructor)) static void freescan_fini(void) {
  char line[512];
  unsigned long lo, hi;
  FILE *maps;

  if (out_fd < 0)
    return;
  busy = 1;
  maps = fopen("/proc/self/maps", "re");
  if (maps != NULL) {
    while (fgets(line, sizeof(line), maps) != NULL)
      if (strstr(line, "[heap]") != NULL &&
          sscanf(line, "%lx-%lx", &lo, &hi) == 2 && hi > lo)
        record('H', (const void *)lo, hi - lo, NULL);
    (void)fclose(maps);
  }
  (void)close(out_fd);
  out_fd = -1;
}
