/* SPDX-License-Identifier: MIT */
/* alloc-fail-login: one whole login against canned replies, run again with
 * the 1st, 2nd, ... allocation failing until a run makes no more
 * allocations than the count (every allocation point has been failed once).
 *
 *   alloc-fail-login [-o] [-p|-c] FILE...
 *
 * FILE holds replies in fuzz_api_reply's format (canned.h); -p runs
 * USER_PASSWORD_AUTH instead of SRP, -c a USER_AUTH login with a one-time
 * code as the first factor (the empty password); -o fails OpenSSL's
 * allocations too.
 * Without a failure each login must succeed. With one, the login may fail any
 * way or still succeed (not every allocation is essential), but it must not
 * crash (ASan), leak (LSan is asked after every run) or report success without
 * tokens. Prints "PASS: alloc-fail-login FILE (K points)" or FAIL lines; exit 1
 * on any failure. */
#include "config.h"

#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canned.h"
#include "failalloc.h"
#include "login/login.h"

#define MAX_INPUT (256 * 1024)

static struct pc_config cfg;
static int code_login; /* -c: USER_AUTH, the empty password asks for a code */

static time_t fixed_now(void) {
  return 1700000000;
}

/* One login over c. Returns its status; *bad is set when the result breaks
 * the contract. */
static enum pc_status login_once(struct canned *c, struct pc_http *http,
                                 int *bad) {
  struct pc_login_opts o = {.username = "alice",
                            .password = code_login ? "" : CANNED_PASSWORD,
                            .max_attempts = 3,
                            .max_rounds = 10,
                            .now = fixed_now};
  struct pc_login_result r;
  struct pc_client cl;
  enum pc_status st;

  c->next = 0;
  st = pc_client_init(&cl, &cfg, http);
  if (st != PC_OK)
    return st;
  cl.retries = 0;
  st = pc_login(&cl, &o, &canned_prompter, &r);
  if (st == PC_OK &&
      (r.tokens.access_token == NULL || r.tokens.id_token == NULL))
    *bad = 1;
  pc_login_result_free(&r);
  pc_client_free(&cl);
  return st;
}

static int run_file(const char *path, enum pc_auth_flow flow) {
  static char data[MAX_INPUT];
  struct canned c;
  struct pc_http *http;
  enum pc_status st;
  long n;
  size_t size;
  int bad = 0, fails = 0;
  FILE *f = fopen(path, "rb");

  if (f == NULL) {
    printf("FAIL: alloc-fail-login %s - cannot open\n", path);
    return 1;
  }
  size = fread(data, 1, sizeof(data), f);
  (void)fclose(f);
  canned_split(&c, (const unsigned char *)data, size);
  cfg.auth_flow = flow;

  for (n = 0;; n++) {
    /* The transport is made unarmed: pc_client_init would replace a NULL
     * one with libcurl, which must never reach the network here. */
    if ((http = canned_http(&c)) == NULL)
      abort();
    bad = 0;
    failalloc_arm(n);
    st = login_once(&c, http, &bad);
    (void)failalloc_disarm();
    if (__lsan_do_recoverable_leak_check() != 0) {
      printf("FAIL: alloc-fail-login %s - leak with allocation %ld failing\n",
             path, n);
      fails++;
    }
    if (bad) {
      printf("FAIL: alloc-fail-login %s - PC_OK without tokens with "
             "allocation %ld failing\n",
             path, n);
      fails++;
    }
    if (n == 0) {
      if (st != PC_OK) {
        printf("FAIL: alloc-fail-login %s - the login without a failure "
               "returned %s\n",
               path, pc_status_str(st));
        return 1;
      }
      continue;
    }
    if (!failalloc_injected())
      break; /* fewer allocations than n: every point was tried */
    if (fails > 10)
      break;
  }
  if (fails == 0)
    printf("PASS: alloc-fail-login %s (%ld allocation points)\n", path, n - 1);
  return fails != 0;
}

int main(int argc, char **argv) {
  struct pc_error err;
  enum pc_auth_flow flow = PC_FLOW_SRP;
  int i, rc = 0;

  for (i = 1; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-p") == 0) {
      flow = PC_FLOW_PASSWORD;
    } else if (strcmp(argv[i], "-c") == 0) {
      flow = PC_FLOW_USER_AUTH;
      code_login = 1;
    } else if (strcmp(argv[i], "-o") == 0) {
      /* Before anything else: OpenSSL takes hooks only before its first
       * allocation. */
      if (failalloc_openssl() != 0) {
        fprintf(stderr, "alloc-fail-login: -o must come first\n");
        return 2;
      }
    } else {
      break;
    }
  }
  if (i >= argc) {
    fprintf(stderr, "usage: alloc-fail-login [-o] [-p|-c] FILE...\n");
    return 2;
  }
  if (pc_config_init(&cfg) != 0 ||
      pc_config_set(&cfg, "region", "us-east-1", &err) != 0 ||
      pc_config_set(&cfg, "user_pool_id", "us-east-1_AbC123", &err) != 0 ||
      pc_config_set(&cfg, "client_id", "abc123", &err) != 0 ||
      pc_config_set(&cfg, "client_secret", "s3cret", &err) != 0) {
    fprintf(stderr, "alloc-fail-login: config: %s\n", err.detail);
    return 2;
  }
  cfg.first_factors = PC_FACTOR_PASSWORD_SRP | PC_FACTORS_CODE;
  for (; i < argc; i++)
    rc |= run_file(argv[i], flow);
  pc_config_free(&cfg);
  return rc;
}
