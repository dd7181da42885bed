/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/error.h"
#include "config/reserved_uids.h"

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

enum pc_status pc_uid_range_reserved(long uid_min, long uid_max,
                                     struct pc_error *err) {
  long long ov = pc_uid_overflow();

  if (uid_min <= PC_UID_RESERVED_LAST && uid_max >= PC_UID_RESERVED_FIRST) {
    return pc_error_set(
        err, PC_ERR_CONFIG,
        "uid_min..uid_max (%ld..%ld) overlaps the reserved uids "
        "%ld..%ld (nobody, systemd's dynamic users): move the range of "
        "pam_cognito-sync clear of them",
        uid_min, uid_max, PC_UID_RESERVED_FIRST, PC_UID_RESERVED_LAST);
  }
  if (uid_min <= ov && ov <= uid_max) {
    return pc_error_set(
        err, PC_ERR_CONFIG,
        "uid_min..uid_max (%ld..%ld) holds the kernel's overflow uid "
        "%lld: move the range of pam_cognito-sync clear of it",
        uid_min, uid_max, ov);
  }
  return PC_OK;
}
