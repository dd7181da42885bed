/* SPDX-License-Identifier: MIT */
/* fuzz_api_reply: server replies through pc_api_call and whole logins.
 *
 * The input is a sequence of HTTP answers separated by "\n--\n" (see
 * canned_split): the first goes through one pc_api_call, then the whole
 * sequence answers an SRP login and a USER_PASSWORD_AUTH login, so that
 * challenge parsing, the SRP parameters (SALT, SRP_B, SECRET_BLOCK),
 * requiredAttributes and MFAS_CAN_CHOOSE are all reached. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/api.h"
#include "canned.h"
#include "login/login.h"

static struct pc_config cfg;

static time_t fixed_now(void) {
  return 1700000000;
}

/* A login that succeeds must have both tokens. */
static void check_login(enum pc_status st, const struct pc_login_result *r) {
  if (st == PC_OK &&
      (r->tokens.access_token == NULL || r->tokens.id_token == NULL))
    abort();
}

static void run_login(struct canned *c, enum pc_auth_flow flow) {
  struct pc_login_opts o = {.username = "alice",
                            .password = CANNED_PASSWORD,
                            .max_attempts = 2,
                            .max_rounds = 6,
                            .now = fixed_now};
  struct pc_login_result r;
  struct pc_client cl;
  enum pc_status st;

  c->next = 0;
  cfg.auth_flow = flow;
  if (pc_client_init(&cl, &cfg, canned_http(c)) != PC_OK)
    return;
  cl.retries = 0; /* retries sleep; a fuzzer must not */
  st = pc_login(&cl, &o, &canned_prompter, &r);
  check_login(st, &r);
  pc_login_result_free(&r);
  pc_client_free(&cl);
}

static void run_call(struct canned *c) {
  struct pc_error err;
  struct pc_client cl;
  json_object *req, *resp = NULL;
  enum pc_status st;

  c->next = 0;
  if (pc_client_init(&cl, &cfg, canned_http(c)) != PC_OK)
    return;
  cl.retries = 0;
  req = json_object_new_object();
  if (req != NULL) {
    st = pc_api_call(&cl, PC_USER_POOL, "InitiateAuth", req, &resp, &err);
    if ((st == PC_OK) != (resp != NULL))
      abort();
    /* The error text is shown to users: NUL-terminated, no control bytes. */
    if (memchr(err.message, '\0', sizeof(err.message)) == NULL ||
        memchr(err.type, '\0', sizeof(err.type)) == NULL)
      abort();
    (void)pc_json_str(resp, "ChallengeName");
    pc_json_put_secret(resp);
    json_object_put(req);
  }
  pc_client_free(&cl);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  struct pc_error err;

  (void)argc, (void)argv;
  if (pc_config_init(&cfg) != 0 ||
      pc_config_set(&cfg, "region", "us-east-1", &err) != 0 ||
      pc_config_set(&cfg, "user_pool_id", "us-east-1_AbC123", &err) != 0 ||
      pc_config_set(&cfg, "client_id", "abc123", &err) != 0 ||
      pc_config_set(&cfg, "client_secret", "s3cret", &err) != 0)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct canned c;

  canned_split(&c, data, size);
  run_call(&c);
  run_login(&c, PC_FLOW_SRP);
  run_login(&c, PC_FLOW_PASSWORD);
  return 0;
}
