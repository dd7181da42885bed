/* SPDX-License-Identifier: MIT */
/* The login: InitiateAuth, then answer challenges one after another until
 * tokens arrive. Questions go through a prompter, so that the PAM module and
 * a command-line tool plug in the same way. */
#ifndef PAM_COGNITO_LOGIN_H
#define PAM_COGNITO_LOGIN_H

#include <time.h>
#include "base/error.h"
#include "base/status.h"
#include "net/api.h"
#include "net/usercontext.h"
#include "tokens/tokens.h"

enum pc_prompt_style { PC_PROMPT_SECRET, PC_PROMPT_VISIBLE };

/* What a message told through pc_prompter.tell is. PAM_SILENT silences
 * information, not what the person must act on (touch the key) nor why a
 * sign-in they started was refused: those are PC_TELL_NEEDED. */
enum {
  PC_TELL_INFO = 0,  /* information: silent under PAM_SILENT */
  PC_TELL_ERROR = 1, /* an error-style message */
  PC_TELL_NEEDED = 2 /* shown even under PAM_SILENT */
};

struct pc_prompter {
  /* Ask a question. On success return 0 and set *answer to a heap string that
   * the caller wipes and frees; return -1 when the conversation cannot
   * answer (the login then fails with PC_ERR_CONV). */
  int (*ask)(void *ctx, enum pc_prompt_style style, const char *prompt,
             char **answer);
  /* Tell the user something; kind is PC_TELL_* bits (0: information). */
  void (*tell)(void *ctx, int kind, const char *text);
  void *ctx;
  int quiet; /* PAM_SILENT: only PC_TELL_NEEDED is shown; no flow that needs
              * more (a QR code, a reset walk-through) */
};

struct pc_login_opts {
  const char *username; /* the login name */
  const char *password; /* borrowed; never copied into logs; "" under
                           USER_AUTH: a one-time code instead */
  int max_attempts;     /* per challenge (new password, codes) */
  int max_rounds;       /* challenge rounds, default 10 */
  time_t (*now)(void);  /* clock for TIMESTAMP; NULL = time() */
  const struct pc_usercontext *context; /* for usercontext.c; may be NULL */
  /* Remembered device (lib/login/device.h): the cache root and the local user
   * whose record it is; NULL device_dir: this host is no device. */
  const char *device_dir;
  const char *device_user;
  const char *device_name; /* DeviceName; NULL: none */
  /* USER_AUTH's WEB_AUTHN (password ""): sign in with a passkey through the
   * plugin at passkey_plugin (lib/fido/passkey_plugin.h), opened only now. */
  int passkey;
  const char *passkey_plugin;
};

/* A device Cognito announced at the login (NewDeviceMetadata) and this host
 * has not confirmed yet. */
struct pc_new_device {
  char *key;
  char *group_key;
  char *user_id; /* the pool's name of the user (USER_ID_FOR_SRP) */
};

struct pc_login_result {
  struct pc_tokens tokens; /* set on PC_OK */
  char *new_password;      /* set when NEW_PASSWORD_REQUIRED changed it */
  int mfa_used;            /* a second factor was asked for, or a
                              remembered device stood in for one */
  int reset_required;      /* Cognito said the password must be reset */
  int device_proved;       /* this host signed in as a remembered device */
  int code_login;          /* the first factor was a one-time code (USER_AUTH):
                              no password was proved */
  struct pc_new_device new_device; /* for pc_login_remember_device */
  char challenge[64];  /* the challenge being answered when it failed */
  struct pc_error err; /* why it failed: status, detail, server error;
                          its notes: what went wrong with the device */
};

void pc_login_result_free(struct pc_login_result *r); /* wipes */

/* Run a whole login. PC_OK with tokens, or an error status with
 * r->challenge and r->err filled for logging. */
enum pc_status pc_login(struct pc_client *cl, const struct pc_login_opts *o,
                        const struct pc_prompter *p, struct pc_login_result *r)
    __attribute__((warn_unused_result));

/* Make this host the remembered device Cognito announced in r (ConfirmDevice
 * and the record under o->device_dir). Called only after the host has
 * admitted the user: a login refused by the access rules leaves no device
 * in the pool and no device secret on the host. In a pool where users opt
 * in (ConfirmDevice answers UserConfirmationNecessary) the person is asked
 * through p (NULL, quiet, or a conversation that cannot answer: the device
 * stays not remembered). Problems go to r->err's notes; the login stands
 * either way. */
void pc_login_remember_device(struct pc_client *cl,
                              const struct pc_login_opts *o,
                              const struct pc_prompter *p,
                              struct pc_login_result *r);

#endif
