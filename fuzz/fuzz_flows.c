/* SPDX-License-Identifier: MIT */
/* fuzz_flows: a server leading a USER_PASSWORD_AUTH login through the
 * longer flows: password reset (ForgotPassword, ConfirmForgotPassword),
 * MFA enrolment (AssociateSoftwareToken, VerifySoftwareToken, the QR
 * code, e-mail set-up), and this host as a remembered device
 * (NewDeviceMetadata, ConfirmDevice, UpdateDeviceStatus, DEVICE_SRP_AUTH,
 * DEVICE_PASSWORD_VERIFIER, a forgotten device), with UserContextData and
 * ClientMetadata on every request.
 *
 * The first byte of the input picks the setting: bit 0 a device record
 * written before the login (dropped after it), bit 1 a client secret
 * (with it, ClientMetadata and UserContextData from PAM_RHOST are sent);
 * the rest is HTTP answers as in fuzz_api_reply. One login per input
 * keeps an input cheap enough for 10 M executions. Checks as
 * fuzz_challenges: a PC_OK login has
 * both tokens, the failure record is terminated, and nothing the user typed
 * reaches the syslog reason unless the server itself sent it. The device
 * SRP arithmetic is cheap_modexp.c's stand-in. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canned.h"
#include "login/device.h"
#include "fixture.h"
#include "login/login.h"
#include "net/usercontext.h"

static struct pc_config with_secret, without_secret;
static const char *local_user;

static time_t fixed_now(void) {
  return FIXTURE_NOW;
}

/* The record a previous login of this host would have left. */
static void save_device(const struct pc_config *cfg) {
  static char username[] = "5e1a0c2d-0000-4000-8000-00000000a11c",
              key[] = "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
              group_key[] = "-Gq7XYZabc",
              password[] = "dev1cePassw0rdFromTheHost+AAAAAAAAAA==";
  struct pc_device d = {.pool_id = cfg->user_pool_id,
                        .username = username,
                        .key = key,
                        .group_key = group_key,
                        .password = password,
                        .mfa = 1};
  struct pc_error why = {0};

  if (pc_device_save(cfg->cache_dir, local_user, &d, &why) != 0) {
    fprintf(stderr, "fuzz_flows: %s\n", why.detail);
    abort();
  }
}

static void run(const struct pc_config *cfg, int with_device, struct canned *c,
                const uint8_t *data, size_t size) {
  static const struct pc_usercontext ctx = {
      .user = FIXTURE_USER, .service = "sshd", .rhost = "203.0.113.9"};
  struct pc_login_opts o = {.username = FIXTURE_USER,
                            .password = CANNED_PASSWORD,
                            .max_attempts = 2,
                            .max_rounds = 8,
                            .now = fixed_now,
                            .context = &ctx,
                            .device_dir = cfg->cache_dir,
                            .device_user = local_user,
                            .device_name = "host.example"};
  struct pc_prompter p = canned_prompter;
  struct pc_login_result r;
  struct pc_client cl;
  enum pc_status st;
  int asked = 0;

  c->next = 0;
  p.ctx = &asked;
  if (with_device)
    save_device(cfg);
  if (pc_client_init(&cl, cfg, canned_http(c)) != PC_OK)
    abort();
  cl.retries = 0;
  st = pc_login(&cl, &o, &p, &r);
  if (st == PC_OK) /* as auth does once the host admitted the user */
    pc_login_remember_device(&cl, &o, &p, &r);
  canned_check_login(st, &r, data, size);
  pc_login_result_free(&r);
  pc_client_free(&cl);
  pc_device_drop(cfg->cache_dir, local_user);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  struct pc_error err;
  char **meta = NULL;

  (void)argc, (void)argv;
  local_user = fixture_local_user();
  fixture_config(&with_secret);
  fixture_config(&without_secret);
  free(without_secret.client_secret);
  without_secret.client_secret = NULL;
  with_secret.auth_flow = without_secret.auth_flow = PC_FLOW_PASSWORD;
  if (pc_metadata_parse("app=pam\nwho=%u@%h from %r", &meta, &err) != 0) {
    fprintf(stderr, "fuzz_flows: %s\n", err.detail);
    abort();
  }
  with_secret.client_metadata = meta;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct canned c;

  if (size < 1)
    return 0;
  canned_split(&c, data + 1, size - 1);
  run(data[0] & 2 ? &with_secret : &without_secret, data[0] & 1, &c, data,
      size);
  return 0;
}
