/* SPDX-License-Identifier: MIT */
/* Who the AWS_* variables in the PAM environment belong to; see
 * envowner.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <security/pam_ext.h>

#include "envowner.h"

/* Every variable session.c sets, the marker last. */
static const char *const owned[] = {
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
    "AWS_REGION",        "AWS_DEFAULT_REGION",
    PC_ENV_OWNER};

int pc_envowner_set(pam_handle_t *pamh, const char *user) {
  size_t n = sizeof(PC_ENV_OWNER "=") + strlen(user);
  char *s = malloc(n);
  int rc;

  if (s == NULL)
    return PAM_BUF_ERR;
  (void)snprintf(s, n, "%s=%s", PC_ENV_OWNER, user);
  rc = pam_putenv(pamh, s);
  free(s);
  return rc;
}

int pc_envowner_is(pam_handle_t *pamh, const char *user) {
  const char *owner = pam_getenv(pamh, PC_ENV_OWNER);

  return owner != NULL && user != NULL && strcmp(owner, user) == 0;
}

void pc_envowner_drop(pam_handle_t *pamh) {
  size_t i;

  if (pam_getenv(pamh, PC_ENV_OWNER) == NULL)
    return;
  /* pam_putenv("NAME") without '=' deletes NAME; libpam wipes nothing, but
   * the values are gone from the handle and from every later getenvlist. */
  for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
    if (pam_getenv(pamh, owned[i]) != NULL)
      (void)pam_putenv(pamh, owned[i]);
}

void pc_envowner_enforce(pam_handle_t *pamh) {
  const char *owner = pam_getenv(pamh, PC_ENV_OWNER);
  const void *item = NULL;
  const char *user;

  if (owner == NULL)
    return;
  /* The item, not pam_get_user: no prompt from a session stage. */
  if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS)
    item = NULL;
  user = item;
  if (user != NULL && strcmp(owner, user) == 0)
    return;
  /* The owner's name was good enough for auth to set it; PAM_USER may be
   * anything the application set, so it is not logged. */
  pam_syslog(pamh, LOG_NOTICE,
             "AWS credentials in the environment belong to another user "
             "than PAM_USER: removed");
  pc_envowner_drop(pamh);
}
