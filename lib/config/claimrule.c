/* SPDX-License-Identifier: MIT */
/* claimrule: which claims prove nothing until a verified flag says so. */
#include "config.h"

#include <string.h>

#include "config/claimrule.h"

const char *pc_claim_verified_flag(const char *claim) {
  if (strcmp(claim, "email") == 0)
    return "email_verified";
  if (strcmp(claim, "phone_number") == 0)
    return "phone_number_verified";
  return NULL;
}
