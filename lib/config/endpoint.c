/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/endpoint.h"

/* The two tables below reflect botocore's botocore/data/endpoints.json and
 * partitions.json at botocore commit 0e6e2404b85d (data of 2026-08-07), for
 * the services the module and pam_cognito-sync call: cognito-idp,
 * cognito-identity and sts. Update both together from a newer botocore. */

/* A partition: the prefix its regions begin with (botocore's regionRegex,
 * first match wins, "aws" last) and its DNS suffix. */
static const struct partition {
  const char *name, *prefix, *suffix;
} partitions[] = {
    {"aws-cn", "cn-", "amazonaws.com.cn"},
    {"aws-us-gov", "us-gov-", "amazonaws.com"},
    {"aws-iso", "us-iso-", "c2s.ic.gov"},
    {"aws-iso-b", "us-isob-", "sc2s.sgov.gov"},
    {"aws-iso-e", "eu-isoe-", "cloud.adc-e.uk"},
    {"aws-iso-f", "us-isof-", "csp.hci.ic.gov"},
    {"aws-eusc", "eusc-de-", "amazonaws.eu"},
    {"aws", "", "amazonaws.com"},
};

/* Every FIPS host endpoints.json lists (a "fips" variant) for these
 * services; a service and region not here has none. GovCloud's STS FIPS
 * variant is the plain host; us-gov-east-1 has no FIPS host of either
 * Cognito service. */
static const struct fips_host {
  const char *service, *region, *host;
} fips_hosts[] = {
    {"cognito-idp", "us-east-1", "cognito-idp-fips.us-east-1.amazonaws.com"},
    {"cognito-idp", "us-east-2", "cognito-idp-fips.us-east-2.amazonaws.com"},
    {"cognito-idp", "us-west-1", "cognito-idp-fips.us-west-1.amazonaws.com"},
    {"cognito-idp", "us-west-2", "cognito-idp-fips.us-west-2.amazonaws.com"},
    {"cognito-idp", "us-gov-west-1",
     "cognito-idp-fips.us-gov-west-1.amazonaws.com"},
    {"cognito-identity", "us-east-1",
     "cognito-identity-fips.us-east-1.amazonaws.com"},
    {"cognito-identity", "us-east-2",
     "cognito-identity-fips.us-east-2.amazonaws.com"},
    {"cognito-identity", "us-west-1",
     "cognito-identity-fips.us-west-1.amazonaws.com"},
    {"cognito-identity", "us-west-2",
     "cognito-identity-fips.us-west-2.amazonaws.com"},
    {"cognito-identity", "us-gov-west-1",
     "cognito-identity-fips.us-gov-west-1.amazonaws.com"},
    {"sts", "us-east-1", "sts-fips.us-east-1.amazonaws.com"},
    {"sts", "us-east-2", "sts-fips.us-east-2.amazonaws.com"},
    {"sts", "us-west-1", "sts-fips.us-west-1.amazonaws.com"},
    {"sts", "us-west-2", "sts-fips.us-west-2.amazonaws.com"},
    {"sts", "us-gov-east-1", "sts.us-gov-east-1.amazonaws.com"},
    {"sts", "us-gov-west-1", "sts.us-gov-west-1.amazonaws.com"},
};

#define NFIPS (sizeof(fips_hosts) / sizeof(fips_hosts[0]))
#define NPARTITIONS (sizeof(partitions) / sizeof(partitions[0]))

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

static const struct partition *partition_of(const char *region) {
  size_t i;

  for (i = 0; region && i + 1 < NPARTITIONS; i++)
    if (strncmp(region, partitions[i].prefix, strlen(partitions[i].prefix)) ==
        0)
      return &partitions[i];
  return &partitions[NPARTITIONS - 1];
}

const char *pc_endpoint_partition(const char *region) {
  return partition_of(region)->name;
}

const char *pc_endpoint_suffix(const char *region) {
  return partition_of(region)->suffix;
}

static const char *fips_host(const char *service, const char *region) {
  size_t i;

  for (i = 0; service && region && i < NFIPS; i++)
    if (strcmp(fips_hosts[i].service, service) == 0 &&
        strcmp(fips_hosts[i].region, region) == 0)
      return fips_hosts[i].host;
  return NULL;
}

int pc_endpoint_has_fips(const char *service, const char *region) {
  return fips_host(service, region) != NULL;
}

/* A heap string printed from a literal format, or NULL without memory. */
#define PRINT_NEW(out, ...)                                                    \
  do {                                                                         \
    int n_ = snprintf(NULL, 0, __VA_ARGS__);                                   \
    (out) = n_ < 0 ? NULL : malloc((size_t)n_ + 1);                            \
    if ((out) != NULL)                                                         \
      (void)snprintf((out), (size_t)n_ + 1, __VA_ARGS__);                      \
  } while (0)

char *pc_endpoint_url(const char *service, const char *region, int fips) {
  const char *host;
  char *s;

  if (service == NULL || region == NULL)
    return NULL;
  /* A FIPS host where the data lists one; elsewhere the plain host (the
   * configuration refuses use_fips where there is none: cfg.c). */
  if (fips && (host = fips_host(service, region)) != NULL)
    PRINT_NEW(s, "https://%s/", host);
  else
    PRINT_NEW(s, "https://%s.%s.%s/", service, region,
              pc_endpoint_suffix(region));
  return s;
}

char *pc_endpoint_issuer_path(const char *region, const char *pool_id) {
  char *s;

  if (region == NULL || pool_id == NULL)
    return NULL;
  PRINT_NEW(s, "cognito-idp.%s.%s/%s", region, pc_endpoint_suffix(region),
            pool_id);
  return s;
}

char *pc_endpoint_issuer(const char *region, const char *pool_id,
                         enum pc_issuer_form form) {
  const char *host =
      form == PC_ISSUER_UPDATED ? "issuer-cognito-idp" : "cognito-idp";
  char *s;

  if (region == NULL || pool_id == NULL)
    return NULL;
  PRINT_NEW(s, "https://%s.%s.%s/%s", host, region, pc_endpoint_suffix(region),
            pool_id);
  return s;
}
