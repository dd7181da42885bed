/* SPDX-License-Identifier: MIT */
/* sts: STS AssumeRoleWithWebIdentity, the last step of the identity pool's
 * basic flow: the OpenID token of GetOpenIdToken for temporary credentials
 * of a role whose trust policy allows the identity pool's authenticated
 * identities. The AWS query protocol: a form POSTed to the STS endpoint
 * (sts_endpoint, else the region's STS host), an XML answer (sts_xml.h). */
#ifndef PAM_COGNITO_STS_H
#define PAM_COGNITO_STS_H

#include "base/error.h"
#include "base/status.h"
#include "net/api.h"
#include "store/creds_doc.h"

/* Assume role for the identity behind token (a secret) as session name
 * (RoleSessionName, [\w+=,.@-]{2,64}). PC_OK with creds filled
 * (pc_aws_creds_free), or: the transport's failure; PC_ERR_UNAVAIL for a
 * 5xx; STS's refusal by its Code (InvalidIdentityToken, ExpiredToken,
 * IDPRejectedClaim: PC_ERR_AUTH; Throttling: PC_ERR_LIMIT; AccessDenied and
 * the rest: PC_ERR_DENIED), err's type and message STS's; anything else
 * PC_ERR_PROTOCOL. The request and the answer are wiped. */
enum pc_status pc_sts_assume_role(struct pc_client *cl, const char *role,
                                  const char *session, const char *token,
                                  struct pc_aws_creds *creds,
                                  struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
