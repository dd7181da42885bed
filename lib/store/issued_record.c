/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/json.h"
#include "store/issued_record.h"
#include "store/private_files.h"

#define ISSUED_FILE "issued.json" /* in the user's root-only area */

int pc_issued_save(const char *base, const char *user, long long uid,
                   long long expiration, struct pc_error *why) {
  char doc[96];
  int n = snprintf(doc, sizeof doc, "{\"uid\": %lld, \"expiration\": %lld}\n",
                   uid, expiration);

  if (n < 0 || (size_t)n >= sizeof doc) {
    pc_error_set(why, PC_ERR_PROTOCOL, "internal error");
    return -1;
  }
  return pc_private_write(base, user, ISSUED_FILE, doc, (size_t)n, why);
}

int pc_issued_valid(const char *base, const char *user, long long uid,
                    time_t now, long min_validity, struct pc_error *why) {
  json_object *doc;
  long long got_uid, expiration;
  int rc = pc_private_load_json(base, user, ISSUED_FILE, &doc, why);

  if (rc == 1)
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "no AWS credentials were issued at a login here");
  if (rc == 1 || rc == -1)
    return rc == 1 ? 0 : -1;
  if (doc == NULL || pc_json_int(doc, "uid", &got_uid) != 0 ||
      pc_json_int(doc, "expiration", &expiration) != 0) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "the record of issued AWS credentials is unusable");
    rc = -1;
  } else if (got_uid != uid) {
    pc_error_set(
        why, PC_ERR_PROTOCOL,
        "the AWS credentials on record were issued to uid %lld, not %lld",
        got_uid, uid);
    rc = 0;
  } else if (expiration - (long long)now < min_validity) {
    pc_error_set(why, PC_ERR_PROTOCOL,
                 "the AWS credentials issued at the last login have "
                 "expired");
    rc = 0;
  } else {
    rc = 1;
  }
  if (doc != NULL)
    json_object_put(doc);
  return rc;
}
