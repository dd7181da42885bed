/* SPDX-License-Identifier: MIT */
/* The login: InitiateAuth, then answer challenges one after another until
 * tokens arrive. Questions go through a prompter, so that the PAM module and
 * a command-line tool plug in the same way. */
#ifndef PAM_COGNITO_LOGIN_H
#define PAM_COGNITO_LOGIN_H

#include <time.h>
#include "api.h"
#include "error.h"
#include "status.h"
#include "tokens.h"
#include "usercontext.h"

enum pc_prompt_style { PC_PROMPT_SECRET, PC_PROMPT_VISIBLE };

struct pc_prompter {
  /* Ask a question. On success return 0 and set *answer to a heap string that
   * the caller wipes and frees; return -1 when the conversation cannot
   * answer (the login then fails with PC_ERR_CONV). */
  int (*ask)(void *ctx, enum pc_prompt_style style, const char *prompt,
             char **answer);
  /* Tell the user something (is_error selects an error-style message). */
  void (*tell)(void *ctx, int is_error, const char *text);
  void *ctx;
  int quiet; /* messages are not shown (PAM_SILENT): no flow that needs them */
};

struct pc_login_opts {
  const char *username; /* the login name */
  const char *password; /* borrowed; never copied into logs */
  int max_attempts;     /* per challenge (new password, codes) */
  int max_rounds;       /* challenge rounds, default 10 */
  time_t (*now)(void);  /* clock for TIMESTAMP; NULL = time() */
  const struct pc_usercontext *context; /* for usercontext.c; may be NULL */
};

struct pc_login_result {
  struct pc_tokens tokens; /* set on PC_OK */
  char *new_password;      /* set when NEW_PASSWORD_REQUIRED changed it */
  int mfa_used;            /* a second factor was asked for */
  int reset_required;      /* Cognito said the password must be reset */
  char challenge[64];      /* the challenge being answered when it failed */
  struct pc_error err;     /* why it failed: status, detail, server error */
};

void pc_login_result_free(struct pc_login_result *r); /* wipes */

/* Run a whole login. PC_OK with tokens, or an error status with
 * r->challenge and r->err filled for logging. */
enum pc_status pc_login(struct pc_client *cl, const struct pc_login_opts *o,
                        const struct pc_prompter *p, struct pc_login_result *r)
    __attribute__((warn_unused_result));

#endif
