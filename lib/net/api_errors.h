/* SPDX-License-Identifier: MIT */
/* api_errors: the one table of Cognito errors. Every error type the service
 * model lists for the sign-in calls (InitiateAuth, RespondToAuthChallenge,
 * ChangePassword, ForgotPassword, ConfirmForgotPassword,
 * AssociateSoftwareToken, VerifySoftwareToken), the device, refresh,
 * revocation and pam_cognito-sync calls, the identity pool's and STS's
 * (tests/emulator/error_catalog.py lists them from botocore's models, and
 * tests/pam/test_errors.py holds this table to it), and the meanings
 * NotAuthorizedException carries in its message, each with the status the
 * caller acts on (pam_cognito/result.c turns it into the PAM result), what
 * the user is told, and a note for syslog. The man page's table
 * (pam_cognito(8), DIAGNOSTICS) is this one in words. */
#ifndef PAM_COGNITO_API_ERRORS_H
#define PAM_COGNITO_API_ERRORS_H

#include <stddef.h>

#include "base/error.h"
#include "base/status.h"

/* Longest server text shown to a user: a Lambda's message is the pool
 * owner's, but a terminal line is no place for a page of it. */
#define PC_ERRTABLE_SAY_MAX 200

/* What Cognito says when the app client's ExplicitAuthFlows lack the flow
 * ("USER_PASSWORD_AUTH flow not enabled for this client"), under
 * InvalidParameterException or NotAuthorizedException. */
#define PC_ERRTABLE_FLOW_OFF "flow not enabled for this client"

enum pc_say {
  PC_SAY_NOTHING, /* a wrong password gets no words */
  PC_SAY_FIXED,   /* the row's text */
  PC_SAY_SERVER,  /* the server's message (a password policy), else the text */
  PC_SAY_TRIGGER  /* the Lambda trigger's own words, else the text */
};

struct pc_errtable_row {
  const char *type;    /* bare __type; NULL on the fallback row */
  const char *meaning; /* NULL: any message; else text the message contains */
  enum pc_status status;
  enum pc_say say;
  const char *text; /* for the user (PC_SAY_NOTHING: NULL) */
  const char *note; /* for syslog */
  int retry;        /* throttling: another attempt may help */
};

/* The row for a server error: type (namespace prefix and ":..." suffix
 * tolerated) and its message (may be NULL). Never NULL: a type the table
 * does not know gets the fallback row, which fails closed. */
const struct pc_errtable_row *pc_errtable_find(const char *type,
                                               const char *message);

/* For a row that says the app client lacks a flow: the ExplicitAuthFlows
 * value the request's AuthFlow needs ("ALLOW_USER_SRP_AUTH"); else NULL. */
const char *pc_errtable_allow_flow(const struct pc_errtable_row *row,
                                   const char *auth_flow);

/* Every row, the fallback last (*n rows). */
const struct pc_errtable_row *pc_errtable_rows(size_t *n);

/* What the user is told about e, sanitized and bounded, into out (size n):
 * 1 when there is something to say, 0 when e gets no words (a wrong
 * password, or e is not a server error, or the server error is not what
 * ended the call: e->status differs from the row's). */
int pc_errtable_say(const struct pc_error *e, char *out, size_t n);

#endif
