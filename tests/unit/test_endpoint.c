/* SPDX-License-Identifier: MIT */
/* endpoint + usercontext + their configuration keys: host names per
 * partition, FIPS where AWS offers it (and a clear refusal elsewhere), the
 * issuer and Logins key, https_proxy, client_metadata and the context a
 * request carries. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/identity_pool.h"
#include "base/json.h"
#include "config/cfg.h"
#include "config/endpoint.h"
#include "tokens/idtoken.h"
#include "tap.h"
#include "net/usercontext.h"

static struct pc_error err;

/* A config with region/pool/client set, plus extra "key", "value" pairs. */
static int make(struct pc_config *c, const char *region, const char *pool,
                const char *const *kv) {
  if (pc_config_init(c) != 0 || pc_config_set(c, "region", region, &err) != 0 ||
      pc_config_set(c, "user_pool_id", pool, &err) != 0 ||
      pc_config_set(c, "client_id", "abc123", &err) != 0)
    return -1;
  for (; kv && kv[0]; kv += 2)
    if (pc_config_set(c, kv[0], kv[1], &err) != 0)
      return -1;
  return pc_config_validate(c, &err);
}

static void check_url(const char *region, const char *pool,
                      const char *const *kv, const char *idp,
                      const char *issuer, const char *login) {
  struct pc_config c;
  char *u = NULL, *i = NULL, *l = NULL;

  ok(make(&c, region, pool, kv) == 0, "%s: valid (%s)", region, err.detail);
  u = pc_config_idp_url(&c);
  is_str(u, idp, "%s: user-pool host", region);
  i = pc_idtoken_issuer(&c);
  is_str(i, issuer, "%s: issuer", region);
  l = pc_identity_login_key(&c);
  is_str(l, login, "%s: Logins key follows the issuer", region);
  free(u);
  free(i);
  free(l);
  pc_config_free(&c);
}

