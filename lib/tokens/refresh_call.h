/* SPDX-License-Identifier: MIT */
/* refresh_call: which refresh call worked last for an app client, so that a
 * renewal makes one call, not a refused one and then the other (root's
 * record, <cache_dir>/.private/refresh-call-<client id>.json: a user must
 * not steer root's calls; the helper keeps its own copy in refresh.json).
 * A client does not change between users, so one record serves them all. */
#ifndef PAM_COGNITO_REFRESH_CALL_H
#define PAM_COGNITO_REFRESH_CALL_H

#include "config/cfg.h"
#include "tokens/tokens.h"

/* The call recorded for cfg's client; GetTokensFromRefreshToken when there
 * is no record (or it cannot be read, or names another client). */
enum pc_refresh_call pc_refresh_call_load(const struct pc_config *cfg);

/* Record c for cfg's client (root). Best effort: a record that cannot be
 * written costs the next renewal one refused call. */
void pc_refresh_call_save(const struct pc_config *cfg, enum pc_refresh_call c);

#endif
