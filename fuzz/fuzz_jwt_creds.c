/* SPDX-License-Identifier: MIT */
/* fuzz_jwt_creds: token claims and the credential_process document.
 *
 * The bytes go as text to pc_jwt_claims and pc_creds_process_parse, and as
 * exactly size bytes to the strict pc_json_parse_object. A document that
 * parses must survive a round trip: pc_creds_process_json of what was read,
 * parsed again, gives the same credentials. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/creds_doc.h"
#include "tokens/jwt.h"

static void roundtrip(const struct pc_aws_creds *cr) {
  struct pc_aws_creds again;
  char *doc = pc_creds_process_json(cr->access_key_id, cr->secret_access_key,
                                    cr->session_token, cr->expiration);

  if (doc == NULL || pc_creds_process_parse(doc, &again) != 0 ||
      strcmp(again.access_key_id, cr->access_key_id) != 0 ||
      strcmp(again.secret_access_key, cr->secret_access_key) != 0 ||
      strcmp(again.session_token, cr->session_token) != 0 ||
      again.expiration != cr->expiration)
    abort();
  pc_aws_creds_free(&again);
  pc_buf_string_free(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct pc_aws_creds cr;
  json_object *o;
  long long exp;
  char *text;

  o = pc_json_parse_object((const char *)data, size);
  if (o != NULL && !json_object_is_type(o, json_type_object))
    abort();
  json_object_put(o);

  if ((text = malloc(size + 1)) == NULL)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';

  o = pc_jwt_claims(text);
  if (o != NULL) {
    (void)pc_jwt_str(o, "sub");
    (void)pc_jwt_str(o, "cognito:username");
    (void)pc_json_number(o, "exp", &exp);
    json_object_put(o);
  }

  if (pc_creds_process_parse(text, &cr) == 0) {
    /* "three non-empty strings" */
    if (cr.access_key_id == NULL || !*cr.access_key_id ||
        cr.secret_access_key == NULL || !*cr.secret_access_key ||
        cr.session_token == NULL || !*cr.session_token)
      abort();
    roundtrip(&cr);
    pc_aws_creds_free(&cr);
  } else if (cr.access_key_id || cr.secret_access_key || cr.session_token) {
    abort(); /* "-1 with out zeroed" */
  }
  free(text);
  return 0;
}
