/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/error.h"
#include "config/uidrule.h"

const char *pc_uid_not_cognitos(const struct pc_config *cfg, long long uid) {
  if (uid < cfg->min_uid)
    return "below min_uid";
  if (pc_uid_reserved(uid))
    return "reserved (60000-65535, nobody, the kernel's overflow uid)";
  if (uid > cfg->max_uid)
    return "above max_uid";
  return NULL;
}

enum pc_status pc_uid_range_check(const struct pc_config *cfg,
                                  struct pc_error *err) {
  enum pc_status st = pc_uid_range_reserved(cfg->uid_min, cfg->uid_max, err);

  if (st != PC_OK)
    return st;
  if (cfg->uid_max > cfg->max_uid) {
    return pc_error_set(
        err, PC_ERR_CONFIG,
        "uid_max (%ld) is above max_uid (%ld): pam_cognito-sync would "
        "make accounts the module ignores; lower uid_min and uid_max",
        cfg->uid_max, cfg->max_uid);
  }
  return PC_OK;
}
