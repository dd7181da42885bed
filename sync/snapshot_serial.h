/* SPDX-License-Identifier: MIT */
/* The publisher's serial, which never goes back: hosts refuse a serial
 * lower than the last they applied, so a publisher whose clock went back
 * (NTP stepping it, a VM restored) would stall every host until its clock
 * passed the old serial. The last serial published is kept root-only in
 * <nss_dir>/pam_cognito-sync.published, the directory that holds the sync's
 * other state (created and checked root's, writable by root only), and not
 * beside the signing key: the key's directory may be a read-only or secret
 * mount, and a state file there would be copied wherever the key is. One
 * local file, not a GET of the object in place before the PUT: a single
 * publisher job needs no extra request, no s3:GetObject right and no public
 * key, and cannot be pinned by whatever serial the store holds. */
#ifndef PAM_COGNITO_SNAPSHOT_SERIAL_H
#define PAM_COGNITO_SNAPSHOT_SERIAL_H

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"

/* The serial to publish now: the greater of now_ms (the clock in
 * milliseconds) and the last one published plus one, recorded (mode 0600,
 * atomically) before it is returned, so that no serial is ever used twice.
 * PC_OK with *serial; PC_ERR_CONFIG with err when the file is not root's
 * 0600 or is malformed, or cannot be written (nothing is published). */
enum pc_status pc_snapshot_serial_next(const struct pc_config *cfg,
                                       long long now_ms, long long *serial,
                                       struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
