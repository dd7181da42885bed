/* cache: the per-user credential cache, safe against symlinks and planted
 * files, and the credential_process file format kept in it.
 *
 * Layout and the rules enforced on every open:
 *   <base>/         root-owned directory, not group/other-writable. Created
 *                   (last component only, mode 0755) when missing and we
 *                   run as root with create set; anything else is refused.
 *   <base>/<user>/  owned by the user's uid, mode 0700. Created with mkdirat,
 *                   then fchown/fchmod through an O_DIRECTORY|O_NOFOLLOW fd.
 *                   An existing one is opened with O_NOFOLLOW and fstat'ed:
 *                   a symlink, a non-directory or a directory owned by
 *                   anyone else is refused and never written through. A
 *                   directory of the right owner with group/other bits is
 *                   REPAIRED to 0700 (the owner could have loosened it
 *                   themselves; refusing would only cost them their
 *                   credentials, and every file inside is checked anyway),
 *                   and the repair is reported in err.
 *   <base>/<user>/<name>  0600, owned by the user. Written to
 *                   ".<name>.<random>" (O_CREAT|O_EXCL|O_NOFOLLOW), fsync'ed
 *                   and renamed over <name>: the rename replaces the name,
 *                   so a symlink or foreign file planted there is replaced,
 *                   never followed. Read with O_NOFOLLOW|O_NONBLOCK (a FIFO
 *                   cannot hang us) and refused unless it is a regular file
 *                   of the user's uid, without group/other bits, <= 64 KiB.
 *
 * The user directory name is a validated user name, never anything from the
 * environment. The same code runs as root in the PAM module (it chowns) and
 * as the user in the credential helper (chown to self is a no-op; the base
 * cannot and will not be created then, but opening works). Every refusal's
 * message says what was wrong and how to fix it. */
#ifndef PAM_COGNITO_CACHE_H
#define PAM_COGNITO_CACHE_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

#define PC_USER_NAME_MAX 32     /* longest user name accepted */
#define PC_CACHE_NAME_MAX 64    /* longest file name inside a user dir */
#define PC_CACHE_MAX_FILE 65536 /* largest cache file read */

/* The cache root when neither the configuration nor --cache-dir names one
 * (the build normally defines it from --with-cache-dir). */
#ifndef PC_DEFAULT_CACHE_DIR
#define PC_DEFAULT_CACHE_DIR "/var/cache/pam_cognito"
#endif

/* The files in <base>/<user>/. */
#define PC_CACHE_CREDENTIALS "credentials.json" /* credential_process JSON */
#define PC_CACHE_REFRESH "refresh.json"         /* hand-over to the helper */
#define PC_CACHE_IDENTITY "identity_id"         /* remembered identity id */

struct pc_cache {
  int dir_fd; /* O_DIRECTORY fd of <base>/<user>, -1 when closed */
  uid_t uid;  /* owner every file must have */
  gid_t gid;
  char path[256]; /* "<base>/<user>" for messages only (may be truncated) */
};

/* A closed cache: pc_cache_close on it is a no-op. */
#define PC_CACHE_INIT                                                          \
  {                                                                            \
    -1, 0, 0, {                                                                \
      0                                                                        \
    }                                                                          \
  }

/* 1 when user is non-empty, <= 32 chars of [A-Za-z0-9._-], does not start
 * with '-' or '.' (so never "." or ".."); 0 otherwise. */
int pc_user_name_valid(const char *user);

/* Open <base>/<user>/ checked as above, creating what is missing when
 * create is set. 0 on success (err is "" or a repair notice to log),
 * 1 when nothing exists yet and create is 0, -1 refused or failed (err says
 * why). c needs pc_cache_close after 0 only; after 1/-1 dir_fd is -1. */
int pc_cache_open(struct pc_cache *c, const char *base, const char *user,
                  uid_t uid, gid_t gid, int create, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Atomically replace <name> with len bytes of data, mode 0600, owned by the
 * user. 0 or -1 (err set; no temporary file is left). data stays the
 * caller's: it is not wiped here. */
int pc_cache_write(const struct pc_cache *c, const char *name, const void *data,
                   size_t len, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Read <name> into out (initialised here; release with pc_buf_free, which
 * wipes). 0 on success (out->data may be NULL for an empty file), 1 when
 * absent, -1 when refused or unreadable (err set; out is empty). */
int pc_cache_read(const struct pc_cache *c, const char *name,
                  struct pc_buf *out, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Remove <name> (a symlink there is removed, not followed). 0 when gone or
 * absent, -1 on error (errno set). */
int pc_cache_remove(const struct pc_cache *c, const char *name);

/* The root-only directory <base>/.private (no user name starts with '.'):
 * owned by root, mode 0700, its files root's 0600. Same returns as
 * pc_cache_open; refused unless running as root. */
#define PC_CACHE_PRIVATE ".private"
int pc_cache_open_private(struct pc_cache *c, const char *base, int create,
                          char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Close the directory fd; safe to call twice. */
void pc_cache_close(struct pc_cache *c);

#endif
