/* SPDX-License-Identifier: MIT */
/* fuzz_sts: STS's XML answer (lib/aws/sts_xml.c), the basic flow's only
 * parser that is not JSON.
 *
 * The bytes go as exactly size bytes to pc_sts_xml_parse. Credentials read
 * are three non-empty strings without a NUL inside and a positive
 * expiration; an error has a non-empty code. What was read survives a
 * round trip: written back as the answer STS would send (the values
 * escaped), it reads the same. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sts_xml.h"
#include "base/buf.h"

/* s with the five XML specials escaped, appended to b. */
static int escaped(struct pc_buf *b, const char *s) {
  int bad = 0;

  for (; !bad && *s; s++) {
    const char *e = *s == '&'    ? "&amp;"
                    : *s == '<'  ? "&lt;"
                    : *s == '>'  ? "&gt;"
                    : *s == '"'  ? "&quot;"
                    : *s == '\'' ? "&apos;"
                                 : NULL;
    bad = e ? pc_buf_appendf(b, "%s", e) != 0 : pc_buf_append(b, s, 1) != 0;
  }
  return bad;
}

static void roundtrip(const struct pc_aws_creds *cr) {
  struct pc_aws_creds again;
  struct pc_buf b;
  char when[32], code[96], msg[512];
  int bad;

  if (pc_iso8601(cr->expiration, when, sizeof when) != 0)
    return; /* past 9999: not written back */
  pc_buf_init(&b, 64 * 1024);
  bad = pc_buf_appendf(&b, "<AssumeRoleWithWebIdentityResponse><Assume"
                           "RoleWithWebIdentityResult><Credentials>"
                           "<AccessKeyId>") != 0 ||
        escaped(&b, cr->access_key_id) ||
        pc_buf_appendf(&b, "</AccessKeyId><SecretAccessKey>") != 0 ||
        escaped(&b, cr->secret_access_key) ||
        pc_buf_appendf(&b, "</SecretAccessKey><SessionToken>") != 0 ||
        escaped(&b, cr->session_token) ||
        pc_buf_appendf(&b,
                       "</SessionToken><Expiration>%s</Expiration>"
                       "</Credentials></AssumeRoleWithWebIdentityResult>"
                       "</AssumeRoleWithWebIdentityResponse>",
                       when) != 0;
  if (!bad) {
    if (pc_sts_xml_parse(b.data, b.len, &again, code, sizeof code, msg,
                         sizeof msg) != PC_STS_CREDENTIALS ||
        strcmp(again.access_key_id, cr->access_key_id) != 0 ||
        strcmp(again.secret_access_key, cr->secret_access_key) != 0 ||
        strcmp(again.session_token, cr->session_token) != 0 ||
        again.expiration != cr->expiration)
      abort();
    pc_aws_creds_free(&again);
  }
  pc_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct pc_aws_creds cr;
  char code[96], msg[512];

  switch (pc_sts_xml_parse((const char *)data, size, &cr, code, sizeof code,
                           msg, sizeof msg)) {
  case PC_STS_CREDENTIALS:
    if (cr.access_key_id == NULL || !*cr.access_key_id ||
        cr.secret_access_key == NULL || !*cr.secret_access_key ||
        cr.session_token == NULL || !*cr.session_token || cr.expiration <= 0)
      abort();
    roundtrip(&cr);
    pc_aws_creds_free(&cr);
    break;
  case PC_STS_ERROR:
    if (code[0] == '\0' || cr.access_key_id != NULL)
      abort();
    break;
  case PC_STS_MALFORMED:
    if (cr.access_key_id != NULL || cr.secret_access_key != NULL ||
        cr.session_token != NULL)
      abort();
    break;
  default:
    abort();
  }
  return 0;
}
