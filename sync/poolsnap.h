/* SPDX-License-Identifier: MIT */
/* What pam_cognito-sync knows of the pool: the members of each synced
 * group, reduced to the fields the account files need. Filled from the
 * admin API or from an --export file, so both ways build the same files. */
#ifndef PAM_COGNITO_POOLSNAP_H
#define PAM_COGNITO_POOLSNAP_H

#include <stddef.h>
#include <json-c/json.h>
#include "base/error.h"
#include "config/cfg.h"

struct pc_snap_user {
  char *username; /* Cognito user name */
  char *sub;      /* immutable id: the key of the uid hash */
  char *login;    /* value of login_claim (Username for cognito:username) */
  char *uid;      /* value of uid_attribute, or NULL */
  char *keys;     /* value of ssh_keys_attribute (unchecked), or NULL */
  int enabled;
  int unverified; /* login left out: email/phone_number not verified */
};

struct pc_snap_group {
  char *name;
  struct pc_snap_user *users;
  size_t n;
};

struct pc_snap {
  struct pc_snap_group *groups;
  size_t n;
};

/* Append an empty group; 0 or -1 (no memory). */
int pc_snap_add_group(struct pc_snap *s, const char *name)
    __attribute__((warn_unused_result));

/* Append a ListUsersInGroup user object to the last group, keeping only
 * Username, Enabled, sub, the login_claim, uid_attribute and
 * ssh_keys_attribute attributes.
 * An email or phone_number login_claim is kept only when its verified flag
 * is "true" (else login is NULL and unverified set): a user can change
 * their own address, not its verification.
 * PC_OK; PC_ERR_PROTOCOL when the record lacks Username or sub (skipped,
 * with why in skipped's detail); PC_ERR_NOMEM no memory. */
enum pc_status pc_snap_add_user(struct pc_snap *s, const struct pc_config *cfg,
                                json_object *user, struct pc_error *skipped)
    __attribute__((warn_unused_result));

/* Write s as JSON to path (temporary file, fsync, rename; mode 0644).
 * PC_OK, or the failure with err. */
enum pc_status pc_snap_export(const struct pc_snap *s, const char *path,
                              struct pc_error *err)
    __attribute__((warn_unused_result));

/* Read an export file into s (empty on entry). PC_OK, or the failure with err.
 */
enum pc_status pc_snap_import(struct pc_snap *s, const char *path,
                              struct pc_error *err)
    __attribute__((warn_unused_result));

/* s as a JSON object (the export's document); NULL when out of memory. */
json_object *pc_snap_to_json(const struct pc_snap *s);

/* The groups of an export document root into s (empty on entry); what
 * names the source in messages. PC_OK, or PC_ERR_CONFIG with err. */
enum pc_status pc_snap_from_json(struct pc_snap *s, json_object *root,
                                 const char *what, struct pc_error *err)
    __attribute__((warn_unused_result));

void pc_snap_free(struct pc_snap *s);
/* Free one group's contents (the snapshot's array is left alone). */
void pc_snap_group_free(struct pc_snap_group *g);

#endif
