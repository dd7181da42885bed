/* SPDX-License-Identifier: MIT */
/* pam_cognito.conf: libconfig syntax, one struct, one setter per key that the
 * file and the module arguments both go through (arguments win). */
#ifndef PAM_COGNITO_CFG_H
#define PAM_COGNITO_CFG_H

#include <stddef.h>

#include "base/error.h"
#include "base/status.h"
#include "config/authflow.h" /* enum pc_auth_flow */

/* first_factors: the first factors USER_AUTH may use on this host. */
enum pc_factor {
  PC_FACTOR_PASSWORD_SRP = 1u << 0,
  PC_FACTOR_PASSWORD = 1u << 1,
  PC_FACTOR_EMAIL_OTP = 1u << 2,
  PC_FACTOR_SMS_OTP = 1u << 3,
  PC_FACTOR_WEB_AUTHN = 1u << 4 /* a passkey on an attached security key */
};
#define PC_FACTORS_PASSWORD (PC_FACTOR_PASSWORD_SRP | PC_FACTOR_PASSWORD)
#define PC_FACTORS_CODE (PC_FACTOR_EMAIL_OTP | PC_FACTOR_SMS_OTP)

struct pc_config {
  char *region;        /* required */
  char *user_pool_id;  /* required, "<region>_<id>" */
  char *client_id;     /* required */
  char *client_secret; /* optional; a secret: wiped on free */
  enum pc_auth_flow auth_flow;
  unsigned first_factors;  /* enum pc_factor bits; PASSWORD_SRP by default */
  char *identity_pool_id;  /* optional; enables AWS credentials */
  char *role_arn;          /* optional CustomRoleArn */
  char *idp_endpoint;      /* optional base URL; default regional AWS host */
  char *identity_endpoint; /* optional base URL; default regional AWS host */
  char *issuer_endpoint;   /* optional base URL of the updated issuer's host,
                              where its JWKS is; default
                              https://issuer-cognito-idp.<region>.<suffix>/ */
  long timeout;            /* seconds per HTTP call, 1..300, default 10 */
  long login_timeout; /* seconds of network time per pam_sm_* call, 1..3600,
                         default 30 */
  char *ca_file;      /* optional CA bundle */
  char *cache_dir;    /* default PC_DEFAULT_CACHE_DIR */
  int credentials_required; /* 1: a failed credential fetch fails the session */
  long max_attempts; /* tries for a new password or code, 1..10, default 3 */

  /* Who may log in (auth and account stages). */
  long min_uid;          /* below: never Cognito's (PAM_IGNORE); 1000 */
  long max_uid;          /* above: never Cognito's; LONG_MAX: no limit */
  char **allowed_users;  /* NULL-terminated list, or NULL: no user rule */
  char **allowed_groups; /* NULL-terminated list, or NULL: no group rule */
  char *login_claim;     /* verified ID-token claim bound to the sign-in
                            name; default "cognito:username" */
  char *username_suffix; /* local name + suffix = Cognito sign-in name */
  int account_required;  /* account stage: deny users never seen */
  long account_grace;    /* seconds a verified decision holds offline */
  /* The admin states that no app client can write login_claim's attribute
   * (required for any claim a user can change); default 0. */
  int login_claim_trusted;

