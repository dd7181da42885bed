/* SPDX-License-Identifier: MIT */
/* Cognito's SRP-6a variant on OpenSSL BIGNUM. Pure arithmetic, no I/O.
 * The protocol: amazon-cognito-identity-js (AuthenticationHelper). */
#ifndef PAM_COGNITO_SRP_H
#define PAM_COGNITO_SRP_H

#include <stddef.h>
#include <time.h>
#include "base/status.h"

struct pc_srp;

/* A fresh context with a random 128-byte a from the CSPRNG. NULL on failure. */
struct pc_srp *pc_srp_new(void);

/* Test seam: a context with the given a (big-endian bytes). */
struct pc_srp *pc_srp_new_with_a(const unsigned char *a, size_t a_len);

/* A = g^a mod N as lower-case hex (no padding). Owned by the context. */
const char *pc_srp_A_hex(const struct pc_srp *s);

/* Compute PASSWORD_CLAIM_SIGNATURE for the PASSWORD_VERIFIER challenge.
 * salt_hex, B_hex: as sent by the server; secret_block_b64 verbatim;
 * timestamp: the exact TIMESTAMP string that will be sent.
 * On PC_OK *sig_b64 is a heap string (free it). PC_ERR_PROTOCOL when B or salt
 * is not hex, B mod N == 0, u == 0, or the secret block is not base64. */
enum pc_status pc_srp_signature(struct pc_srp *s, const char *pool_name,
                                const char *user_id, const char *password,
                                const char *salt_hex, const char *B_hex,
                                const char *secret_block_b64,
                                const char *timestamp, char **sig_b64)
    __attribute__((warn_unused_result));

/* A device's secret verifier for ConfirmDevice (the reference client's
 * generateHashDevice): a fresh 16-byte random salt and g^x mod N, x formed
 * as in the sign-in with the device group key as pool name and the device
 * key as user. Both padded hex, heap strings (free them). */
enum pc_status pc_srp_device_verifier(const char *group_key,
                                      const char *device_key,
                                      const char *password, char **salt_hex,
                                      char **verifier_hex)
    __attribute__((warn_unused_result));

/* Test seam: the 16-byte HKDF key of the last successful pc_srp_signature.
 * 0, or -1 when the last call failed or there was none. */
int pc_srp_last_key(const struct pc_srp *s, unsigned char out[16]);

/* Wipe a and every derived secret, and free. */
void pc_srp_free(struct pc_srp *s);

/* "Mon Nov 2 04:05:06 UTC 2026" for t, English names, day not zero-padded.
 * buf must hold at least 40 bytes. */
void pc_srp_timestamp(time_t t, char *buf, size_t n);

/* Padded hex of a big-endian number given as hex text (for tests and for
 * callers that need pad()): leading "0" when odd length, "00" when the first
 * digit is 8-f. Heap string, or NULL when hex is not valid hex. */
char *pc_srp_pad_hex(const char *hex);

#endif
