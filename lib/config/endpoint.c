/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/endpoint.h"

/* Where the General Reference lists cognito-idp-fips and
 * cognito-identity-fips hosts (AWS Cognito endpoints and quotas; AWS
 * GovCloud (US) user guide, which says Cognito there has FIPS hosts only). */
static const char *const fips_idp[] = {
    "us-east-1",     "us-east-2",     "us-west-1", "us-west-2",
    "us-gov-west-1", "us-gov-east-1", NULL};
static const char *const fips_identity[] = {
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-gov-west-1", NULL};

static size_t letters(const char *p, const char *end) {
  size_t n = 0;

  while (p + n < end && islower((unsigned char)p[n]))
    n++;
  return n;
}

int pc_endpoint_region_ok(const char *s, size_t len) {
  const char *p = s, *end = s + len;
  size_t n, words = 0;

  n = letters(p, end);
  if (n < 2 || n > 4)
    return 0;
  p += n;
  /* one or two words, then the number */
  while (p < end && *p == '-' && (n = letters(p + 1, end)) > 0) {
    p += 1 + n;
    words++;
  }
  if (words < 1 || words > 2 || p >= end || *p++ != '-')
    return 0;
  for (n = 0; p < end && isdigit((unsigned char)*p); p++)
    n++;
  return n >= 1 && n <= 2 && p == end;
}

const char *pc_endpoint_suffix(const char *region) {
  if (region && strncmp(region, "cn-", 3) == 0)
    return "amazonaws.com.cn";
  if (region && strncmp(region, "eusc-", 5) == 0)
    return "amazonaws.eu";
  return "amazonaws.com";
}

static int listed(const char *const *list, const char *region) {
  for (; region && *list; list++)
    if (strcmp(*list, region) == 0)
      return 1;
  return 0;
}

int pc_endpoint_has_fips(const char *service, const char *region) {
  if (service && strcmp(service, "cognito-idp") == 0)
    return listed(fips_idp, region);
  if (service && strcmp(service, "cognito-identity") == 0)
    return listed(fips_identity, region);
  return 0;
}

int pc_endpoint_fips_only(const char *region) {
  return region && strncmp(region, "us-gov-", 7) == 0;
}

char *pc_endpoint_url(const char *service, const char *region, int fips) {
  const char *suffix = pc_endpoint_suffix(region), *f;
  char *s;
  int n;

  if (service == NULL || region == NULL)
    return NULL;
  f = fips || pc_endpoint_fips_only(region) ? "-fips" : "";
  n = snprintf(NULL, 0, "https://%s%s.%s.%s/", service, f, region, suffix);
  if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
    return NULL;
  (void)snprintf(s, (size_t)n + 1, "https://%s%s.%s.%s/", service, f, region,
                 suffix);
  return s;
}

char *pc_endpoint_issuer_path(const char *region, const char *pool_id) {
  const char *suffix = pc_endpoint_suffix(region);
  char *s;
  int n;

  if (region == NULL || pool_id == NULL)
    return NULL;
  n = snprintf(NULL, 0, "cognito-idp.%s.%s/%s", region, suffix, pool_id);
  if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
    return NULL;
  (void)snprintf(s, (size_t)n + 1, "cognito-idp.%s.%s/%s", region, suffix,
                 pool_id);
  return s;
}