  /* Offline login (0 days = off). */
  long offline_days;     /* days after the last online login, 0..3650 */
  long offline_failures; /* wrong offline passwords before the lockout */
  long offline_lockout;  /* seconds the lockout lasts */
  int offline_mfa;       /* users with a second factor may log in offline */
  /* Remembered devices and logout (lib/login/device.c,
   * lib/admit/logout_revoke.c). */
  int remember_device;  /* this host becomes a Cognito device; default 1 */
  char *device_name;    /* DeviceName at ConfirmDevice; NULL: host name */
  int revoke_on_logout; /* RevokeToken at the user's last session close */
  /* Flows at the prompt. */
  int password_reset; /* PasswordResetRequired: reset with a code; default 1 */
  int mfa_setup;      /* MFA_SETUP: enrol a TOTP app or email; default 1 */
  char *totp_issuer;  /* the otpauth issuer the app shows; NULL: the pool id */
  /* pam_cognito-sync: accounts for libnss-extrausers. */
  char **nss_groups;     /* Cognito groups to sync; NULL: allowed_groups */
  char *nss_dir;         /* where passwd/group/shadow go; /var/lib/extrausers */
  long uid_min, uid_max; /* hashed uids and gids; 200000..299999 */
  char *uid_attribute;   /* user attribute holding the uid, or NULL */
  char *home_base;       /* home = home_base/<name>; /home */
  char *default_shell;   /* /bin/bash */
  char *imds_endpoint;   /* instance metadata base URL; NULL: AWS IMDS */
  /* pam_cognito-sync: fleet access (pam_cognito-sync(8)). */
  char *ssh_keys_attribute; /* attribute holding SSH public keys, or NULL */
  char **sudo_rules;   /* "group=rule body" (config/fleetmaps.h), or NULL */
  char **local_groups; /* "group=name,name" (config/fleetmaps.h), or NULL */
  int end_sessions;    /* end the sessions of users no longer admitted */
  /* pam_cognito-sync: the signed snapshot (pam_cognito-sync(8)). */
  char *snapshot_url;        /* s3:// or https:// object hosts read, or NULL */
  char *snapshot_public_key; /* PEM Ed25519 public key; with snapshot_url */
  long snapshot_max_age;     /* oldest snapshot applied, seconds; 86400 */
  /* What the pool's threat protection and triggers see (usercontext.h). */
  int send_user_context;  /* UserContextData.IpAddress from PAM_RHOST; 1 */
  char **client_metadata; /* "key=value" list for ClientMetadata, or NULL */
  /* Endpoints (endpoint.h). */
  int use_fips;      /* cognito-idp-fips / cognito-identity-fips hosts */
  char *https_proxy; /* forward proxy URL; the environment's is ignored */
  /* How AWS credentials are had (lib/aws/). */
  char *identity_flow; /* "enhanced" (NULL: the default) or "basic" */
  char *sts_endpoint;  /* STS base URL for the basic flow; NULL: regional */
};

/* Set every field to its default (strings NULL except cache_dir). Returns -1
 * only when memory runs out. */
int pc_config_init(struct pc_config *c) __attribute__((warn_unused_result));

/* Set one key from its text form. PC_OK, or PC_ERR_CONFIG with a message in
 * err (naming the key and the problem) on an unknown key or invalid value. A
 * string key with a format (cfg.c's key table) is checked here, so a bad
 * value fails where it is set: the file's line, or the module argument. */
enum pc_status pc_config_set(struct pc_config *c, const char *key,
                             const char *value, struct pc_error *err)
    __attribute__((warn_unused_result));

/* Load the file at path over the current values. The file is opened without
 * following symlinks and must be a regular file no larger than 64 KiB, not
 * writable by group or others, not readable by others (it may hold the client
 * secret), and owned by root unless allow_any_owner is set (tests).
 * PC_OK; PC_ERR_CONFIG with "FILE:LINE: problem" or "FILE: problem" in err.
 * When the file does not exist and must_exist is 0, PC_ABSENT (nothing
 * loaded). */
enum pc_status pc_config_load(struct pc_config *c, const char *path,
                              int must_exist, int allow_any_owner,
                              struct pc_error *err)
    __attribute__((warn_unused_result));

/* Check that the required keys are present and consistent (region matches
 * the pool id prefix, endpoints are https:// or loopback http://).
 * PC_OK, or PC_ERR_CONFIG with a message in err. */
enum pc_status pc_config_validate(const struct pc_config *c,
                                  struct pc_error *err)
    __attribute__((warn_unused_result));

/* The Cognito sign-in name of local user: user + username_suffix, as a heap
 * string, or NULL (no memory, or longer than 128 bytes). */
char *pc_config_signin_name(const struct pc_config *c, const char *user);

/* 1 when name is in the NULL-terminated list (exact match), else 0. */
int pc_config_list_has(char *const *list, const char *name);

/* Free every string (wiping the client secret) and reset to zeros. */
void pc_config_free(struct pc_config *c);

/* The user-pool and identity-pool base URLs: the override, or the regional
 * AWS host. Returns a heap string or NULL (no memory). */
char *pc_config_idp_url(const struct pc_config *c);
char *pc_config_identity_url(const struct pc_config *c);
/* The STS base URL (sts_endpoint, else the region's STS host, its FIPS host
 * with use_fips), heap string or NULL. */
char *pc_config_sts_url(const struct pc_config *c);
/* 1 when identity_flow is "basic" (GetOpenIdToken, then STS
 * AssumeRoleWithWebIdentity), 0 for the enhanced flow. */
int pc_config_basic_flow(const struct pc_config *c);

/* The base URL of the updated issuer's host (issuer_endpoint, or
 * "https://issuer-cognito-idp.<region>.<suffix>/"): its JWKS is at
 * <base>/<user_pool_id>/.well-known/jwks.json. A heap string or NULL. */
char *pc_config_issuer_url(const struct pc_config *c);

/* Part of the pool id after '_' ("us-east-1_AbC123" -> "AbC123"). */
const char *pc_config_pool_name(const struct pc_config *c);

#endif
