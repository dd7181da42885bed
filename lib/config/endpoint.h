/* SPDX-License-Identifier: MIT */
/* endpoint: the AWS host names of a region. Each partition has its own DNS
 * suffix (amazonaws.com, amazonaws.com.cn for China, amazonaws.eu for the
 * European Sovereign Cloud); FIPS hosts exist only where AWS offers them
 * (GovCloud offers nothing else); the pool's issuer, and so the identity
 * pool's Logins key, always names the plain cognito-idp host. */
#ifndef PAM_COGNITO_ENDPOINT_H
#define PAM_COGNITO_ENDPOINT_H

#include <stddef.h>

/* 1 when the len bytes at s look like a region of some partition:
 * [a-z]{2,4}(-[a-z]+)?-[a-z]+-[0-9]{1,2} (us-east-1, us-gov-west-1,
 * cn-north-1, eusc-de-east-1). */
int pc_endpoint_region_ok(const char *s, size_t len);

/* The DNS suffix of region's partition. */
const char *pc_endpoint_suffix(const char *region);

/* 1 when AWS offers service ("cognito-idp" or "cognito-identity") on a
 * FIPS host in region. */
int pc_endpoint_has_fips(const char *service, const char *region);

/* 1 when region offers service only on its FIPS host (GovCloud). */
int pc_endpoint_fips_only(const char *region);

/* "https://<service>[-fips].<region>.<suffix>/" (fips asked for, or the
 * region has nothing else), as a heap string; NULL without memory. */
char *pc_endpoint_url(const char *service, const char *region, int fips);

/* "cognito-idp.<region>.<suffix>/<pool_id>": the issuer without its
 * scheme, which is also the Logins key; heap string or NULL. */
char *pc_endpoint_issuer_path(const char *region, const char *pool_id);

#endif
