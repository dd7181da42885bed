/* SPDX-License-Identifier: MIT */
/* syncstate: what the last pam_cognito-sync run admitted, kept next to the
 * extrausers files (<nss_dir>/pam_cognito-sync.state, root's, 0644): one
 * line per synced user with the uid and the synced pool groups. The
 * account stage reads it for users who never logged in here with a
 * password (SSH keys), and the next run reads it to see who lost access
 * (end_sessions). */
#ifndef PAM_COGNITO_SYNCSTATE_H
#define PAM_COGNITO_SYNCSTATE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"

struct pc_synced_user {
  char *name;
  long uid;
  int admitted;  /* by allowed_users / allowed_groups when it was written */
  char **groups; /* synced pool groups, NULL-terminated */
};

struct pc_syncstate {
  long long written; /* epoch seconds of the run */
  struct pc_synced_user *users;
  size_t n;
};

/* The state file's path under cfg->nss_dir into buf. 0, or -1 too long. */
int pc_syncstate_path(const struct pc_config *cfg, char *buf, size_t size);

/* One user's line ("name:uid:admitted:group,group\n") and the header line
 * ("# pam_cognito-sync state, written <epoch>\n") as the sync renders
 * them into line. 0, or -1 when line is too small. */
int pc_syncstate_header(long long written, char *line, size_t size);
int pc_syncstate_line(const struct pc_synced_user *u, char *line, size_t size);

/* Read the state file. It must be a regular file owned by root and
 * writable by root only (else PC_ERR_CONFIG with why). PC_OK, or
 * PC_ERR_USER_UNKNOWN when there is none (no sync ran yet), or another
 * status with why. */
enum pc_status pc_syncstate_load(const struct pc_config *cfg,
                                 struct pc_syncstate *st, struct pc_error *why)
    __attribute__((warn_unused_result));

/* The entry of name with uid in st, or NULL. */
const struct pc_synced_user *pc_syncstate_find(const struct pc_syncstate *st,
                                               const char *name, long uid);

void pc_syncstate_free(struct pc_syncstate *st);

#endif
