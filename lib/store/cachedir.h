/* SPDX-License-Identifier: MIT */
/* cachedir: safe per-user directories and files under the cache root. It
 * knows nothing of what the files hold (lib/store/user_files.c does).
 *
 * Layout and the rules enforced on every open:
 *   <base>/         root-owned directory, not group/other-writable. Created
 *                   (last component only, mode 0755) when missing and we
 *                   run as root with create set; anything else is refused.
 *   <base>/<user>/  the user's area: owned by the user's uid, mode 0700.
 *                   <user> is the name as lib/store/cachename.h spells it: any
 *                   name NSS gives has an area, none starts with '.'.
 *   <base>/.private/<user>/  the root-only area: both levels owned by root,
 *                   mode 0700, files root 0600. A user can neither read nor
 *                   replace what is kept there. Directory names of users
 *                   never start with '.', so ".private" is nobody's.
 * A directory is created with mkdirat, then fchown/fchmod through an
 * O_DIRECTORY|O_NOFOLLOW fd. An existing one is opened with O_NOFOLLOW and
 * fstat'ed: a symlink, a non-directory or a directory owned by anyone else
 * is refused and never written through. A directory of the right owner with
 * group/other bits is REPAIRED to 0700 (the owner could have loosened it;
 * every file inside is checked anyway), and the repair is reported in the
 * error's detail with status PC_OK.
 *   <dir>/<name>    0600, owned by the area's owner. Written to
 *                   ".<name>.<random>" (O_CREAT|O_EXCL|O_NOFOLLOW), fsync'ed
 *                   and renamed over <name>: a symlink or foreign file
 *                   planted there is replaced, never followed. Read with
 *                   O_NOFOLLOW|O_NONBLOCK (a FIFO cannot hang us) and refused
 *                   unless it is a regular file of the owner, without
 *                   group/other bits, <= PC_CACHE_MAX_FILE bytes.
 *
 * The directory name is the encoded user name, never anything from the
 * environment. The same code runs as root in the PAM module (it chowns) and
 * as the user in the credential helper (chown to self is a no-op; the base
 * cannot be created then, but opening works). Every refusal's detail says
 * what was wrong and how to fix it. */
#ifndef PAM_COGNITO_CACHEDIR_H
#define PAM_COGNITO_CACHEDIR_H

#include <stddef.h>
#include <sys/types.h>

#include "base/bounds.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/cachefile.h"
#include "store/cachename.h"

/* The cache root when neither the configuration nor --cache-dir names one
 * (the build normally defines it from --with-cache-dir). */
#ifndef PC_DEFAULT_CACHE_DIR
#define PC_DEFAULT_CACHE_DIR "/var/cache/pam_cognito"
#endif

/* The directory of the root-only areas under the base. */
#define PC_CACHE_PRIVATE ".private"

/* Open <base>/<user>/ (owned by uid:gid) checked as above, creating what is
 * missing when create is set. PC_OK (e's detail may hold a repair notice
 * to log), PC_ABSENT when nothing exists yet and create is 0, PC_ERR_CONFIG
 * refused or failed (e says why). c needs pc_cache_close after PC_OK only. */
enum pc_status pc_cache_open(struct pc_cache *c, const char *base,
                             const char *user, uid_t uid, gid_t gid, int create,
                             struct pc_error *e)
    __attribute__((warn_unused_result));

/* Open the root-only area <base>/.private/<user>/ the same way (root only:
 * PC_ERR_CONFIG for anyone else). */
enum pc_status pc_cache_open_private(struct pc_cache *c, const char *base,
                                     const char *user, int create,
                                     struct pc_error *e)
    __attribute__((warn_unused_result));

/* Open <base>/.private/ itself, for files of the pool rather than of one
 * user (its signing keys). Root only; same returns. */
enum pc_status pc_cache_open_private_root(struct pc_cache *c, const char *base,
                                          int create, struct pc_error *e)
    __attribute__((warn_unused_result));

/* Root: remove the areas under base that no longer belong to a live
 * account (lib/store/owner_record.h); an absent or unsafe base is left alone.
 * The number removed. Every module call and every pam_cognito-sync run do it,
 * before anything else, so a reused uid never finds the old files. */
int pc_cache_sweep(const char *base);

#endif
