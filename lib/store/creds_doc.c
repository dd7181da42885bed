/* SPDX-License-Identifier: MIT */
/* Writing and reading the credential_process JSON without leaving copies of
 * the secret key in freed memory. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "base/bounds.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/secret.h"
#include "store/creds_doc.h"

void pc_aws_creds_free(struct pc_aws_creds *cr) {
  pc_free_secret(&cr->access_key_id);
  pc_free_secret(&cr->secret_access_key);
  pc_free_secret(&cr->session_token);
  cr->expiration = 0;
}

int pc_iso8601(long long epoch, char *buf, size_t n) {
  time_t t;
  struct tm tm;

  if (buf == NULL || n < 21 || epoch < 0 || epoch > PC_EPOCH_MAX)
    return -1;
  t = (time_t)epoch;
  if ((long long)t != epoch || gmtime_r(&t, &tm) == NULL ||
      strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
    return -1;
  return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar, counted
 * in 400-year eras that start on March 1st so leap days fall at the end. */
static long long days_from_civil(long long y, int m, int d) {
  long long era, yoe, doy;

  y -= m <= 2;
  era = y / 400;
  yoe = y - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int pc_iso8601_parse(const char *s, long long *out) {
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int v[6] = {0, 0, 0, 0, 0, 0}, f = 0;
  size_t i;

  if (strlen(s) != sizeof shape - 1)
    return -1;
  for (i = 0; i < sizeof shape - 1; i++) {
    if (shape[i] != 'd') {
      if (s[i] != shape[i])
        return -1;
      f++;
      continue;
    }
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v[f] = v[f] * 10 + (s[i] - '0');
  }
  if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
      v[2] > mdays[v[1] - 1] || v[3] > 23 || v[4] > 59 || v[5] > 59)
    return -1;
  if (v[1] == 2 && v[2] == 29 &&
      !(v[0] % 4 == 0 && (v[0] % 100 != 0 || v[0] % 400 == 0)))
    return -1;
  *out = days_from_civil(v[0], v[1], v[2]) * 86400 + v[3] * 3600LL +
         v[4] * 60LL + v[5];
  return 0;
}

char *pc_creds_process_json(const char *akid, const char *secret,
                            const char *token, long long expiration_epoch) {
  struct pc_buf b;
  char when[32];

  if (akid == NULL || secret == NULL || token == NULL || akid[0] == '\0' ||
      secret[0] == '\0' || token[0] == '\0' ||
      pc_iso8601(expiration_epoch, when, sizeof when) != 0)
    return NULL;
  /* Built by hand into a wiping buffer: json-c would leave copies of the
   * secret key in freed memory. */
  pc_buf_init(&b, PC_CACHE_MAX_FILE);
  if (pc_buf_appendf(&b, "{\"Version\": 1") != 0 ||
      pc_buf_append_json_member(&b, "AccessKeyId", akid) != 0 ||
      pc_buf_append_json_member(&b, "SecretAccessKey", secret) != 0 ||
      pc_buf_append_json_member(&b, "SessionToken", token) != 0 ||
      pc_buf_append_json_member(&b, "Expiration", when) != 0 ||
      pc_buf_appendf(&b, "}") != 0) {
    pc_buf_free(&b);
    return NULL;
  }
  return pc_buf_take(&b);
}

/* A copy of the non-empty string member key, or NULL. A "\u0000" inside
 * would make the C copy shorter than the JSON string (even empty): refused. */
static char *dup_member(json_object *o, const char *key) {
  json_object *v;

  if (!json_object_object_get_ex(o, key, &v) ||
      !json_object_is_type(v, json_type_string) ||
      json_object_get_string_len(v) == 0 ||
      strlen(json_object_get_string(v)) !=
          (size_t)json_object_get_string_len(v))
    return NULL;
  return pc_strdup(json_object_get_string(v));
}

int pc_creds_process_parse(const char *json, struct pc_aws_creds *out) {
  json_object *o;
  const char *when;
  long long version;
  int rc = -1;

  memset(out, 0, sizeof *out);
  if (json == NULL)
    return -1;
  o = pc_json_parse_object(json, strlen(json));
  if (o == NULL)
    return -1;
  if (pc_json_int(o, "Version", &version) == 0 && version == 1 &&
      (when = pc_json_str(o, "Expiration")) != NULL &&
      pc_iso8601_parse(when, &out->expiration) == 0) {
    out->access_key_id = dup_member(o, "AccessKeyId");
    out->secret_access_key = dup_member(o, "SecretAccessKey");
    out->session_token = dup_member(o, "SessionToken");
    if (out->access_key_id != NULL && out->secret_access_key != NULL &&
        out->session_token != NULL)
      rc = 0;
  }
  if (rc != 0)
    pc_aws_creds_free(out);
  pc_json_put_secret(o);
  return rc;
}
