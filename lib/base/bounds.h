/* SPDX-License-Identifier: MIT */
/* bounds: every size limit of lib/ in one place, so that no file borrows
 * another's header for a number. */
#ifndef PAM_COGNITO_BOUNDS_H
#define PAM_COGNITO_BOUNDS_H

#define PC_USER_NAME_MAX 64     /* longest local user name the cache accepts */
#define PC_CACHE_NAME_MAX 64    /* longest file name inside a cache directory */
#define PC_CACHE_MAX_FILE 65536 /* largest cache file read or written */
#define PC_MAX_GROUPS 512     /* Cognito groups kept from a token or a record */
#define PC_CACHE_PATH_MAX 256 /* cache paths kept for messages */
#define PC_HTTP_MAX_RESPONSE (256 * 1024) /* largest HTTP answer kept */
#define PC_HTTP_MAX_HEADERS (64 * 1024)   /* all header lines of one answer */
#define PC_JWT_MAX_CLAIMS 16384 /* largest decoded JWT claims segment */
#define PC_JSON_MAX_DEPTH 16    /* deepest JSON nesting parsed */
#define PC_IDENTITY_ID_MAX 55   /* "<region>:<uuid>" is 46 */
#define PC_IMDS_URL_MAX 200     /* imds_endpoint without its trailing '/' */

/* 9999-12-31T23:59:59Z: the last second four year digits can spell. */
#define PC_EPOCH_MAX 253402300799LL

#endif
