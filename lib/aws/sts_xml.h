/* SPDX-License-Identifier: MIT */
/* sts_xml: the answer of STS AssumeRoleWithWebIdentity (the AWS query
 * protocol answers in XML). A small strict reader of the subset STS sends:
 * one root element, elements with attributes, text with the five named
 * entities and numeric ASCII references, an XML declaration at the start.
 * Anything else (DOCTYPE, CDATA, comments, processing instructions, a
 * second root, an unclosed or mismatched tag, a wanted field twice or with
 * children, an Error element in a success) makes the document malformed:
 * it is never guessed at. */
#ifndef PAM_COGNITO_STS_XML_H
#define PAM_COGNITO_STS_XML_H

#include <stddef.h>

#include "store/creds_doc.h"

/* What an STS answer said. */
enum pc_sts_kind {
  PC_STS_MALFORMED = -1,  /* not an STS answer: nothing in it is used */
  PC_STS_CREDENTIALS = 0, /* AssumeRoleWithWebIdentityResponse, complete */
  PC_STS_ERROR = 1        /* ErrorResponse: code and message */
};

/* Read the len bytes at xml. PC_STS_CREDENTIALS: creds filled (release with
 * pc_aws_creds_free; the four fields AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration of AssumeRoleWithWebIdentityResult/Credentials,
 * each present once and non-empty, Expiration an ISO 8601 UTC time whose
 * fraction of a second is dropped). PC_STS_ERROR: code (ErrorResponse/
 * Error/Code, required) and message (Error/Message, may be empty) copied,
 * sanitized, into the buffers of the given sizes. Every copy of a secret
 * made on the way is wiped. */
enum pc_sts_kind
pc_sts_xml_parse(const char *xml, size_t len, struct pc_aws_creds *creds,
                 char *code, size_t code_n, char *message, size_t message_n)
    __attribute__((warn_unused_result));

#endif
