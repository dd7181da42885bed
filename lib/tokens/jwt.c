/* SPDX-License-Identifier: MIT */
/* The claims of a compact JWT; see jwt.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/codec.h"
#include "base/secret.h"
#include "tokens/jwt.h"

json_object *pc_jwt_claims(const char *jwt) {
  const char *dot1, *dot2, *payload;
  unsigned char *text;
  size_t plen, tlen = 0;
  json_object *obj;

  if (jwt == NULL)
    return NULL;
  dot1 = strchr(jwt, '.');
  if (dot1 == NULL)
    return NULL;
  payload = dot1 + 1;
  dot2 = strchr(payload, '.');
  /* Exactly three segments: five would be an encrypted JWE, whose middle
   * segment is a key, not claims. */
  if (dot2 == NULL || strchr(dot2 + 1, '.') != NULL)
    return NULL;
  plen = (size_t)(dot2 - payload);
  if (!pc_base64url_valid(jwt, (size_t)(dot1 - jwt)) ||
      !pc_base64url_valid(payload, plen) ||
      !pc_base64url_valid(dot2 + 1, strlen(dot2 + 1)))
    return NULL;
  text = pc_base64url_decode(payload, plen, PC_JWT_MAX_CLAIMS, &tlen);
  if (text == NULL)
    return NULL;
  obj = pc_json_parse_object((const char *)text, tlen);
  /* Claims are not secret by themselves, but they describe the user: do
   * not leave them in freed memory either. */
  pc_wipe(text, tlen);
  free(text);
  return obj;
}

const char *pc_jwt_str(json_object *claims, const char *name) {
  return pc_json_str(claims, name);
}
