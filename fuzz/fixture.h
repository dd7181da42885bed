/* SPDX-License-Identifier: MIT */
/* What the newer fuzz targets share: one pool configuration, a cache
 * directory of their own, a signing key's JWKS and a token it signed
 * (fixture_keys.h, written by gen-corpus), and a cheap fsync. */
#ifndef PAM_COGNITO_FUZZ_FIXTURE_H
#define PAM_COGNITO_FUZZ_FIXTURE_H

#include <stddef.h>
#include <time.h>

#include "config/cfg.h"

/* The time every target runs at: the fixture tokens are valid then. */
#define FIXTURE_NOW ((time_t)1700000000)
#define FIXTURE_USER "alice"

/* Fill cfg (pc_config_init'ed here): region us-east-1, pool
 * us-east-1_AbC123, client abc123 with a secret, an identity pool, and a
 * fresh root-owned 0700 cache_dir under $TMPDIR (or /tmp). Aborts on
 * failure: a target without its fixture must not run. */
void fixture_config(struct pc_config *cfg);

/* The name of the account running the target: a user's store belongs to a
 * real account (lib/store/owner_record.c), so the store targets open their own
 * user's. Aborts when there is none. */
const char *fixture_local_user(void);

/* Write len bytes of data to path (0600, replacing it). Aborts on failure. */
void fixture_write(const char *path, const void *data, size_t len);

/* A NUL-terminated heap copy of data (free it); aborts when out of memory. */
char *fixture_text(const unsigned char *data, size_t size);

#endif
