/* SPDX-License-Identifier: MIT */
/* creds_doc: temporary AWS credentials and the credential_process document,
 * AWS's JSON shape for them, which the store keeps and the helper prints. */
#ifndef PAM_COGNITO_CREDS_DOC_H
#define PAM_COGNITO_CREDS_DOC_H

#include <stddef.h>

/* Temporary AWS credentials as the credential_process JSON carries them. */
struct pc_aws_creds {
  char *access_key_id;
  char *secret_access_key;
  char *session_token;
  long long expiration; /* epoch seconds */
};

/* Wipe and free the strings and reset the struct; safe on a zeroed struct. */
void pc_aws_creds_free(struct pc_aws_creds *cr);

/* Format epoch (1970..9999, UTC) as "YYYY-MM-DDTHH:MM:SSZ" into buf of size
 * n (>= 21). 0 or -1. */
int pc_iso8601(long long epoch, char *buf, size_t n);

/* The exact inverse of pc_iso8601 ("YYYY-MM-DDTHH:MM:SSZ" only): 0 with
 * *out, or -1 for anything else. */
int pc_iso8601_parse(const char *s, long long *out)
    __attribute__((warn_unused_result));

/* The credential_process document {"Version": 1, "AccessKeyId", ...,
 * "Expiration": ISO 8601}: a string holding secrets, out of core dumps,
 * that the caller releases with pc_buf_string_free, or NULL (bad input, no
 * memory). */
char *pc_creds_process_json(const char *akid, const char *secret,
                            const char *token, long long expiration_epoch);

/* Parse such a document (Version 1, three non-empty strings, Expiration in
 * the format above) into out, whose strings the caller releases with
 * pc_aws_creds_free. 0, or -1 with out zeroed. json stays the caller's;
 * the parsed strings are wiped (json-c's own scratch copies cannot be). */
int pc_creds_process_parse(const char *json, struct pc_aws_creds *out)
    __attribute__((warn_unused_result));

#endif