static void test_partitions(void) {
  static const char *const fips[] = {"use_fips", "true", NULL};

  check_url("us-east-1", "us-east-1_Ab1", NULL,
            "https://cognito-idp.us-east-1.amazonaws.com/",
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab1",
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab1");
  check_url("cn-north-1", "cn-north-1_Ab1", NULL,
            "https://cognito-idp.cn-north-1.amazonaws.com.cn/",
            "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Ab1",
            "cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Ab1");
  check_url("eusc-de-east-1", "eusc-de-east-1_Ab1", NULL,
            "https://cognito-idp.eusc-de-east-1.amazonaws.eu/",
            "https://cognito-idp.eusc-de-east-1.amazonaws.eu/"
            "eusc-de-east-1_Ab1",
            "cognito-idp.eusc-de-east-1.amazonaws.eu/eusc-de-east-1_Ab1");
  check_url("us-east-2", "us-east-2_Ab1", fips,
            "https://cognito-idp-fips.us-east-2.amazonaws.com/",
            "https://cognito-idp.us-east-2.amazonaws.com/us-east-2_Ab1",
            "cognito-idp.us-east-2.amazonaws.com/us-east-2_Ab1");
  /* GovCloud, as botocore's endpoint data has it (issue 24 item 7 changed
   * this: us-gov-west-1 went to its FIPS host even without use_fips): the
   * plain host by default, the FIPS host with use_fips. */
  check_url("us-gov-west-1", "us-gov-west-1_Ab1", NULL,
            "https://cognito-idp.us-gov-west-1.amazonaws.com/",
            "https://cognito-idp.us-gov-west-1.amazonaws.com/"
            "us-gov-west-1_Ab1",
            "cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_Ab1");
  check_url("us-gov-west-1", "us-gov-west-1_Ab1", fips,
            "https://cognito-idp-fips.us-gov-west-1.amazonaws.com/",
            "https://cognito-idp.us-gov-west-1.amazonaws.com/"
            "us-gov-west-1_Ab1",
            "cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_Ab1");
  /* us-gov-east-1 has no FIPS host: never sent to one. */
  check_url("us-gov-east-1", "us-gov-east-1_Ab1", NULL,
            "https://cognito-idp.us-gov-east-1.amazonaws.com/",
            "https://cognito-idp.us-gov-east-1.amazonaws.com/"
            "us-gov-east-1_Ab1",
            "cognito-idp.us-gov-east-1.amazonaws.com/us-gov-east-1_Ab1");
  check_url("us-iso-east-1", "us-iso-east-1_Ab1", NULL,
            "https://cognito-idp.us-iso-east-1.c2s.ic.gov/",
            "https://cognito-idp.us-iso-east-1.c2s.ic.gov/us-iso-east-1_Ab1",
            "cognito-idp.us-iso-east-1.c2s.ic.gov/us-iso-east-1_Ab1");

  ok(pc_endpoint_region_ok("ap-southeast-5", 14), "ap-southeast-5");
  ok(!pc_endpoint_region_ok("useast1", 7), "useast1 refused");
  ok(!pc_endpoint_region_ok("us-east-", 8), "us-east- refused");
  ok(!pc_endpoint_region_ok("abcde-east-1", 12), "five-letter prefix refused");
  ok(!pc_endpoint_region_ok("us-a-b-c-1", 10), "three words refused");
  ok(!pc_endpoint_region_ok("US-east-1", 9), "upper case refused");
}

/* Each partition of botocore's data: its name and DNS suffix. */
static void test_partition_table(void) {
  static const struct {
    const char *region, *partition, *suffix;
  } want[] = {
      {"us-east-1", "aws", "amazonaws.com"},
      {"mx-central-1", "aws", "amazonaws.com"},
      {"cn-northwest-1", "aws-cn", "amazonaws.com.cn"},
      {"us-gov-east-1", "aws-us-gov", "amazonaws.com"},
      {"us-iso-west-1", "aws-iso", "c2s.ic.gov"},
      {"us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"},
      {"eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk"},
      {"us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov"},
      {"eusc-de-east-1", "aws-eusc", "amazonaws.eu"},
  };
  size_t i;

  for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    is_str(pc_endpoint_partition(want[i].region), want[i].partition,
           "%s is in %s", want[i].region, want[i].partition);
    is_str(pc_endpoint_suffix(want[i].region), want[i].suffix,
           "%s: DNS suffix %s", want[i].region, want[i].suffix);
    ok(pc_endpoint_region_ok(want[i].region, strlen(want[i].region)),
       "%s is a region name", want[i].region);
  }
}

/* The updated issuer follows the partition's suffix, never a FIPS host. */
static void test_updated_issuer(void) {
  static const struct {
    const char *region, *pool, *want;
  } want[] = {
      {"us-east-1", "us-east-1_Ab1",
       "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab1"},
      {"cn-north-1", "cn-north-1_Ab1",
       "https://issuer-cognito-idp.cn-north-1.amazonaws.com.cn/"
       "cn-north-1_Ab1"},
      {"us-gov-west-1", "us-gov-west-1_Ab1",
       "https://issuer-cognito-idp.us-gov-west-1.amazonaws.com/"
       "us-gov-west-1_Ab1"},
      {"eusc-de-east-1", "eusc-de-east-1_Ab1",
       "https://issuer-cognito-idp.eusc-de-east-1.amazonaws.eu/"
       "eusc-de-east-1_Ab1"},
  };
  size_t i;
  char *s;

  for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    s = pc_endpoint_issuer(want[i].region, want[i].pool, PC_ISSUER_UPDATED);
    is_str(s, want[i].want, "%s: updated issuer", want[i].region);
    free(s);
  }
}

