/* SPDX-License-Identifier: MIT */
/* fuzz_store: the files of a user's store, which the user can write and
 * the credential helper and the session stages read back.
 *
 * The bytes are parsed as refresh.json by pc_handover_parse (a document
 * that parses must survive pc_handover_json and parse to the same fields),
 * then stored as each of credentials.json, identity_id and refresh.json and
 * read through the store as the helper does. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "fixture.h"
#include "store/user_files.h"

static struct pc_config cfg;
static struct pc_store store = PC_STORE_INIT;

static int same(const char *a, const char *b) {
  return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void check_handover(const struct pc_handover *h) {
  struct pc_handover again;
  struct pc_error e;
  char *doc;

  /* "identity id, user name and refresh token are non-empty strings" */
  if (h->identity_id == NULL || h->user_id == NULL || !*h->user_id ||
      h->refresh_token == NULL || !*h->refresh_token ||
      h->cfg.identity_pool_id == NULL)
    abort();
  doc = pc_handover_json(&h->cfg, h->identity_id, h->user_id, h->secret_hash,
                         h->device_key, h->refresh_token, h->refresh_call);
  if (doc == NULL)
    return; /* out of memory */
  if (pc_handover_parse(doc, strlen(doc), &again, &e) != 0 ||
      !same(again.identity_id, h->identity_id) ||
      !same(again.user_id, h->user_id) ||
      !same(again.secret_hash, h->secret_hash) ||
      !same(again.device_key, h->device_key) ||
      !same(again.refresh_token, h->refresh_token) ||
      !same(again.refresh_call, h->refresh_call) ||
      !same(again.cfg.region, h->cfg.region) ||
      !same(again.cfg.user_pool_id, h->cfg.user_pool_id) ||
      !same(again.cfg.client_id, h->cfg.client_id) ||
      !same(again.cfg.identity_pool_id, h->cfg.identity_pool_id) ||
      !same(again.cfg.idp_endpoint, h->cfg.idp_endpoint) ||
      !same(again.cfg.identity_endpoint, h->cfg.identity_endpoint) ||
      !same(again.cfg.role_arn, h->cfg.role_arn) ||
      !same(again.cfg.ca_file, h->cfg.ca_file) ||
      again.cfg.timeout != h->cfg.timeout)
    abort();
  /* The client secret never travels to the helper. */
  if (again.cfg.client_secret != NULL)
    abort();
  pc_handover_free(&again);
  pc_buf_string_free(&doc);
}

static void through_store(const uint8_t *data, size_t size) {
  struct pc_aws_creds cr;
  struct pc_handover h;
  struct pc_error e;
  char *id;

  if (pc_cache_write(&store.user, "credentials.json", data, size, &e) == 0) {
    if (pc_store_load_creds(&store, 0, &cr, &e) == PC_STORE_LOADED) {
      if (cr.access_key_id == NULL || cr.secret_access_key == NULL ||
          cr.session_token == NULL)
        abort();
      pc_aws_creds_free(&cr);
    } else if (cr.access_key_id || cr.secret_access_key || cr.session_token) {
      abort();
    }
  }
  if (pc_cache_write(&store.user, "identity_id", data, size, &e) == 0) {
    id = pc_store_load_identity(&store, cfg.identity_pool_id, &e);
    free(id);
  }
  if (pc_cache_write(&store.user, "refresh.json", data, size, &e) == 0 &&
      pc_store_load_handover(&store, &h, &e) == 0) {
    check_handover(&h);
    pc_handover_free(&h);
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  struct pc_error e;

  (void)argc, (void)argv;
  fixture_config(&cfg);
  if (pc_store_open(&store, cfg.cache_dir, fixture_local_user(), getuid(),
                    getgid(), 1, &e) != 0) {
    fprintf(stderr, "fuzz_store: cannot open the store under %s\n",
            cfg.cache_dir);
    abort();
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct pc_handover h;
  struct pc_error e;

  if (pc_handover_parse((const char *)data, size, &h, &e) == 0) {
    check_handover(&h);
    pc_handover_free(&h);
  } else if (h.identity_id || h.user_id || h.refresh_token || h.secret_hash) {
    abort(); /* "h released" */
  }
  through_store(data, size);
  return 0;
}
