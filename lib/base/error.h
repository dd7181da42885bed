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

/* Trouble a call got past without failing (a cache file it could not
 * write, a fallback it took, a device record it set aside), for the caller
 * to log once the call is done: status PC_OK marks a note for debug,
 * anything else a warning. */
#define PC_NOTES_MAX 4
struct pc_note {
  enum pc_status status;
  char text[768];
};

struct pc_error {
  enum pc_status status; /* PC_OK while nothing failed */
  enum pc_cause cause;   /* for a failed call: why no answer came */
  long http_status;      /* 0 when no HTTP answer arrived */
  char type[96];         /* the server's error type without namespace */
  char message[512];     /* the server's message */
  char request_id[80];   /* x-amzn-RequestId of the last answer */
  char detail[768];      /* what failed, one line for syslog */
  int n_notes;           /* notes kept, at most PC_NOTES_MAX */
  struct pc_note note[PC_NOTES_MAX];
};

/* Add a note to e (e may be NULL; past PC_NOTES_MAX, dropped). Every call
 * that takes e starts by clearing it, notes included: a function that goes
 * on calling with e after a note keeps its notes aside and adds them when
 * those calls are done (pc_error_add_notes). */
void pc_error_note(struct pc_error *e, enum pc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append src's notes to dst's (either may be NULL). */
void pc_error_add_notes(struct pc_error *dst, const struct pc_error *src);

/* Reset e to "no error" (e may be NULL). */
void pc_error_clear(struct pc_error *e);

/* The status of a call that failed, for one that kept its failure in a flag
 * and its cause in e: e's status when it records a failure, else fallback
 * (e may be NULL). */
enum pc_status pc_error_failed(const struct pc_error *e,
                               enum pc_status fallback);

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

/* Copy src into dst (size n), replacing control characters and malformed
 * UTF-8 with '?', so that server text is safe on a terminal or in a log. */
void pc_sanitize(char *dst, size_t n, const char *src);

#endif
