/* SPDX-License-Identifier: MIT */
/* STS AssumeRoleWithWebIdentity; see sts.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sts.h"
#include "aws/sts_xml.h"
#include "base/buf.h"
#include "base/codec.h"
#include "base/secret.h"
#include "net/api.h"
#include "net/api_errors.h"
#include "net/retry.h"

/* name=value with value percent-encoded (RFC 3986 unreserved kept). */
static int form_field(struct pc_buf *b, const char *name, const char *value) {
  return pc_buf_appendf(b, "&%s=", name) != 0 || pc_pct_encode(b, value) != 0
             ? -1
             : 0;
}

/* What to change for a refusal an administrator can fix. */
static const char *code_hint(const char *code) {
  if (strcmp(code, "AccessDenied") == 0)
    return " (the role's trust policy must allow sts:AssumeRoleWithWebIdentity "
           "for cognito-identity.amazonaws.com with this identity pool as "
           "aud and amr authenticated)";
  if (strcmp(code, "RegionDisabledException") == 0)
    return " (activate STS in this region, or set sts_endpoint)";
  return "";
}

/* Judge STS's answer of HTTP status (a pc_reply_judge; ctx: the
 * credentials to fill). *retry: throttling, or a 5xx. */
static enum pc_status judge(void *ctx, long status, const struct pc_buf *rb,
                            struct pc_error *err, int *retry) {
  struct pc_aws_creds *creds = ctx;
  const struct pc_errtable_row *row;
  char code[96], message[512];
  enum pc_sts_kind k;

  *retry = 0;
  err->type[0] = '\0'; /* an earlier attempt's */
  err->message[0] = '\0';
  k = pc_sts_xml_parse(rb->data, rb->len, creds, code, sizeof code, message,
                       sizeof message);
  if (k == PC_STS_CREDENTIALS && status == 200)
    return PC_OK;
  pc_aws_creds_free(creds);
  if (status >= 500) {
    *retry = 1;
    err->cause = PC_CAUSE_SERVER;
    return pc_error_set(
        err, PC_ERR_UNAVAIL, "STS AssumeRoleWithWebIdentity: HTTP %ld%s%s",
        status, k == PC_STS_ERROR ? ": " : "", k == PC_STS_ERROR ? code : "");
  }
  if (k == PC_STS_ERROR && status >= 400) {
    (void)snprintf(err->type, sizeof err->type, "%s", code);
    (void)snprintf(err->message, sizeof err->message, "%s", message);
    /* lib/net/api_errors.c has a row for every code the model lists for
     * this call and for the query protocol's common ones. */
    row = pc_errtable_find(code, message);
    *retry = row->retry;
    return pc_error_set(err, row->status,
                        "STS AssumeRoleWithWebIdentity refused: %s: %s%s [%s]",
                        code, message, code_hint(code), row->note);
  }
  return pc_error_set(err, PC_ERR_PROTOCOL,
                      "STS AssumeRoleWithWebIdentity: malformed reply (HTTP "
                      "%ld, not an STS answer)",
                      status);
}

enum pc_status pc_sts_assume_role(struct pc_client *cl, const char *role,
                                  const char *session, const char *token,
                                  struct pc_aws_creds *creds,
                                  struct pc_error *err) {
  struct pc_buf body;
  struct pc_request rq;
  char *url;
  enum pc_status st;

  memset(creds, 0, sizeof *creds);
  pc_error_clear(err);
  if (cl == NULL || cl->http == NULL || role == NULL || session == NULL ||
      token == NULL)
    return pc_error_set(err, PC_ERR_CONFIG, "STS: invalid call");
  if ((url = pc_config_sts_url(cl->cfg)) == NULL)
    return pc_error_set(err, PC_ERR_NOMEM, "STS: out of memory");
  pc_buf_init(&body, 64 * 1024);
  if (pc_buf_appendf(&body, "Action=AssumeRoleWithWebIdentity") != 0 ||
      form_field(&body, "Version", "2011-06-15") != 0 ||
      form_field(&body, "RoleArn", role) != 0 ||
      form_field(&body, "RoleSessionName", session) != 0 ||
      form_field(&body, "WebIdentityToken", token) != 0) {
    st = pc_error_set(err, PC_ERR_NOMEM, "STS: out of memory");
  } else {
    /* A form (target ""): the AWS query protocol. Asking again cannot do
     * the work twice: every answer is new credentials. */
    rq = (struct pc_request){url, "", &body, 1, judge, creds};
    st = pc_send_with_retries(cl->http, cl->cfg, cl->retries, &rq, err);
    if (st != PC_OK && err->detail[0] == '\0') /* no answer at all */
      (void)pc_error_set(err, st, "STS AssumeRoleWithWebIdentity: %s",
                         err->message);
  }
  pc_buf_free(&body); /* wiped: the token */
  free(url);
  return st;
}
