/* SPDX-License-Identifier: MIT */
/* Result codes shared by every lib/ layer. The module maps them to PAM
 * codes in one place (pam_cognito/result.c). */
#ifndef PAM_COGNITO_STATUS_H
#define PAM_COGNITO_STATUS_H

enum pc_status {
  PC_OK = 0,
  PC_ERR_AUTH,         /* wrong password or code, disabled user, bad token */
  PC_ERR_USER_UNKNOWN, /* UserNotFoundException */
  PC_ERR_USER_NOT_CONFIRMED,
  PC_ERR_PASSWORD_RESET,   /* PasswordResetRequiredException */
  PC_ERR_INVALID_PASSWORD, /* InvalidPasswordException: policy rejected it */
  PC_ERR_CODE_MISMATCH,    /* CodeMismatchException */
  PC_ERR_EXPIRED,          /* ExpiredCodeException or expired session */
  PC_ERR_LIMIT,    /* LimitExceededException / TooManyRequests after retries */
  PC_ERR_UNAVAIL,  /* network down, timeout, 5xx */
  PC_ERR_PROTOCOL, /* malformed or unexpected reply */
  PC_ERR_CONFIG,   /* bad configuration */
  PC_ERR_NOMEM,
  PC_ERR_CONV,          /* the conversation could not answer */
  PC_ERR_UNSUPPORTED,   /* a challenge a login prompt cannot meet */
  PC_ERR_INVALID_PARAM, /* InvalidParameterException, ResourceNotFound */
  PC_ERR_ABORTED,       /* the user gave up (empty answer, too many tries) */
  PC_ERR_LOCKED,        /* Cognito locked the sign-in for a while (not a wrong
                           password: an offline verifier stays) */
  PC_ERR_DENIED,    /* refused for a reason other than the password: a Lambda
                       trigger, the pool's firewall, an unknown error type */
  PC_ERR_TOO_LARGE, /* a reply (header or body) past our limits */
  PC_ABSENT /* not a failure: nothing is stored there (no file, record or
               area yet); the callers of a load decide what that means */
};

/* A short fixed English name for logs ("network unavailable"). */
const char *pc_status_str(enum pc_status st);

/* 1 when no usable answer came from Cognito: nothing answered, or what
 * answered was not Cognito (a 5xx, garbage, a cut or oversized reply; a
 * network in between can make either). Throttling is an answer. Whether
 * that makes Cognito unavailable (offline login, account grace) is
 * lib/net/unavail.h's rule, never this one: a user can cause most of these. */
int pc_status_no_answer(enum pc_status st);

#endif
