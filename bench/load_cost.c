/* SPDX-License-Identifier: MIT */
/* The cost of loading a shared object the way libpam does (dlopen with
 * RTLD_NOW), in a fresh process: wall-clock and CPU of the dlopen, and how
 * many objects it brought in.
 *   load_cost PATH   prints "<wall ms> <cpu ms> <objects added>" */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <time.h>

static int count(struct dl_phdr_info *info, size_t size, void *data) {
  (void)info;
  (void)size;
  ++*(int *)data;
  return 0;
}

static double now(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  int before = 0, after = 0;
  double w, c;
  void *h;

  if (argc != 2)
    return 2;
  dl_iterate_phdr(count, &before);
  w = now(CLOCK_MONOTONIC);
  c = now(CLOCK_PROCESS_CPUTIME_ID);
  h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  w = now(CLOCK_MONOTONIC) - w;
  c = now(CLOCK_PROCESS_CPUTIME_ID) - c;
  if (h == NULL) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  dl_iterate_phdr(count, &after);
  printf("%.3f %.3f %d\n", w, c, after - before);
  return 0;
}
