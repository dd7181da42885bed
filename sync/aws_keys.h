/* SPDX-License-Identifier: MIT */
/* aws_keys: a set of AWS keys for the sync tool's signed calls, and where
 * it came from. Filled by the chain (aws_chain.c) or by instance metadata
 * (imds.c). */
#ifndef PAM_COGNITO_AWS_KEYS_H
#define PAM_COGNITO_AWS_KEYS_H

struct pc_chain_creds {
  char *key_id;      /* access key id */
  char *secret;      /* secret access key; wiped on free */
  char *token;       /* session token or NULL; wiped on free */
  const char *where; /* static text naming the source, for logs */
};

/* Wipe and free every field. */
void pc_chain_creds_free(struct pc_chain_creds *c);

#endif
