/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "uidrule.h"

#define OVERFLOW_PATH "/proc/sys/kernel/overflowuid"
#define OVERFLOW_DEFAULT 65534LL

long long pc_uid_overflow(void) {
  char buf[32], *end;
  long long v;
  ssize_t n;
  int fd = open(OVERFLOW_PATH, O_RDONLY | O_CLOEXEC | O_NOCTTY);

  if (fd < 0)
    return OVERFLOW_DEFAULT;
  n = read(fd, buf, sizeof buf - 1);
  (void)close(fd);
  if (n <= 0)
    return OVERFLOW_DEFAULT;
  buf[n] = '\0';
  v = strtoll(buf, &end, 10);
  if (end == buf || (*end != '\n' && *end != '\0') || v < 0)
    return OVERFLOW_DEFAULT;
  return v;
}

int pc_uid_reserved(long long uid) {
  return (uid >= PC_UID_RESERVED_FIRST && uid <= PC_UID_RESERVED_LAST) ||
         uid == pc_uid_overflow() || uid == 4294967295LL;
}

const char *pc_uid_not_cognitos(const struct pc_config *cfg, long long uid) {
  if (uid < cfg->min_uid)
    return "below min_uid";
  if (pc_uid_reserved(uid))
    return "reserved (60000-65535, nobody, the kernel's overflow uid)";
  if (uid > cfg->max_uid)
    return "above max_uid";
  return NULL;
}

int pc_uid_range_reserved(const struct pc_config *cfg, char *err,
                          size_t errlen) {
  long long ov = pc_uid_overflow();

  if (cfg->uid_min <= PC_UID_RESERVED_LAST &&
      cfg->uid_max >= PC_UID_RESERVED_FIRST) {
    pc_setf(err, errlen,
            "uid_min..uid_max (%ld..%ld) overlaps the reserved uids "
            "%ld..%ld (nobody, systemd's dynamic users): move the range of "
            "pam_cognito-sync clear of them",
            cfg->uid_min, cfg->uid_max, PC_UID_RESERVED_FIRST,
            PC_UID_RESERVED_LAST);
    return -1;
  }
  if (cfg->uid_min <= ov && ov <= cfg->uid_max) {
    pc_setf(err, errlen,
            "uid_min..uid_max (%ld..%ld) holds the kernel's overflow uid "
            "%lld: move the range of pam_cognito-sync clear of it",
            cfg->uid_min, cfg->uid_max, ov);
    return -1;
  }
  return 0;
}

int pc_uid_range_check(const struct pc_config *cfg, char *err, size_t errlen) {
  if (pc_uid_range_reserved(cfg, err, errlen) != 0)
    return -1;
  if (cfg->uid_max > cfg->max_uid) {
    pc_setf(err, errlen,
            "uid_max (%ld) is above max_uid (%ld): pam_cognito-sync would "
            "make accounts the module ignores; lower uid_min and uid_max",
            cfg->uid_max, cfg->max_uid);
    return -1;
  }
  return 0;
}
