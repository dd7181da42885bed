/* SPDX-License-Identifier: MIT */
/* fuzz_offline: the root-only offline verifier record (offline.json) that
 * decides a login while Cognito cannot be reached.
 *
 * The bytes are stored as the record, then an offline login with a wrong
 * password (which counts a failure and writes the record back), one with
 * the right password, a password change (the verifier is replaced) and a
 * refusal by Cognito (the verifier goes) run over it. yescrypt is not what
 * is tested and would cost milliseconds an input: this target links
 * crypt_r to a stand-in (below) that "hashes" the right password to the
 * setting it is given and any other to the setting with an "x" appended
 * (so never to a verifier). */
#include "config.h"

#include <crypt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "admit/offline_login.h"
#include "store/private_files.h"

#define RIGHT "Passw0rd!"

static struct pc_config cfg;

char *__wrap_crypt_r(const char *phrase, const char *setting,
                     struct crypt_data *cd);
char *__wrap_crypt_r(const char *phrase, const char *setting,
                     struct crypt_data *cd) {
  size_t n = strlen(setting);

  if (n + 1 >= sizeof cd->output)
    return NULL;
  memcpy(cd->output, setting, n + 1);
  if (strcmp(phrase, RIGHT) != 0)
    memcpy(cd->output + n, "x", 2);
  return cd->output;
}

static void login(const char *pw) {
  enum pc_offline_result res;
  time_t last = -1;
  struct pc_error why = {0};

  res = pc_offline_login(&cfg, FIXTURE_USER, getuid(), pw, FIXTURE_NOW, &last,
                         &why);
  if (memchr(why.detail, '\0', sizeof why.detail) == NULL ||
      res > PC_OFFLINE_ERROR)
    abort();
  /* Only the right password opens. */
  if (res == PC_OFFLINE_OK && strcmp(pw, RIGHT) != 0)
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  struct pc_error err;

  (void)argc, (void)argv;
  fixture_config(&cfg);
  if (pc_config_set(&cfg, "offline_days", "7", &err) != 0 ||
      pc_config_set(&cfg, "offline_failures", "3", &err) != 0 ||
      pc_config_set(&cfg, "allowed_groups", "admins", &err) != 0)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct pc_error why = {0};

  if (pc_private_write(cfg.cache_dir, FIXTURE_USER, "offline.json", data, size,
                       &why) != 0)
    abort();
  login("wrong");
  login(RIGHT);
  (void)pc_offline_repassword(&cfg, FIXTURE_USER, getuid(), RIGHT);
  login(RIGHT);
  (void)pc_offline_refused(&cfg, FIXTURE_USER, getuid(), RIGHT);
  return 0;
}
