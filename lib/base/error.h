/* SPDX-License-Identifier: MIT */
/* error: the one way lib/ reports what went wrong. Every call that can fail
 * fills a struct pc_error: a status for the caller's decision, a sanitized
 * one-line detail for syslog, and, when the server answered with an error,
 * its type, message and request id (which an administrator can quote to AWS
 * support). Nothing in it is ever a secret. */
#ifndef PAM_COGNITO_ERROR_H
#define PAM_COGNITO_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include "base/status.h"

/* Why no usable answer came back, as the transport saw it; lib/net/unavail.h
 * decides from it whether Cognito counts as unavailable. */
enum pc_cause {
  PC_CAUSE_NONE = 0, /* an answer below 500 arrived, or nothing was sent */
  PC_CAUSE_REFUSED,  /* connection refused, network or host unreachable */
  PC_CAUSE_NO_NAME,  /* the resolver answered that the name does not exist */
  PC_CAUSE_SERVER,   /* the server's own 5xx (the last of the retries) */
  PC_CAUSE_TIMEOUT,  /* DNS, connect or reply too slow; login_timeout spent */
  PC_CAUSE_LOCAL,    /* this host ran short: EMFILE, ENOMEM, no buffers */
  PC_CAUSE_OTHER     /* a reset or cut reply, TLS, anything else */
};

/* A short fixed English name ("connection refused"). */
const char *pc_cause_str(enum pc_cause c);

struct pc_error {
  enum pc_status status; /* PC_OK while nothing failed */
  enum pc_cause cause;   /* for a failed call: why no answer came */
  long http_status;      /* 0 when no HTTP answer arrived */
  char type[96];         /* the server's error type without namespace */
  char message[512];     /* the server's message */
  char request_id[80];   /* x-amzn-RequestId of the last answer */
  char detail[768];      /* what failed, one line for syslog */
};

/* Trouble a call got past without failing (a cache file it could not
 * write, a fallback it took), for the caller to log: status PC_OK marks a
 * note for debug, anything else a warning. */
#define PC_WARNINGS_MAX 4
struct pc_warnings {
  int n;
  struct pc_error item[PC_WARNINGS_MAX];
};

/* Keep a copy of e in w (w may be NULL; past PC_WARNINGS_MAX, dropped). */
void pc_warn(struct pc_warnings *w, const struct pc_error *e);

/* Reset e to "no error" (e may be NULL). */
void pc_error_clear(struct pc_error *e);

/* Set e's status and detail (printf format; e may be NULL) and return st, so
 * that "return pc_error_set(e, PC_ERR_PROTOCOL, ...)" reads as it does. The
 * server fields stay as they are. */
enum pc_status pc_error_set(struct pc_error *e, enum pc_status st,
                            const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* pc_error_set with a va_list. */
enum pc_status pc_error_vset(struct pc_error *e, enum pc_status st,
                             const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* The one text of e for a log line or a message: the detail, or the server's
 * "type: message" when there is no detail, or the status name; then
 * " (request id ...)" when the server sent one. Returns out. */
const char *pc_error_text(const struct pc_error *e, char *out, size_t n);

/* Format into buf (size n; buf may be NULL or n 0: nothing happens). The
 * "why" and "err" texts that lib/ fills for a caller's log line. */
void pc_setf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copy src into dst (size n), replacing control characters and malformed
 * UTF-8 with '?', so that server text is safe on a terminal or in a log. */
void pc_sanitize(char *dst, size_t n, const char *src);

#endif
