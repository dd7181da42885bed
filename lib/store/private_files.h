/* SPDX-License-Identifier: MIT */
/* private_files: whole files in a user's root-only area
 * (<cache_dir>/.private/<user>/, lib/store/cachedir.c's rules), for the records
 * the user must neither read nor replace: the account record
 * (admit/account_stage.c) and the offline verifier (admit/offline_login.c),
 * each of which owns its file's format. */
#ifndef PAM_COGNITO_PRIVATE_FILES_H
#define PAM_COGNITO_PRIVATE_FILES_H

#include <stddef.h>

#include <json-c/json.h>

#include "base/error.h"
#include "base/buf.h"

/* Read name into out (pc_buf_free it; wiped). PC_OK, PC_ABSENT (or no area
 * yet), or PC_ERR_CONFIG refused or unreadable (why says so). */
enum pc_status pc_private_read(const char *base, const char *user,
                               const char *name, struct pc_buf *out,
                               struct pc_error *why)
    __attribute__((warn_unused_result));

/* Atomically replace name with len bytes of data (root's, 0600), creating
 * the area. PC_OK, or the failure with why set. */
enum pc_status pc_private_write(const char *base, const char *user,
                                const char *name, const void *data, size_t len,
                                struct pc_error *why)
    __attribute__((warn_unused_result));

/* The one reader and writer of the JSON records in the root-only area
 * (account, offline, issued): each record's own file keeps its kind (name,
 * size, writer) and its fields, these keep the reading and writing. */
struct pc_private_record {
  const char *name; /* the file in the user's root-only area */
  const char *what; /* "offline record", for messages */
  size_t max;       /* the largest document render may make */
  int (*render)(const void *r, struct pc_buf *b); /* 0, or -1: no memory */
  const char *not_json; /* why, when the file is not a JSON object */
  /* The record's fields from doc into r (its "uid" into *uid): 0, or -1
   * with why set and r released. NULL: read with pc_private_load_json. */
  int (*parse)(json_object *doc, void *r, long long *uid, struct pc_error *why);
  void (*release)(void *r);
};

/* Read kind's file as a JSON object: PC_OK with *doc (drop it with
 * pc_json_put_secret), PC_ABSENT, PC_ERR_PROTOCOL not a JSON object (why
 * says kind->not_json), PC_ERR_CONFIG unreadable (why says why). */
enum pc_status pc_private_load_json(const struct pc_private_record *kind,
                                    const char *base, const char *user,
                                    json_object **doc, struct pc_error *why)
    __attribute__((warn_unused_result));

/* Read kind's record of user made for local uid into r: PC_OK (release r
 * with kind->release); PC_ABSENT none, or one made for another uid (the
 * name was deleted and reused; why says so); else unreadable or unusable,
 * why says which. */
enum pc_status pc_private_load_record(const struct pc_private_record *kind,
                                      const char *base, const char *user,
                                      long long uid, void *r,
                                      struct pc_error *why)
    __attribute__((warn_unused_result));

/* kind->render(r, b) into a wiping buffer of at most kind->max bytes, then
 * written as pc_private_write does. PC_OK, or the failure with why set. */
enum pc_status pc_private_save_json(const struct pc_private_record *kind,
                                    const char *base, const char *user,
                                    const void *r, struct pc_error *why)
    __attribute__((warn_unused_result));

/* Remove name; nothing to do when it is absent. */
void pc_private_remove(const char *base, const char *user, const char *name);

/* Take the exclusive lock name (an empty root 0600 file in the area,
 * created without following links), waiting at most PC_PRIVATE_LOCK_WAIT_MS
 * for whoever holds it: a record read, changed and written back under it
 * loses no other process's change. The fd to pass to pc_private_unlock;
 * -2 when the area does not exist and create is 0; -1 with why set. (An
 * fd, so an int: layering's allow-list names it.) */
int pc_private_lock(const char *base, const char *user, const char *name,
                    int create, struct pc_error *why)
    __attribute__((warn_unused_result));
void pc_private_unlock(int fd); /* nothing to do for -1 */

#define PC_PRIVATE_LOCK_WAIT_MS 5000

#endif
