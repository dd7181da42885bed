/* SPDX-License-Identifier: MIT */
/* fuzz_account: the account stage (a login this process did not
 * authenticate, an SSH key say) over its root-only record and the
 * server's answers.
 *
 * The input is the record (account.json), then "\n--\n" and HTTP answers
 * as in fuzz_api_reply: the refresh (InitiateAuth REFRESH_TOKEN_AUTH), a
 * JWKS fetch when the stored set does not know the token's kid. The
 * fixture's JWKS is in the store, so seeds with tokens signed by the
 * fixture key reach the access rules (allowed_groups admins) and the
 * record written back; pc_account_check then runs a second time with the
 * server unreachable, over what the first run wrote. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admit/account_stage.h"
#include "canned.h"
#include "fixture.h"
#include "fixture_keys.h"
#include "store/private_files.h"
#include "tokens/jwks_cache.h"

static struct pc_config cfg;

static enum pc_account_result check(struct canned *c) {
  enum pc_account_result res = PC_ACCOUNT_ERROR;
  struct pc_client cl;
  struct pc_error why = {0};
  int graced = -1;

  if (pc_client_init(&cl, &cfg, canned_http(c)) != PC_OK)
    return res;
  cl.retries = 0;
  res = pc_account_check(&cl, FIXTURE_USER, getuid(), FIXTURE_NOW, NULL, 1,
                         &graced, &why);
  pc_client_free(&cl);
  /* graced only for an admission; why always terminated. */
  if ((graced != 0 && graced != 1) || (graced && res != PC_ACCOUNT_OK) ||
      memchr(why.detail, '\0', sizeof why.detail) == NULL)
    abort();
  return res;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  struct pc_error err;

  (void)argc, (void)argv;
  fixture_config(&cfg);
  if (pc_config_set(&cfg, "allowed_groups", "admins", &err) != 0 ||
      pc_config_set(&cfg, "account_grace", "3600", &err) != 0 ||
      pc_jwks_store_save(&cfg, FIXTURE_JWKS, strlen(FIXTURE_JWKS),
                         FIXTURE_NOW) != 0)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *sep = memmem(data, size, "\n--\n", 4);
  size_t rlen = sep ? (size_t)(sep - data) : size;
  struct canned c;
  struct pc_error why = {0};

  if (pc_private_write(cfg.cache_dir, FIXTURE_USER, "account.json", data, rlen,
                       &why) != 0)
    abort();
  if (sep != NULL)
    canned_split(&c, sep + 4, size - rlen - 4);
  else
    canned_split(&c, (const uint8_t *)"T", 1);
  (void)check(&c);
  /* Over what the first run kept, without a server. */
  canned_split(&c, (const uint8_t *)"T", 1);
  (void)check(&c);
  return 0;
}
