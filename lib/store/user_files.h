/* SPDX-License-Identifier: MIT */
/* user_files: every file kept for a user, and its format. The module (root, at
 * login and in the session stages) and the credential helper (the user)
 * both go through it; nobody else names a cache file.
 *
 * In the user's area <cache_dir>/<user>/ (lib/store/cachedir.c's rules):
 *   credentials.json  the AWS credentials, credential_process shape;
 *                     written at login and by the helper, read by the
 *                     session stages and the helper.
 *   identity_id       {IdentityPoolId, IdentityId}: skips GetId next time.
 *   refresh.json      the hand-over to the helper: pool settings (never the
 *                     client secret), identity id, user name, SECRET_HASH,
 *                     the key of the device the token is bound to (never
 *                     a device password), the refresh token, the refresh
 *                     call that works for the client and client_metadata
 *                     (ClientMetadata of the helper's renewals). Removed
 *                     at logout.
 * The root-only area <cache_dir>/.private/<user>/ is opened on first use of
 * a file kept there (none yet). */
#ifndef PAM_COGNITO_USER_FILES_H
#define PAM_COGNITO_USER_FILES_H

#include <stddef.h>
#include <sys/types.h>

#include "base/bounds.h"
#include "base/error.h"
#include "config/cfg.h"
#include "store/cachedir.h"
#include "store/creds_doc.h"

struct pc_store {
  struct pc_cache user;    /* the user's area */
  struct pc_cache private; /* the root-only area, opened when first needed */
  const char *base;        /* borrowed */
  char name[PC_USER_NAME_MAX + 1];
  int create;
};

#define PC_STORE_INIT                                                          \
  { PC_CACHE_INIT, PC_CACHE_INIT, NULL, {0}, 0 }

/* Open the store of user (owned by uid:gid) under base, creating what is
 * missing when create is set (root). Returns as pc_cache_open (PC_OK,
 * PC_ABSENT, PC_ERR_CONFIG); a first login racing another may see the fresh
 * directory before it is handed to the user, so a failed create is tried
 * once more. */
enum pc_status pc_store_open(struct pc_store *s, const char *base,
                             const char *user, uid_t uid, gid_t gid, int create,
                             struct pc_error *e)
    __attribute__((warn_unused_result));
void pc_store_close(struct pc_store *s); /* safe twice and on PC_STORE_INIT */

enum pc_store_load {
  PC_STORE_LOADED,    /* creds filled: release with pc_aws_creds_free */
  PC_STORE_ABSENT,    /* no credentials.json */
  PC_STORE_EMPTY,     /* an empty credentials.json */
  PC_STORE_MALFORMED, /* not a credential_process document (e says so) */
  PC_STORE_EXPIRED,   /* valid for less than min_validity seconds */
  PC_STORE_REFUSED,   /* refused or unreadable (e says why) */
};

/* The stored credentials, kept when they stay valid for at least
 * min_validity seconds from now. creds is zeroed unless PC_STORE_LOADED. */
enum pc_store_load pc_store_load_creds(struct pc_store *s, long min_validity,
                                       struct pc_aws_creds *creds,
                                       struct pc_error *e)
    __attribute__((warn_unused_result));
enum pc_status pc_store_save_creds(struct pc_store *s,
                                   const struct pc_aws_creds *cr,
                                   struct pc_error *e)
    __attribute__((warn_unused_result));

/* 1 when id looks like an identity id: [A-Za-z0-9_-]+:[0-9a-f-]+, at most
 * PC_IDENTITY_ID_MAX characters; 0 otherwise. */
int pc_identity_id_valid(const char *id);

/* The identity id remembered for pool_id (a heap string), or NULL: none,
 * another pool's, or unreadable (then e->status is not PC_OK). */
char *pc_store_load_identity(struct pc_store *s, const char *pool_id,
                             struct pc_error *e);
enum pc_status pc_store_save_identity(struct pc_store *s, const char *pool_id,
                                      const char *identity_id,
                                      struct pc_error *e)
    __attribute__((warn_unused_result));

/* What refresh.json carries from the module (root) to the helper (user). */
struct pc_handover {
  struct pc_config cfg; /* region, pools, client, endpoints, timeout, ... */
  char *identity_id;
  char *user_id;       /* user name for SECRET_HASH */
  char *secret_hash;   /* secret; NULL for a client without a secret */
  char *device_key;    /* the token's device (refresh needs it), or NULL */
  char *refresh_token; /* secret */
  char *refresh_call;  /* the refresh call that worked (tokens.h's names),
                          or NULL */
};

/* Write refresh.json (refresh_call may be NULL). PC_OK, or the failure (e set).
 */
enum pc_status
pc_store_save_handover(struct pc_store *s, const struct pc_config *cfg,
                       const char *identity_id, const char *user_id,
                       const char *secret_hash, const char *device_key,
                       const char *refresh_token, const char *refresh_call,
                       struct pc_error *e) __attribute__((warn_unused_result));
/* Read refresh.json into h: PC_OK, PC_ABSENT absent or empty, PC_ERR_CONFIG
 * refused or PC_ERR_PROTOCOL unusable (e says which file and why; h
 * released). */
enum pc_status pc_store_load_handover(struct pc_store *s, struct pc_handover *h,
                                      struct pc_error *e)
    __attribute__((warn_unused_result));
void pc_handover_free(struct pc_handover *h); /* wipes; safe when zeroed */

/* Remove the credentials and the hand-over (logout): PC_OK, or
 * PC_ERR_CONFIG when one could not be removed (e says which). */
enum pc_status pc_store_forget_session(struct pc_store *s, struct pc_error *e)
    __attribute__((warn_unused_result));

/* The refresh.json format itself (tests and fuzzers): the document as a
 * string for pc_buf_string_free, or NULL; and its strict parser, which
 * applies the configuration file's validation to the pool settings (PC_OK,
 * or PC_ERR_PROTOCOL with e set and out released). */
char *pc_handover_json(const struct pc_config *cfg, const char *identity_id,
                       const char *user_id, const char *secret_hash,
                       const char *device_key, const char *refresh_token,
                       const char *refresh_call);
enum pc_status pc_handover_parse(const char *json, size_t len,
                                 struct pc_handover *out, struct pc_error *e)
    __attribute__((warn_unused_result));

#endif
