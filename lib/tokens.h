/* The tokens of a successful sign-in or refresh (AuthenticationResult). */
#ifndef PAM_COGNITO_TOKENS_H
#define PAM_COGNITO_TOKENS_H

#include <json-c/json.h>

#include "status.h"

struct pc_tokens {
  char *access_token;
  char *id_token;
  char *refresh_token; /* NULL when the reply carried none (or "") */
  long expires_in;
};

void pc_tokens_free(struct pc_tokens *t); /* wipes */

/* Copy AccessToken, IdToken, RefreshToken and ExpiresIn out of an
 * AuthenticationResult object (ar may be NULL) into t. PC_OK, or
 * PC_ERR_PROTOCOL when the access or ID token is missing, PC_ERR_NOMEM;
 * on error t is released. */
enum pc_status pc_tokens_from_result(json_object *ar, struct pc_tokens *t)
    __attribute__((warn_unused_result));

#endif
