/* SPDX-License-Identifier: MIT */
/* A user's cache area belongs to one account, not to a uid that may be
 * reused. After `userdel alice` the directory <cache_dir>/alice stays,
 * owned by alice's old uid; a new account that gets the uid (under any
 * name), or a new alice, must never read her refresh token or
 * credentials. The area holds a record "owner" of the account it was made
 * for: name, uid, and evidence of the account's creation (the inode and
 * birth time of its home directory, which useradd makes anew). On every
 * open, a record that does not match the account now behind the name (or
 * no record) makes the area's files be discarded before anything is read,
 * and a new record be written. When the evidence cannot be had on one side
 * (no home directory, a namespace that hides it), name and uid decide.
 * Root keeps its own copy in the root-only area (<cache_dir>/.private/
 * <user>/owner) and decides from it alone: the copy in the user's area is
 * the user's to write (an account could loosen it before its deletion).
 * Every call of the module and every pam_cognito-sync run also sweep the
 * cache (pc_cache_sweep): the areas of names that no longer map to their
 * directory's uid go, so a new account reusing the uid under another name
 * cannot read the old files directly either. */
#ifndef PAM_COGNITO_OWNER_RECORD_H
#define PAM_COGNITO_OWNER_RECORD_H

#include <sys/types.h>

#include "base/error.h"
#include "store/cachefile.h"

/* Check (and write) the record of the open area c of user. root_area:
 * user's root-only area when root opens it (root decides from its own copy
 * of the record, never from the one in the user's area, which only the
 * helper reads), NULL for the helper. PC_OK when the area may be used:
 * *fresh 0 when the record matched, 1 when it was (re)written, the area
 * emptied first (e's detail holds a notice when files were discarded,
 * status PC_OK); PC_ERR_CONFIG when the area must not be used (e says
 * why). */
enum pc_status
pc_cacheowner_bind(const struct pc_cache *c, const struct pc_cache *root_area,
                   const char *user, int *fresh, struct pc_error *e)
    __attribute__((warn_unused_result));

/* Root: remove every area under the base directory base_fd whose name
 * maps to no account now, or to another uid than the directory's owner
 * (userdel; a new account may have the uid). One readdir, and an lstat and
 * a getpwnam per area; a lookup that fails keeps the area. The number
 * removed. */
int pc_cacheowner_sweep(int base_fd);

#endif
