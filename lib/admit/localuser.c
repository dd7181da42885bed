/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "admit/localuser.h"

int pc_local_user(const char *name, uid_t *uid, gid_t *gid) {
  struct passwd pw, *res = NULL;
  long sz = sysconf(_SC_GETPW_R_SIZE_MAX);
  char *buf;
  int rc, e;

  if (sz < 1024 || sz > 1048576)
    sz = 16384;
  buf = malloc((size_t)sz);
  if (buf == NULL)
    return -1;
  e = getpwnam_r(name, &pw, buf, (size_t)sz, &res);
  if (e == 0 && res != NULL) {
    *uid = pw.pw_uid;
    *gid = pw.pw_gid;
    rc = 0;
  } else {
    /* glibc reports "no such user" as 0 with no result, or as ENOENT /
     * ESRCH / EBADF / EPERM from some NSS modules (getpwnam_r(3)). */
    rc = e == 0 || e == ENOENT || e == ESRCH || e == EBADF || e == EPERM ? 1
                                                                         : -1;
  }
  free(buf);
  return rc;
}
