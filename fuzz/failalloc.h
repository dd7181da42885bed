/* SPDX-License-Identifier: MIT */
/* Fail the N-th allocation: the objects of a program linked with
 * -Wl,--wrap=SYMBOL for malloc, calloc, realloc, strdup and the json-c
 * constructors listed in fuzz.mk call these wrappers instead. */
#ifndef PAM_COGNITO_FUZZ_FAILALLOC_H
#define PAM_COGNITO_FUZZ_FAILALLOC_H

/* Count allocations from now on and fail the n-th (1-based) only; n = 0
 * counts without failing. */
void failalloc_arm(long n);

/* Stop counting. Returns the allocations seen since failalloc_arm. */
long failalloc_disarm(void);

/* Route OpenSSL's allocations through the same counter. Call first thing
 * in main, before OpenSSL allocates anything. 0 or -1. */
int failalloc_openssl(void);

/* 1 when the armed failure has been injected. */
int failalloc_injected(void);

#endif
