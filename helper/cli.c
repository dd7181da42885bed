/* SPDX-License-Identifier: MIT */
/* The command-line tools' shared pieces: die() and the option loop. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "helper/cli.h"

static const char *prog_name = PACKAGE_NAME;

void cli_set_prog(const char *prog) {
  prog_name = prog;
}

/* One line on stderr, exit 1: AWS tools and the journal show it as is. */
void cli_die(const char *fmt, ...) {
  va_list ap;

  fprintf(stderr, "%s: ", prog_name);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(1);
}

void cli_parse(int argc, char **argv, const char *shortopts,
               const struct option *longopts, void (*usage)(FILE *),
               int (*on_opt)(int c, const char *arg, void *ud), void *ud) {
  int c;

  while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
    if (c == 'h') {
      usage(stdout);
      exit(0);
    }
    if (c == 'V') {
      printf("%s (" PACKAGE_NAME ") " PACKAGE_VERSION "\n", prog_name);
      exit(0);
    }
    if (c == '?' || on_opt(c, optarg, ud) != 0) {
      usage(stderr);
      exit(2);
    }
  }
  if (optind < argc)
    cli_die("unexpected argument '%s' (see --help)", argv[optind]);
}
