/* SPDX-License-Identifier: MIT */
/* cachename: a user name as the name of its cache directory. NSS gives
 * names a path must not hold as they are (SSSD's "user@corp", names with
 * spaces, '/', a leading '.'), and every one of them gets a cache. Bytes of
 * [A-Za-z0-9._-] stay as they are, except a leading '.' or '-'; every other
 * byte becomes %hh (lower-case hex). '%' itself is always encoded, so:
 *   - a plain name's directory is the name itself (areas made before the
 *     encoding keep working),
 *   - a directory with '%' is an encoded name, never a plain one,
 *   - two names never share a directory (the encoding is one-to-one), and
 *   - no directory starts with '.', so ".private" is nobody's. */
#ifndef PAM_COGNITO_CACHENAME_H
#define PAM_COGNITO_CACHENAME_H

#include <stddef.h>

#include "base/bounds.h"

/* The longest directory name: every byte of the longest name encoded. */
#define PC_CACHE_DIR_NAME_MAX (3 * PC_USER_NAME_MAX + 1)

/* 1 when user can have a cache: 1..PC_USER_NAME_MAX bytes. */
int pc_user_name_valid(const char *user);

/* user's directory name into out (n >= PC_CACHE_DIR_NAME_MAX is always
 * enough). 0, or -1 when user is not valid or out too small. */
int pc_cache_dir_name(const char *user, char *out, size_t n)
    __attribute__((warn_unused_result));

/* The user whose directory name is dir, into user (n bytes). 0, or -1 when
 * dir is no directory name this encoding makes (not canonical, or a
 * decoded name that is not valid). */
int pc_cache_dir_user(const char *dir, char *user, size_t n)
    __attribute__((warn_unused_result));

#endif
