/* The session stages: AWS credentials from the identity pool. */
#include "config.h"

#include "session.h"

int pc_session_after_auth(struct pc_module *m, const char *user,
                          struct pc_client *cl, const struct pc_tokens *t) {
  (void)user;
  (void)cl;
  (void)t;
  if (!m->cfg.identity_pool_id)
    pc_debug(m, "no identity_pool_id configured: no AWS credentials");
  return PAM_SUCCESS;
}

int pc_setcred(struct pc_module *m) {
  (void)m;
  return PAM_SUCCESS;
}

int pc_open_session(struct pc_module *m) {
  (void)m;
  return PAM_SUCCESS;
}
