/* SPDX-License-Identifier: MIT */
/* A few lines of TAP for the unit tests: automake's tap-driver counts them. */
#ifndef PAM_COGNITO_TAP_H
#define PAM_COGNITO_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                          \
  do {                                                                         \
    int ok_c_ = (cond) ? 1 : 0;                                                \
    printf("%sok %d - ", ok_c_ ? "" : "not ", ++tap_n);                        \
    printf(__VA_ARGS__);                                                       \
    printf("\n");                                                              \
    if (!ok_c_) {                                                              \
      tap_failed++;                                                            \
      printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
    }                                                                          \
  } while (0)

#define is_str(got, want, ...)                                                 \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    int same_ = g_ && w_ && strcmp(g_, w_) == 0;                               \
    ok(same_, __VA_ARGS__);                                                    \
    if (!same_)                                                                \
      printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)",               \
             w_ ? w_ : "(null)");                                              \
  } while (0)

/* Print the plan and return the exit status. */
static inline int tap_done(void) {
  printf("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

#endif
