/* SPDX-License-Identifier: MIT */
/* SSH public keys from the pool (ssh_keys_attribute): each line checked
 * against the types and options this host allows, and written root-owned
 * to <nss_dir>/ssh/<user> for sshd's AuthorizedKeysFile. */
#ifndef PAM_COGNITO_SSHKEYS_H
#define PAM_COGNITO_SSHKEYS_H

#include <stddef.h>

#include "base/error.h"
#include "config/cfg.h"
#include "sync/nssbuild.h"
#include "sync/poolsnap.h"

/* Shortest RSA modulus accepted, in bits. */
#define PC_SSHKEY_RSA_MIN 2048
/* Longest key line accepted (an RSA 16384 key fits). */
#define PC_SSHKEY_LINE_MAX 8192

/* One authorized_keys line: 1 with the line to write in out ("[options]
 * type base64", the comment left out), 0 when the line is refused (why
 * says why), -1 when it is blank. Types: ssh-ed25519, ecdsa-sha2-nistp256
 * /384/521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com,
 * ssh-rsa of at least PC_SSHKEY_RSA_MIN bits; the type inside the base64
 * blob must be the one the line names. Options: only restrict, no-pty,
 * no-port-forwarding, no-agent-forwarding, no-X11-forwarding,
 * no-user-rc. */
int pc_sshkey_check(const char *line, size_t len, char *out, size_t outsize,
                    const char **why);

/* Write <nss_dir>/ssh/<name> for every user of db (the keys of the pool
 * user with the same sub in s; no file for a user without a valid key),
 * each 0644 root's, written to a temporary file and renamed; the
 * directory 0755 root's; files of users no longer synced removed. Refused
 * lines are reported through log with the user and the line number.
 * Without ssh_keys_attribute, every file of the directory is removed.
 * PC_OK, or the failure with err. */
enum pc_status pc_sshkeys_write(const struct pc_config *cfg,
                                const struct pc_snap *s,
                                const struct pc_nss_db *db, pc_nss_log_fn log,
                                void *ud, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
