/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stddef.h>

#include "base/secret.h"
#include "sync/aws_keys.h"

void pc_chain_creds_free(struct pc_chain_creds *c) {
  if (c == NULL)
    return;
  pc_free_secret(&c->key_id);
  pc_free_secret(&c->secret);
  pc_free_secret(&c->token);
  c->where = NULL;
}
