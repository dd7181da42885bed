/* SPDX-License-Identifier: MIT */
/* A QR code drawn with text, so that a phone can read an otpauth:// URI off
 * a terminal (TOTP enrolment, lib/login/mfa_setup.c). */
#ifndef PAM_COGNITO_QR_H
#define PAM_COGNITO_QR_H

/* text as a QR code (error correction L, 8-bit mode, a two-module margin)
 * drawn with Unicode half blocks, two module rows per line, lines joined by
 * '\n'. Light modules are the blocks, as `qrencode -t UTF8` draws them: the
 * usual light-on-dark terminal shows a dark-on-light code. A heap string
 * that may hold a secret (pc_free_secret), or NULL when text is too long
 * for a QR code or memory ran out. */
char *pc_qr_text(const char *text);

#endif
