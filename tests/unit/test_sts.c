/* SPDX-License-Identifier: MIT */
/* The STS answer reader (lib/aws/sts_xml.c): credentials, errors, and the
 * XML it refuses to guess at. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "aws/sts_xml.h"
#include "tap.h"

#define OPEN                                                                   \
  "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/"      \
  "doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult>"
#define CLOSE                                                                  \
  "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"
#define CLOSE_ERR "<Error><Code>AccessDenied</Code></Error>" CLOSE
#define CREDS(exp)                                                             \
  "<Credentials><AccessKeyId>ASIAXX</AccessKeyId><SecretAccessKey>s/e+c"       \
  "</SecretAccessKey><SessionToken>tok=</SessionToken><Expiration>" exp        \
  "</Expiration></Credentials>"

static enum pc_sts_kind parse(const char *xml, struct pc_aws_creds *cr,
                              char *code, char *msg) {
  return pc_sts_xml_parse(xml, strlen(xml), cr, code, 96, msg, 512);
}

static void test_credentials(void) {
  struct pc_aws_creds cr;
  char code[96], msg[512];

  ok(parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" OPEN
           "<Audience>p</Audience><AssumedRoleUser><Arn>a</Arn>"
           "</AssumedRoleUser>" CREDS("2026-12-07T23:00:23Z") CLOSE "\n",
           &cr, code, msg) == PC_STS_CREDENTIALS &&
         strcmp(cr.access_key_id, "ASIAXX") == 0 &&
         strcmp(cr.secret_access_key, "s/e+c") == 0 &&
         strcmp(cr.session_token, "tok=") == 0 && cr.expiration == 1796684423LL,
     "an answer with credentials is read (expiration %lld)", cr.expiration);
  pc_aws_creds_free(&cr);
  ok(parse(OPEN CREDS("2026-12-07T23:00:23.999Z") CLOSE, &cr, code, msg) ==
             PC_STS_CREDENTIALS &&
         cr.expiration == 1796684423LL,
     "a fraction of a second is dropped");
  pc_aws_creds_free(&cr);
  ok(parse(OPEN "<Credentials><AccessKeyId>A&amp;&#x42;&#67;</AccessKeyId>"
                "<SecretAccessKey>&lt;&gt;&quot;&apos;</SecretAccessKey>"
                "<SessionToken>t</SessionToken><Expiration>"
                "2030-01-01T00:00:00Z</Expiration></Credentials>" CLOSE,
           &cr, code, msg) == PC_STS_CREDENTIALS &&
         strcmp(cr.access_key_id, "A&BC") == 0 &&
         strcmp(cr.secret_access_key, "<>\"'") == 0,
     "entities decoded");
  pc_aws_creds_free(&cr);
}

static void test_error(void) {
  struct pc_aws_creds cr;
  char code[96], msg[512];

  ok(parse("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
           "<Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
           "<Message>Couldn&apos;t verify \xc3\xa9</Message></Error>"
           "<RequestId>r</RequestId></ErrorResponse>",
           &cr, code, msg) == PC_STS_ERROR &&
         strcmp(code, "InvalidIdentityToken") == 0 &&
         strncmp(msg, "Couldn't verify", 15) == 0 &&
         strchr(msg, '\x1b') == NULL && cr.access_key_id == NULL,
     "an error answer gives its code and message (%s)", msg);
}

static void test_refused(void) {
  static const char *const bad[] = {
      "",
      "not xml",
      OPEN CREDS("2026-12-07T23:00:23Z"),              /* unclosed */
      OPEN CREDS("2026-12-07T23:00:23Z") CLOSE "<x/>", /* second root */
      OPEN CREDS("2026-12-07T23:00:23Z") CLOSE "junk", /* text after */
      OPEN CREDS("2026-12-07 23:00:23Z") CLOSE,        /* bad time */
      OPEN CREDS("2026-02-30T23:00:23Z") CLOSE,        /* no such day */
      OPEN CREDS("2026-12-07T23:00:23.Z") CLOSE,       /* empty fraction */
      OPEN CREDS("2026-12-07T23:00:23+01:00") CLOSE,   /* not UTC */
      OPEN "<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>s"
           "</SecretAccessKey><Expiration>2030-01-01T00:00:00Z</Expiration>"
           "</Credentials>" CLOSE, /* no token */
      OPEN "<Credentials><AccessKeyId>A</AccessKeyId><AccessKeyId>B"
           "</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t"
           "</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>"
           "</Credentials>" CLOSE, /* a field twice */
      OPEN "<Credentials><AccessKeyId>A<b/></AccessKeyId><SecretAccessKey>s"
           "</SecretAccessKey><SessionToken>t</SessionToken><Expiration>"
           "2030-01-01T00:00:00Z</Expiration></Credentials>" CLOSE,
      OPEN "<Credentials><AccessKeyId/><SecretAccessKey>s</SecretAccessKey>"
           "<SessionToken>t</SessionToken><Expiration>2030-01-01T00:00:00Z"
           "</Expiration></Credentials>" CLOSE,            /* empty key id */
      OPEN CREDS("2026-12-07T23:00:23Z") "</Wrong>" CLOSE, /* mismatched */
      "<!DOCTYPE x [<!ENTITY e \"ASIA\">]>" OPEN CREDS("2030-01-01T00:00:00Z")
          CLOSE,
      OPEN "<!-- c -->" CREDS("2030-01-01T00:00:00Z") CLOSE,
      OPEN "<Credentials><AccessKeyId><![CDATA[A]]></AccessKeyId>"
           "</Credentials>" CLOSE,
      OPEN CREDS("2030-01-01T00:00:00Z") "<?pi x?>" CLOSE,
      OPEN "<Credentials><AccessKeyId>&e;</AccessKeyId></Credentials>" CLOSE,
      OPEN "<Credentials><AccessKeyId>&#0;</AccessKeyId></Credentials>" CLOSE,
      "<ErrorResponse><Error><Code>X</Code><Message>\x1b[31m</Message>"
      "</Error></ErrorResponse>", /* a control character */
      OPEN "<Credentials x=1><AccessKeyId>A</AccessKeyId></Credentials>" CLOSE,
      "<a><b><c><d><e><f><g><h><i></i></h></g></f></e></d></c></b></a>",
      "<ErrorResponse><Error><Message>m</Message></Error></ErrorResponse>",
      OPEN CREDS("2030-01-01T00:00:00Z") CLOSE_ERR, /* a success and an error */
      "<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>" OPEN CREDS(
          "2030-01-01T00:00:00Z") CLOSE,
      NULL};
  struct pc_aws_creds cr;
  char code[96], msg[512];
  size_t i;

  for (i = 0; bad[i] != NULL; i++)
    ok(parse(bad[i], &cr, code, msg) == PC_STS_MALFORMED &&
           cr.access_key_id == NULL && cr.session_token == NULL,
       "refused: case %zu", i);
  ok(pc_sts_xml_parse(OPEN CREDS("2030-01-01T00:00:00Z") CLOSE, 40, &cr, code,
                      96, msg, 512) == PC_STS_MALFORMED,
     "a cut answer is refused");
  {
    static const char nul[] = OPEN "<Credentials><AccessKeyId>A\0B"
                                   "</AccessKeyId></Credentials>" CLOSE;
    ok(pc_sts_xml_parse(nul, sizeof nul - 1, &cr, code, 96, msg, 512) ==
           PC_STS_MALFORMED,
       "a NUL byte is refused");
  }
}

int main(void) {
  test_credentials();
  test_error();
  test_refused();
  return tap_done();
}
