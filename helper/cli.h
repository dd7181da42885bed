/* SPDX-License-Identifier: MIT */
/* What both command-line tools (pam_cognito-credentials, pam_cognito-sync)
 * do alike: one stderr line and exit 1 on a fatal error, and the option
 * loop with --help, --version and stray arguments answered the same way. */
#ifndef PC_HELPER_CLI_H
#define PC_HELPER_CLI_H

#include <getopt.h>
#include <stdio.h>

/* The program's name: the prefix of every die() line and of --version. */
void cli_set_prog(const char *prog);

/* "<prog>: <message>" on stderr, then exit 1. */
void cli_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* getopt_long over argv. --help prints usage on stdout and exits 0,
 * --version prints the version and exits 0 (longopts map them to 'h' and
 * 'V'); every other option goes to on_opt, which returns 0 when it knows
 * it; an unknown option prints usage on stderr and exits 2; an argument
 * that is not an option dies. */
void cli_parse(int argc, char **argv, const char *shortopts,
               const struct option *longopts, void (*usage)(FILE *),
               int (*on_opt)(int c, const char *arg, void *ud), void *ud);

#endif
