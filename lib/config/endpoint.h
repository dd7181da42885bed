/* SPDX-License-Identifier: MIT */
/* endpoint: the AWS host names of a region, as botocore's endpoint data
 * gives them (endpoint.c names the version). Each partition has its own DNS
 * suffix (amazonaws.com, amazonaws.com.cn for China, amazonaws.eu for the
 * European Sovereign Cloud, the ISO partitions' own); FIPS hosts exist only
 * where the data lists one (not in us-gov-east-1 for Cognito). A pool's
 * tokens carry one of two issuers (the original cognito-idp host, or the
 * updated issuer-cognito-idp host); the identity pool's Logins key is the
 * provider name, which always names the plain cognito-idp host. */
#ifndef PAM_COGNITO_ENDPOINT_H
#define PAM_COGNITO_ENDPOINT_H

#include <stddef.h>

/* 1 when the len bytes at s look like a region of some partition:
 * [a-z]{2,4}(-[a-z]+)?-[a-z]+-[0-9]{1,2} (us-east-1, us-gov-west-1,
 * cn-north-1, eusc-de-east-1). */
int pc_endpoint_region_ok(const char *s, size_t len);

/* The name of region's partition ("aws", "aws-cn", "aws-us-gov",
 * "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"); a region
 * of no other partition is "aws"'s, as botocore resolves it. */
const char *pc_endpoint_partition(const char *region);

/* The DNS suffix of region's partition. */
const char *pc_endpoint_suffix(const char *region);

/* 1 when AWS offers service ("cognito-idp", "cognito-identity" or "sts") on
 * a FIPS host in region. */
int pc_endpoint_has_fips(const char *service, const char *region);

/* "https://<service>.<region>.<suffix>/", or with fips the FIPS host the
 * data lists for service in region (the plain host where it lists none),
 * as a heap string; NULL without memory. */
char *pc_endpoint_url(const char *service, const char *region, int fips);

/* The two issuers a user pool's tokens can carry (IssuerConfiguration). */
enum pc_issuer_form {
  PC_ISSUER_ORIGINAL, /* https://cognito-idp.<region>.<suffix>/<pool> */
  PC_ISSUER_UPDATED   /* https://issuer-cognito-idp.<region>.<suffix>/<pool> */
};

/* The issuer of form for the pool, as a heap string or NULL. */
char *pc_endpoint_issuer(const char *region, const char *pool_id,
                         enum pc_issuer_form form);

/* "cognito-idp.<region>.<suffix>/<pool_id>": the original issuer without
 * its scheme, which is the provider name an identity pool registers a user
 * pool under, and so the Logins key whichever issuer the pool uses; heap
 * string or NULL. */
char *pc_endpoint_issuer_path(const char *region, const char *pool_id);

#endif
