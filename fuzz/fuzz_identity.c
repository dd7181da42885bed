/* SPDX-License-Identifier: MIT */
/* fuzz_identity: the identity-pool exchange after a login and a password
 * change, as the server answers them.
 *
 * The input is HTTP answers as in fuzz_api_reply: GetId and
 * GetCredentialsForIdentity (pc_credentials_after_login, which also saves
 * credentials.json and refresh.json in the user's store), then
 * ChangePassword. Credentials that come back must be three non-empty
 * strings with a valid identity id, and what was saved must read back the
 * same through the store, as the session stages and the helper read it. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canned.h"
#include "aws/session_creds.h"
#include "fixture.h"
#include "fixture_keys.h"
#include "aws/identity_pool.h"
#include "login/change_password.h"
#include "store/user_files.h"

static struct pc_config cfg;
static struct pc_store store = PC_STORE_INIT;

static void check_saved(const struct pc_aws_creds *cr, const char *id) {
  struct pc_aws_creds back;
  struct pc_handover h;
  struct pc_error e;

  if (pc_store_load_creds(&store, LONG_MIN, &back, &e) != PC_STORE_LOADED ||
      strcmp(back.access_key_id, cr->access_key_id) != 0 ||
      strcmp(back.secret_access_key, cr->secret_access_key) != 0 ||
      strcmp(back.session_token, cr->session_token) != 0 ||
      back.expiration != cr->expiration)
    abort();
  pc_aws_creds_free(&back);
  if (pc_store_load_handover(&store, &h, &e) != 0 ||
      strcmp(h.identity_id, id) != 0 || strcmp(h.refresh_token, "rt") != 0)
    abort();
  pc_handover_free(&h);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  struct pc_error e;

  (void)argc, (void)argv;
  fixture_config(&cfg);
  if (pc_store_open(&store, cfg.cache_dir, fixture_local_user(), getuid(),
                    getgid(), 1, &e) != 0)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char at[] = "access-token", it[] = FIXTURE_ID_TOKEN, rt[] = "rt";
  struct pc_tokens t = {at, it, rt};
  struct pc_aws_creds cr;
  struct pc_client cl;
  struct pc_error e;
  struct canned c;
  enum pc_status st;
  char *id = NULL;

  /* Each input starts without a remembered identity or saved files. */
  (void)pc_cache_remove(&store.user, "identity_id");
  (void)pc_cache_remove(&store.user, "credentials.json");
  (void)pc_cache_remove(&store.user, "refresh.json");
  canned_split(&c, data, size);
  if (pc_client_init(&cl, &cfg, canned_http(&c)) != PC_OK)
    return 0;
  cl.retries = 0;
  st = pc_credentials_after_login(&cl, &cfg, &store, FIXTURE_USER, &t, &cr, &id,
                                  &e);
  if (st == PC_OK) {
    if (cr.access_key_id == NULL || !*cr.access_key_id ||
        cr.secret_access_key == NULL || !*cr.secret_access_key ||
        cr.session_token == NULL || !*cr.session_token || id == NULL ||
        !pc_identity_id_valid(id))
      abort();
    if (e.n_notes == 0)
      check_saved(&cr, id);
    pc_aws_creds_free(&cr);
  } else if (cr.access_key_id || cr.secret_access_key || cr.session_token) {
    abort();
  }
  free(id);
  if (memchr(e.detail, '\0', sizeof e.detail) == NULL)
    abort();
  (void)pc_change_password(&cl, at, "Passw0rd!", "N3w-Passw0rd!", &e);
  if (memchr(e.message, '\0', sizeof e.message) == NULL)
    abort();
  pc_client_free(&cl);
  return 0;
}
