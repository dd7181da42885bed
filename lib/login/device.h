/* SPDX-License-Identifier: MIT */
/* device: this host as a remembered Cognito device of a user. The record
 * (device key, group key, device password) is root-only in the user's
 * private area (<cache_dir>/.private/<user>/device.json): its holder can
 * skip the user's second factor, so the user never reads it. Registering a
 * device is ConfirmDevice with a verifier of a fresh random password
 * (lib/login/srp.c), then UpdateDeviceStatus when the pool lets users opt in
 * and the person says yes.
 */
#ifndef PAM_COGNITO_DEVICE_H
#define PAM_COGNITO_DEVICE_H

#include <stddef.h>

#include "base/error.h"
#include "base/status.h"
#include "net/api.h"

struct pc_device {
  char *pool_id;   /* the user pool the device belongs to */
  char *username;  /* the user's Cognito user name */
  char *key;       /* DeviceKey */
  char *group_key; /* DeviceGroupKey */
  char *password;  /* the device secret: wiped */
  int mfa;         /* the login that confirmed it asked for a second factor */
};

void pc_device_free(struct pc_device *d); /* wipes; safe when zeroed */

/* The record of local user for pool_id: PC_OK loaded, PC_ABSENT none (or
 * another pool's), else refused or unreadable (why says so); d zeroed
 * unless PC_OK. Saving: PC_OK, or the failure with why set. */
enum pc_status pc_device_load(const char *base, const char *user,
                              const char *pool_id, struct pc_device *d,
                              struct pc_error *why)
    __attribute__((warn_unused_result));
enum pc_status pc_device_save(const char *base, const char *user,
                              const struct pc_device *d, struct pc_error *why)
    __attribute__((warn_unused_result));
/* Drop the record (Cognito forgot the device). */
void pc_device_drop(const char *base, const char *user);

/* The record's document and its parser (tests): a string for
 * pc_buf_string_free, or NULL; 0 or -1. */
char *pc_device_json(const struct pc_device *d);
int pc_device_parse(const char *json, size_t len, struct pc_device *d)
    __attribute__((warn_unused_result));

/* Register the device a login announced (NewDeviceMetadata key and group
 * key) for username with the login's access token: a fresh secret,
 * ConfirmDevice named name. When Cognito answers UserConfirmationNecessary
 * (a pool where users opt in) the person is asked through p whether to
 * remember this computer; yes is UpdateDeviceStatus "remembered", anything
 * else (no answer, a conversation that cannot answer, p NULL or quiet)
 * leaves the device confirmed and not remembered. On PC_OK d holds the
 * record (pool_id left for the caller). */
struct pc_prompter;
enum pc_status pc_device_confirm(struct pc_client *cl, const char *access_token,
                                 const char *key, const char *group_key,
                                 const char *username, const char *name,
                                 const struct pc_prompter *p,
                                 struct pc_device *d, struct pc_error *err)
    __attribute__((warn_unused_result));

/* The device secret's verifier config: base64 salt and verifier for
 * ConfirmDevice, from a fresh random salt (heap strings). */
enum pc_status pc_device_verifier(const char *group_key, const char *key,
                                  const char *password, char **salt_b64,
                                  char **verifier_b64)
    __attribute__((warn_unused_result));

#endif