/* The FIPS hosts the data lists, and none where it lists none. */
static void test_fips_table(void) {
  static const char *const us[] = {"us-east-1", "us-east-2", "us-west-1",
                                   "us-west-2"};
  static const char *const none[] = {"eu-west-1",     "ca-central-1",
                                     "cn-north-1",    "eusc-de-east-1",
                                     "us-iso-east-1", "us-gov-east-1"};
  char *u;
  size_t i;

  for (i = 0; i < 4; i++) {
    ok(pc_endpoint_has_fips("cognito-idp", us[i]) &&
           pc_endpoint_has_fips("cognito-identity", us[i]) &&
           pc_endpoint_has_fips("sts", us[i]),
       "%s: FIPS hosts of all three services", us[i]);
  }
  for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
    ok(!pc_endpoint_has_fips("cognito-idp", none[i]) &&
           !pc_endpoint_has_fips("cognito-identity", none[i]),
       "%s: no Cognito FIPS host", none[i]);
  ok(pc_endpoint_has_fips("cognito-idp", "us-gov-west-1") &&
         pc_endpoint_has_fips("cognito-identity", "us-gov-west-1"),
     "us-gov-west-1: Cognito FIPS hosts");
  u = pc_endpoint_url("cognito-identity", "us-gov-east-1", 1);
  is_str(u, "https://cognito-identity.us-gov-east-1.amazonaws.com/",
         "us-gov-east-1: never a FIPS host, even when asked");
  free(u);
  u = pc_endpoint_url("cognito-identity", "us-west-2", 1);
  is_str(u, "https://cognito-identity-fips.us-west-2.amazonaws.com/",
         "cognito-identity FIPS host");
  free(u);
  u = pc_endpoint_url("sts", "us-gov-west-1", 1);
  is_str(u, "https://sts.us-gov-west-1.amazonaws.com/",
         "GovCloud STS: the FIPS variant is the plain host");
  free(u);
  u = pc_endpoint_url("sts", "us-east-2", 1);
  is_str(u, "https://sts-fips.us-east-2.amazonaws.com/", "STS FIPS host");
  free(u);
  u = pc_endpoint_url("sts", "cn-north-1", 0);
  is_str(u, "https://sts.cn-north-1.amazonaws.com.cn/", "STS in China");
  free(u);
}

static void test_fips_refused(void) {
  static const char *const fips[] = {"use_fips", "true", NULL};
  static const char *const fips_id[] = {
      "use_fips",
      "true",
      "idp_endpoint",
      "https://vpce.example.test",
      "identity_pool_id",
      "us-gov-east-1:11111111-2222-3333-4444-555555555555",
      NULL};
  static const char *const fips_override[] = {
      "use_fips", "true", "idp_endpoint", "https://vpce.example.test", NULL};
  struct pc_config c;

  ok(make(&c, "eu-west-1", "eu-west-1_Ab1", fips) != 0 &&
         strstr(err.detail, "use_fips") && strstr(err.detail, "eu-west-1"),
     "use_fips in eu-west-1 refused: %s", err.detail);
  pc_config_free(&c);
  ok(make(&c, "cn-north-1", "cn-north-1_Ab1", fips) != 0,
     "use_fips in China refused: %s", err.detail);
  pc_config_free(&c);
  ok(make(&c, "us-gov-east-1", "us-gov-east-1_Ab1", fips) != 0 &&
         strstr(err.detail, "user pools") &&
         strstr(err.detail, "us-gov-east-1"),
     "use_fips in us-gov-east-1 refused: %s", err.detail);
  pc_config_free(&c);
  ok(make(&c, "us-gov-east-1", "us-gov-east-1_Ab1", fips_id) != 0 &&
         strstr(err.detail, "identity pools"),
     "identity pool without a FIPS host refused: %s", err.detail);
  pc_config_free(&c);
  ok(make(&c, "eu-west-1", "eu-west-1_Ab1", fips_override) == 0,
     "an explicit endpoint is the administrator's choice (%s)", err.detail);
  pc_config_free(&c);
}

static void test_proxy_key(void) {
  static const char *const good[] = {"https_proxy",
                                     "http://proxy.corp.test:3128", NULL};
  static const char *const bad[] = {"https_proxy", "socks5://p:1080", NULL};
  struct pc_config c;

  ok(make(&c, "us-east-1", "us-east-1_Ab1", good) == 0 &&
         strcmp(c.https_proxy, "http://proxy.corp.test:3128") == 0,
     "https_proxy kept (%s)", err.detail);
  pc_config_free(&c);
  ok(make(&c, "us-east-1", "us-east-1_Ab1", bad) != 0 &&
         strstr(err.detail, "https_proxy"),
     "https_proxy other than http(s):// refused: %s", err.detail);
  pc_config_free(&c);
}

