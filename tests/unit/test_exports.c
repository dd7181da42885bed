/* SPDX-License-Identifier: MIT */
/* The built module loads with every symbol resolved (RTLD_NOW: a missing
 * library would fail here, not inside sshd) and exports only pam_sm_*. */
#include "config.h"

#include <dlfcn.h>
#include <stdlib.h>

#include "tap.h"

int main(void) {
  static const char *const entry[] = {
      "pam_sm_authenticate", "pam_sm_setcred",       "pam_sm_chauthtok",
      "pam_sm_open_session", "pam_sm_close_session", "pam_sm_acct_mgmt"};
  static const char *const internal[] = {
      "pc_login",        "pc_srp_new",     "pc_config_load", "pc_http_post",
      "pc_authenticate", "pc_module_init", "pc_cache_open"};
  const char *path = getenv("PAM_COGNITO_MODULE");
  void *h;
  size_t i;

  ok(path != NULL, "PAM_COGNITO_MODULE names the built module");
  if (!path)
    return tap_done();
  h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  ok(h != NULL, "dlopen(RTLD_NOW) %s: %s", path, h ? "ok" : dlerror());
  if (!h)
    return tap_done();
  for (i = 0; i < sizeof(entry) / sizeof(entry[0]); i++)
    ok(dlsym(h, entry[i]) != NULL, "%s is exported", entry[i]);
  for (i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
    ok(dlsym(h, internal[i]) == NULL, "%s is not exported", internal[i]);
  dlclose(h);
  return tap_done();
}
