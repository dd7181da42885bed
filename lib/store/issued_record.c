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

/* Read through pc_private_load_json; the saver writes its one line itself. */
static const struct pc_private_record ISSUED = {
    ISSUED_FILE,
    "issued record",
    0,
    NULL,
    "the record of issued AWS credentials is unusable",
    NULL,
    NULL};

enum pc_status pc_issued_save(const char *base, const char *user, long long uid,
                              long long expiration, struct pc_error *why) {
  char doc[96];
  int n = snprintf(doc, sizeof doc, "{\"uid\": %lld, \"expiration\": %lld}\n",
                   uid, expiration);

  if (n < 0 || (size_t)n >= sizeof doc)
    return pc_error_set(why, PC_ERR_PROTOCOL, "internal error");
  return pc_private_write(base, user, ISSUED_FILE, doc, (size_t)n, why);
}

enum pc_status pc_issued_valid(const char *base, const char *user,
                               long long uid, time_t now, long min_validity,
                               struct pc_error *why) {
  json_object *doc;
  long long got_uid, expiration;
  enum pc_status st = pc_private_load_json(&ISSUED, base, user, &doc, why);

  if (st == PC_ABSENT)
    return pc_error_set(why, PC_ABSENT,
                        "no AWS credentials were issued at a login here");
  if (st != PC_OK && st != PC_ERR_PROTOCOL)
    return st; /* unreadable: why says so */
  if (doc == NULL || pc_json_int(doc, "uid", &got_uid) != 0 ||
      pc_json_int(doc, "expiration", &expiration) != 0)
    st = pc_error_set(why, PC_ERR_PROTOCOL,
                      "the record of issued AWS credentials is unusable");
  else if (got_uid != uid)
    st = pc_error_set(
        why, PC_ERR_DENIED,
        "the AWS credentials on record were issued to uid %lld, not %lld",
        got_uid, uid);
  else if (expiration - (long long)now < min_validity)
    st = pc_error_set(why, PC_ERR_EXPIRED,
                      "the AWS credentials issued at the last login have "
                      "expired");
  else
    st = PC_OK;
  if (doc != NULL)
    json_object_put(doc);
  return st;
}
