/* SPDX-License-Identifier: MIT */
/* The signed pool snapshot hosts read from S3 (snapshot_url): the export
 * document with a serial and a time, under an Ed25519 signature.
 *
 * Bytes: one header line, then the document.
 *   pam_cognito-snapshot 2 ed25519 <base64 signature>\n<document>
 * The signature is over the document bytes exactly as they follow the
 * first newline (a JSON object with Format, Serial, Time, Settings,
 * Groups); nothing is re-serialised before checking, so there is one way
 * to read it. Format 2 added Settings (snapshot_settings.h); a format 1
 * snapshot (an older publisher) is refused: it does not say which
 * attributes its uids and names came from. */
#ifndef PAM_COGNITO_SNAPSHOT_SIGN_H
#define PAM_COGNITO_SNAPSHOT_SIGN_H

#include <stddef.h>
#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "sync/poolsnap.h"

#define PC_SNAPSHOT_MAGIC "pam_cognito-snapshot 2 ed25519 "
#define PC_SNAPSHOT_MAGIC_1 "pam_cognito-snapshot 1 "

/* The PEM Ed25519 private key in key_path is usable: a regular file of
 * root's (or of the user running this) that group and others can neither
 * read nor write, as ssh wants a private key, and it parses. Checked before
 * the pool is read, so that a refused key costs no request. PC_OK, or
 * PC_ERR_CONFIG with err naming the file and what is wrong (its mode). */
enum pc_status pc_snapshot_check_key(const char *key_path, struct pc_error *err)
    __attribute__((warn_unused_result));

/* s with serial, time (seconds since the epoch) and cfg's settings
 * (snapshot_settings.h), signed with the PEM Ed25519 private key in
 * key_path (checked as pc_snapshot_check_key); *out (malloc'd, *outlen
 * bytes) is what is published. PC_OK, or the failure with err. */
enum pc_status
pc_snapshot_seal(const struct pc_config *cfg, const struct pc_snap *s,
                 long long serial, long long when, const char *key_path,
                 char **out, size_t *outlen, struct pc_error *err)
    __attribute__((warn_unused_result));

/* Check blob's signature with the PEM Ed25519 public key in pub_path
 * (root's, not writable by others) and its settings against cfg, the
 * host's configuration, then read the document into s (empty on entry),
 * *serial and *when. PC_OK; PC_ERR_CONFIG for an unusable key or settings
 * that differ from cfg's (err names the key and both values);
 * PC_ERR_PROTOCOL for a blob that is malformed, of format 1 or not signed
 * by that key. */
enum pc_status
pc_snapshot_open(const char *blob, size_t len, const char *pub_path,
                 const struct pc_config *cfg, struct pc_snap *s,
                 long long *serial, long long *when, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
