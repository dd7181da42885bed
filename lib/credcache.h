/* credcache: the credential files in a user's cache (credentials.json and
 * refresh.json), written by the module at login and by the helper when it
 * renews, read by the session stages and the helper; and the identity-pool
 * exchange of a login, which remembers the identity id there. */
#ifndef PAM_COGNITO_CREDCACHE_H
#define PAM_COGNITO_CREDCACHE_H

#include <stddef.h>

#include "api.h"
#include "cache.h"
#include "cfg.h"
#include "credfile.h"
#include "status.h"

/* Write cr as credentials.json. 0, or -1 with err set ("out of memory" when
 * the document cannot be built). */
int pc_cache_store_creds(const struct pc_cache *c,
                         const struct pc_aws_creds *cr, char *err,
                         size_t errlen) __attribute__((warn_unused_result));

/* Write refresh.json (see pc_handover_json). 0, or -1 with err set ("out of
 * memory" when the document cannot be built). */
int pc_cache_store_handover(const struct pc_cache *c,
                            const struct pc_config *cfg,
                            const char *identity_id, const char *user_id,
                            const char *secret_hash, const char *refresh_token,
                            char *err, size_t errlen)
    __attribute__((warn_unused_result));

enum pc_cache_load {
  PC_CACHE_LOADED,    /* creds filled: release with pc_aws_creds_free */
  PC_CACHE_ABSENT,    /* no credentials.json */
  PC_CACHE_EMPTY,     /* an empty credentials.json */
  PC_CACHE_MALFORMED, /* not a credential_process document (err says so) */
  PC_CACHE_EXPIRED,   /* valid for less than min_validity seconds */
  PC_CACHE_REFUSED,   /* refused or unreadable (err says why) */
};

/* Read credentials.json and keep it when it stays valid for at least
 * min_validity seconds from now. creds is zeroed unless PC_CACHE_LOADED. */
enum pc_cache_load
pc_cache_load_creds(const struct pc_cache *c, long min_validity,
                    struct pc_aws_creds *creds, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Where pc_creds_fetch reports what it does not return: cache trouble at
 * LOG_WARNING, the GetId fallback at LOG_DEBUG (syslog priorities). The
 * text holds no secrets. log may be NULL. */
struct pc_log {
  void (*log)(void *ctx, int priority, const char *text);
  void *ctx;
};

/* AWS credentials for the user behind id_token: GetCredentialsForIdentity
 * with the identity id remembered in c (identity_id, for cfg's identity
 * pool), GetId first when there is none or the server refuses it (another
 * pool, a deleted identity); a new id is remembered in c. c may be NULL (no
 * cache). PC_OK with a heap string in *identity_id and creds filled
 * (pc_aws_creds_free), or an error status with err filled. */
enum pc_status pc_creds_fetch(struct pc_client *cl, const struct pc_config *cfg,
                              const struct pc_cache *c, const char *id_token,
                              const struct pc_log *log, char **identity_id,
                              struct pc_aws_creds *creds,
                              struct pc_api_error *err)
    __attribute__((warn_unused_result));

#endif
