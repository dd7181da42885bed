/* SPDX-License-Identifier: MIT */
/* A set of numeric ids (uids and gids in use): open addressing, grows. */
#ifndef PAM_COGNITO_IDSET_H
#define PAM_COGNITO_IDSET_H

#include <stddef.h>

struct pc_idset {
  long *slots; /* -1: empty */
  size_t cap, n;
};

void pc_idset_init(struct pc_idset *s);
/* 0, or -1 when memory ran out. */
int pc_idset_add(struct pc_idset *s, long id)
    __attribute__((warn_unused_result));
int pc_idset_has(const struct pc_idset *s, long id);
void pc_idset_free(struct pc_idset *s);

#endif
