/* SPDX-License-Identifier: MIT */
/* Canned wire data for the fuzzers and the allocation-failure driver: a
 * transport that serves a fixed list of HTTP answers, and a prompter that
 * answers every question with a fixed string. */
#ifndef PAM_COGNITO_FUZZ_CANNED_H
#define PAM_COGNITO_FUZZ_CANNED_H

#include <stddef.h>

#include "login/login.h"
#include "net/api.h"

/* How a reply arrives: an HTTP answer, or a transport-level failure. */
enum canned_kind { CANNED_HTTP, CANNED_UNAVAIL, CANNED_TOO_LARGE };

struct canned_reply {
  enum canned_kind kind;
  long status;
  const char *body; /* not NUL-terminated: len bytes */
  size_t len;
};

#define CANNED_MAX 16

struct canned {
  struct canned_reply r[CANNED_MAX];
  size_t n;    /* replies available */
  size_t next; /* replies served; past n every call fails as unreachable */
};

/* A transport serving c's replies in order to POSTs and GETs alike (c
 * stays the caller's). NULL when memory ran out. */
struct pc_http *canned_http(struct canned *c);

/* Split data into replies at each "\n--\n". The first byte of each piece
 * picks how it arrives: '4' HTTP 400, '5' HTTP 500, '3' HTTP 302,
 * 'T' unreachable, 'L' too large, anything else HTTP 200; the rest of the
 * piece is the body. Pointers go into data. */
void canned_split(struct canned *c, const unsigned char *data, size_t size);

/* Answers: "N3w-Passw0rd!" to password prompts, "1" to the MFA menu,
 * "123456" to code prompts, "value" to anything else (attributes). When
 * ctx is non-NULL it is an int counting the questions. */
extern const struct pc_prompter canned_prompter;

/* The login password the canned logins use (differs from the answers). */
#define CANNED_PASSWORD "Passw0rd!"

/* The contract of a canned login, checked after pc_login (aborts when
 * broken): PC_OK comes with both tokens; the failure record is
 * terminated; nothing canned_prompter typed (password, new password, code)
 * reaches the syslog reason, the message or the device note unless the
 * server's own answers (data) held it. */
void canned_check_login(enum pc_status st, const struct pc_login_result *r,
                        const unsigned char *data, size_t size);

#endif
