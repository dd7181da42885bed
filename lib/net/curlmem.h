/* SPDX-License-Identifier: MIT */
/* libcurl's memory, wiped when freed: libcurl keeps request bodies,
 * received answers (tokens) and its upload buffer in blocks it frees
 * itself; these allocators zero each block before it goes back to malloc. */
#ifndef PAM_COGNITO_CURLMEM_H
#define PAM_COGNITO_CURLMEM_H

#include <curl/curl.h>

/* curl_global_init with the wiping allocators (process-wide, once). When
 * libcurl was initialised already by the host program its allocators
 * stay: wiping is then best-effort (README, "Secrets in memory"). */
CURLcode pc_curlmem_global_init(long flags);

#endif
