/* SPDX-License-Identifier: MIT */
/* Memory for secrets that stays out of core dumps. Each block is an
 * anonymous mapping of its own marked MADV_DONTDUMP: a crash of the host
 * program (sshd, sudo) does not write the passwords, tokens and keys that
 * were in it to a core file. Nothing process-wide changes (no
 * prctl(PR_SET_DUMPABLE), no RLIMIT_CORE): the host's own settings stay.
 * Blocks are zeroed when they come and wiped when they go. Where the
 * kernel refuses the mapping, the block comes from the heap instead (still
 * wiped): secrets must not fail a login. */
#ifndef PAM_COGNITO_SECMEM_H
#define PAM_COGNITO_SECMEM_H

#include <stddef.h>

/* n zeroed bytes, or NULL when memory runs out. */
void *pc_secmem_alloc(size_t n) __attribute__((warn_unused_result));

/* Bytes the caller may use in block p: at least what was asked for, and
 * the rest of its last page (a mapping is whole pages). */
size_t pc_secmem_size(const void *p);

/* Wipe and release a block of pc_secmem_alloc (NULL is ignored). */
void pc_secmem_free(void *p);

/* 1 when p is a block that is excluded from core dumps (tests). */
int pc_secmem_dontdump(const void *p);

#endif
