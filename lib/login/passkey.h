/* SPDX-License-Identifier: MIT */
/* Passkeys outside a login: the plugin opened by path, and the registration
 * calls pam_cognito-passkey makes with the user's access token
 * (StartWebAuthnRegistration, CompleteWebAuthnRegistration,
 * ListWebAuthnCredentials, DeleteWebAuthnCredential). */
#ifndef PC_LOGIN_PASSKEY_H
#define PC_LOGIN_PASSKEY_H

#include <stddef.h>

#include "base/error.h"
#include "fido/passkey_plugin.h"
#include "login/login.h"
#include "net/api.h"

/* dlopen the plugin at path: its table, or NULL with why (handle to
 * dlclose when set). */
const struct pc_passkey_plugin *pc_passkey_open(const char *path, void **handle,
                                                char *why, size_t n);

/* The words a person gets for a key that could not answer. */
const char *pc_passkey_words(enum pc_passkey_result r);

/* Make a resident passkey on the attached key for the options Cognito
 * gives, and register it. Messages (touch, PIN) through p. */
enum pc_status pc_passkey_register(struct pc_client *cl, const char *token,
                                   const char *plugin,
                                   const struct pc_prompter *p,
                                   struct pc_error *err);

/* All of the user's passkeys (every page): *list an array of
 * WebAuthnCredentialDescription objects, json_object_put by the caller. */
enum pc_status pc_passkey_list(struct pc_client *cl, const char *token,
                               json_object **list, struct pc_error *err);

enum pc_status pc_passkey_delete(struct pc_client *cl, const char *token,
                                 const char *credential_id,
                                 struct pc_error *err);

#endif
