/* SPDX-License-Identifier: MIT */
/* Descriptors the module (or libcurl on its behalf) opens must not reach
 * the programs the application runs: sudo's askpass, a conversation that
 * spawns a child while a code is asked for, the user's shell. Our own
 * connections are created close-on-exec (lib/net/http.c), but libcurl also
 * makes socket pairs of its own (the wakeup pair of a multi handle, the
 * threaded resolver's) without the flag in the releases we build against.
 * The guard remembers which descriptors were open before, and marks the
 * sockets that appeared since close-on-exec before each conversation and
 * at the end of a call. Descriptors of the host program are never
 * touched: the conversation's own (an askpass pipe) are added to the
 * snapshot afterwards. Linux /proc/self/fd; without it the guard does
 * nothing. */
#ifndef PAM_COGNITO_FDGUARD_H
#define PAM_COGNITO_FDGUARD_H

#include <stddef.h>

struct pc_fdguard {
  int *fds; /* sorted descriptors open at the snapshot; NULL: no snapshot */
  size_t n;
};

/* Take the snapshot (g starts zeroed or after pc_fdguard_end). */
void pc_fdguard_begin(struct pc_fdguard *g);

/* Mark close-on-exec every socket opened since the snapshot. */
void pc_fdguard_seal(const struct pc_fdguard *g);

/* After the application's conversation: what it opened is its own. */
void pc_fdguard_rebase(struct pc_fdguard *g);

/* Seal, then drop the snapshot. */
void pc_fdguard_end(struct pc_fdguard *g);

#endif
