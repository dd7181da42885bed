/* SPDX-License-Identifier: MIT */
/* Close-on-exec for the sockets libcurl opens on our behalf; see
 * fdguard.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/fdguard.h"

/* fn for each open descriptor but the listing's own, until fn returns
 * non-zero; -1 without /proc. */
static int each_fd(int (*fn)(int fd, void *arg), void *arg) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int self;

  if (d == NULL)
    return -1;
  self = dirfd(d);
  while ((e = readdir(d)) != NULL) {
    char *end;
    long v;

    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    errno = 0;
    v = strtol(e->d_name, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || v > 1 << 30 || v == self)
      continue;
    if (fn((int)v, arg) != 0)
      break;
  }
  (void)closedir(d);
  return 0;
}

struct collect {
  int *fds;
  size_t n, cap;
  int failed;
};

static int collect_one(int fd, void *arg) {
  struct collect *c = arg;
  int *bigger;

  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 64;
    bigger = realloc(c->fds, c->cap * sizeof(*c->fds));
    if (bigger == NULL) {
      c->failed = 1;
      return 1;
    }
    c->fds = bigger;
  }
  c->fds[c->n++] = fd;
  return 0;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;

  return (x > y) - (x < y);
}

void pc_fdguard_begin(struct pc_fdguard *g) {
  struct collect c = {NULL, 0, 0, 0};

  g->fds = NULL;
  g->n = 0;
  if (each_fd(collect_one, &c) != 0 || c.failed || c.n == 0) {
    free(c.fds);
    return;
  }
  qsort(c.fds, c.n, sizeof(*c.fds), cmp_int);
  g->fds = c.fds;
  g->n = c.n;
}

static int seal_one(int fd, void *arg) {
  const struct pc_fdguard *g = arg;
  struct stat st;
  int flags;

  if (bsearch(&fd, g->fds, g->n, sizeof(*g->fds), cmp_int) != NULL)
    return 0;
  if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
    return 0;
  flags = fcntl(fd, F_GETFD);
  if (flags >= 0 && !(flags & FD_CLOEXEC))
    (void)fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  return 0;
}

void pc_fdguard_seal(const struct pc_fdguard *g) {
  if (g->fds != NULL)
    (void)each_fd(seal_one, (void *)(uintptr_t)g);
}

void pc_fdguard_rebase(struct pc_fdguard *g) {
  if (g->fds == NULL)
    return;
  free(g->fds);
  pc_fdguard_begin(g);
}

void pc_fdguard_end(struct pc_fdguard *g) {
  pc_fdguard_seal(g);
  free(g->fds);
  g->fds = NULL;
  g->n = 0;
}