static void test_user_context(void) {
  static const char *const kv[] = {
      "client_secret", "s3cret", "client_metadata",
      "source=%h\nlogin=%u via %s from %r\npct=100%%", NULL};
  static const char *const off[] = {"client_secret", "s3cret",
                                    "send_user_context", "false", NULL};
  struct pc_usercontext ctx = {"alice", "sshd", "192.0.2.7"};
  struct pc_usercontext named = {"alice", "sshd", "client.example.test"};
  struct pc_config c;
  json_object *req, *ucd, *meta;
  char host[256], want[300];
  char **l = NULL;

  ok(make(&c, "us-east-1", "us-east-1_Ab1", kv) == 0, "metadata set (%s)",
     err.detail);
  ok(c.send_user_context == 1, "send_user_context defaults to true");
  req = pc_usercontext_add(json_object_new_object(), &c, &ctx);
  ucd = json_object_object_get(req, "UserContextData");
  is_str(pc_json_str(ucd, "IpAddress"), "192.0.2.7",
         "IpAddress from PAM_RHOST");
  ok(json_object_object_get(ucd, "EncodedData") == NULL,
     "no EncodedData (no browser fingerprint here)");
  meta = json_object_object_get(req, "ClientMetadata");
  (void)gethostname(host, sizeof(host));
  host[sizeof(host) - 1] = '\0';
  is_str(pc_json_str(meta, "source"), host, "%%h: host name");
  is_str(pc_json_str(meta, "login"), "alice via sshd from 192.0.2.7",
         "%%u %%s %%r");
  is_str(pc_json_str(meta, "pct"), "100%", "%%%%: a percent sign");
  json_object_put(req);

  req = pc_usercontext_add(json_object_new_object(), &c, &named);
  ok(json_object_object_get(req, "UserContextData") == NULL,
     "a host name is not sent as an address (no DNS lookup)");
  (void)snprintf(want, sizeof(want), "alice via sshd from %s", named.rhost);
  is_str(pc_json_str(json_object_object_get(req, "ClientMetadata"), "login"),
         want, "%%r is the host name there");
  json_object_put(req);
  pc_config_free(&c);

  ok(make(&c, "us-east-1", "us-east-1_Ab1", off) == 0, "off (%s)", err.detail);
  req = pc_usercontext_add(json_object_new_object(), &c, &ctx);
  ok(json_object_object_get(req, "UserContextData") == NULL &&
         json_object_object_get(req, "ClientMetadata") == NULL,
     "send_user_context = false and no metadata: nothing added");
  json_object_put(req);
  pc_config_free(&c);

  ok(make(&c, "us-east-1", "us-east-1_Ab1", NULL) == 0, "public (%s)",
     err.detail);
  req = pc_usercontext_add(json_object_new_object(), &c, &ctx);
  ok(json_object_object_get(req, "UserContextData") == NULL,
     "no client secret: no IpAddress (Cognito takes it only then)");
  json_object_put(req);
  pc_config_free(&c);

  ok(pc_metadata_parse("a=%x", &l, &err) != 0 && strstr(err.detail, "'%'"),
     "unknown %% escape refused: %s", err.detail);
  ok(pc_metadata_parse("=v", &l, &err) != 0, "empty key refused: %s",
     err.detail);
  ok(pc_metadata_parse("a=b\x01", &l, &err) != 0,
     "control character refused: %s", err.detail);
  ok(pc_metadata_parse("a=b\nc=d", &l, &err) == 0 && l &&
         strcmp(l[0], "a=b") == 0 && strcmp(l[1], "c=d") == 0 && !l[2],
     "two pairs");
  if (l) {
    free(l[0]);
    free(l[1]);
    free(l);
  }
}

int main(void) {
  test_partitions();
  test_partition_table();
  test_fips_table();
  test_updated_issuer();
  test_fips_refused();
  test_proxy_key();
  test_user_context();
  return tap_done();
}
