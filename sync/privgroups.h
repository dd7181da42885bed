/* SPDX-License-Identifier: MIT */
/* Groups that grant privilege on this host, which pam_cognito-sync never
 * creates and never lets a user's private group be: a fixed list of system
 * groups (whether they exist yet or not) and every %group sudoers names. */
#ifndef PAM_COGNITO_PRIVGROUPS_H
#define PAM_COGNITO_PRIVGROUPS_H

#include <stddef.h>

#include "base/error.h"

/* 1 when name is one of the built-in privileged groups (admin, sudo,
 * wheel, adm, root, shadow, disk, docker, lxd, libvirt, systemd-journal,
 * staff, kmem), else 0. */
int pc_priv_builtin(const char *name);

/* Called for each %name (gid -1) and %#gid (name NULL) token; non-zero
 * stops the scan with -1. */
typedef int (*pc_priv_cb)(const char *name, long gid, void *ud);

/* Scan path, a sudoers file or a directory of them (every regular file in
 * it), following @include / #include and @includedir / #includedir; an
 * absolute include target is read below root (the --root directory of
 * pam_cognito-sync, or NULL for /). A missing path is no error (no sudo
 * installed); any other failure to read is: PC_OK, or the failure with
 * err. */
enum pc_status pc_priv_sudoers(const char *root, const char *path,
                               pc_priv_cb cb, void *ud, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
