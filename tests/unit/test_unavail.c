/* SPDX-License-Identifier: MIT */
/* unavail: the rule for "Cognito is unavailable" (lib/net/unavail.h), and the
 * causes the libcurl transport gives the failures a user can and cannot
 * make: a refused connection, a server that never answers, no file
 * descriptor left. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/http.h"
#include "tap.h"
#include "net/unavail.h"

static struct pc_error failed(enum pc_status st, enum pc_cause c) {
  struct pc_error e;

  memset(&e, 0, sizeof e);
  e.status = st;
  e.cause = c;
  return e;
}

static void test_the_rule(void) {
  struct pc_error e;
  int sig;

  for (sig = 0; sig <= 1; sig++) {
    e = failed(PC_ERR_UNAVAIL, PC_CAUSE_REFUSED);
    ok(pc_error_cognito_down(&e, sig), "refused counts (signal %d)", sig);
    e = failed(PC_ERR_UNAVAIL, PC_CAUSE_NO_NAME);
    ok(pc_error_cognito_down(&e, sig), "no such name counts (signal %d)", sig);
    e = failed(PC_ERR_UNAVAIL, PC_CAUSE_SERVER);
    ok(pc_error_cognito_down(&e, sig), "5xx counts (signal %d)", sig);
    e = failed(PC_ERR_UNAVAIL, PC_CAUSE_LOCAL);
    ok(!pc_error_cognito_down(&e, sig), "EMFILE never counts (signal %d)", sig);
    e = failed(PC_ERR_UNAVAIL, PC_CAUSE_OTHER);
    ok(!pc_error_cognito_down(&e, sig), "a reset never counts (signal %d)",
       sig);
    e = failed(PC_ERR_UNAVAIL, PC_CAUSE_NONE);
    ok(!pc_error_cognito_down(&e, sig), "an answer never counts (signal %d)",
       sig);
    e = failed(PC_ERR_LIMIT, PC_CAUSE_NONE);
    ok(!pc_error_cognito_down(&e, sig), "throttling never counts (signal %d)",
       sig);
    e = failed(PC_ERR_PROTOCOL, PC_CAUSE_REFUSED);
    ok(!pc_error_cognito_down(&e, sig), "only PC_ERR_UNAVAIL (signal %d)", sig);
  }
  e = failed(PC_ERR_UNAVAIL, PC_CAUSE_TIMEOUT);
  ok(pc_error_cognito_down(&e, 0), "a timeout counts where no user signals");
  ok(!pc_error_cognito_down(&e, 1), "a timeout in su/sudo does not");
  ok(!pc_error_cognito_down(NULL, 0), "no error: not down");
  ok(strstr(pc_error_not_down_why(&e, 1), "can stop") != NULL,
     "the log says why: %s", pc_error_not_down_why(&e, 1));
}

/* A loopback listener: port in *port, fd returned (-1 on failure). */
static int listener(int backlog, unsigned short *port) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      (backlog > 0 && listen(fd, backlog) != 0) ||
      getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  *port = ntohs(a.sin_port);
  return fd;
}

static enum pc_cause post_cause(struct pc_http *h, unsigned short port,
                                enum pc_status *st) {
  char url[64];
  struct pc_buf resp;
  long status = 0;

  (void)snprintf(url, sizeof url, "http://127.0.0.1:%u/", port);
  pc_buf_init(&resp, PC_HTTP_MAX_RESPONSE);
  *st = pc_http_post(h, url, "X.Y", "{}", 2, &status, &resp);
  pc_buf_free(&resp);
  return pc_http_cause(h);
}

static void test_transport_causes(void) {
  struct pc_http *h = pc_http_new(1, NULL);
  struct rlimit old, low;
  enum pc_status st;
  enum pc_cause c;
  unsigned short port = 0;
  int fd, hold[4], i;

  ok(h != NULL, "a libcurl transport");
  if (h == NULL)
    return;
  /* Bound but not listening: the kernel refuses at once. */
  fd = listener(0, &port);
  ok(post_cause(h, port, &st) == PC_CAUSE_REFUSED && st == PC_ERR_UNAVAIL,
     "connection refused: PC_CAUSE_REFUSED");
  close(fd);
  /* Listening, never answering: the reply times out (1 s). */
  fd = listener(4, &port);
  ok(post_cause(h, port, &st) == PC_CAUSE_TIMEOUT && st == PC_ERR_UNAVAIL,
     "no reply: PC_CAUSE_TIMEOUT");
  close(fd);
  /* No descriptor left for the socket: a local shortage, not an outage,
   * even on a handle whose last failure was a refusal (libcurl's errno of
   * that one stays behind). */
  fd = listener(0, &port);
  ok(post_cause(h, port, &st) == PC_CAUSE_REFUSED, "refused again");
  close(fd);
  fd = listener(0, &port);
  close(fd);
  for (i = 0; i < 4; i++)
    hold[i] = dup(0);
  if (getrlimit(RLIMIT_NOFILE, &old) == 0) {
    low = old;
    low.rlim_cur = (rlim_t)(hold[3] + 1); /* every number up to it is used */
    (void)setrlimit(RLIMIT_NOFILE, &low);
    for (i = 0; i < 4; i++) /* none free below the limit */
      if (hold[i] < 0)
        break;
    c = post_cause(h, port, &st);
    ok(c == PC_CAUSE_LOCAL, "EMFILE: PC_CAUSE_LOCAL (got %s, status %d)",
       pc_cause_str(c), (int)st);
    (void)setrlimit(RLIMIT_NOFILE, &old);
  }
  for (i = 0; i < 4; i++)
    if (hold[i] >= 0)
      close(hold[i]);
  pc_http_free(h);
}

int main(void) {
  test_the_rule();
  if (pc_http_global_init() == 0)
    test_transport_causes();
  return tap_done();
}
