/* SPDX-License-Identifier: MIT */
/* The setup every stage shares: module arguments over the configuration
 * file (any key as key=value; arguments win), the checked user name, and
 * the HTTP client. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "admit/localuser.h"
#include "net/api.h"
#include "net/http.h"
#include "store/cachedir.h"
#include "logname.h"
#include "module.h"
#include "result.h"
#include "base/secret.h"
#include "config/uidrule.h"

#ifndef PC_DEFAULT_CONFIG
#define PC_DEFAULT_CONFIG "/etc/security/pam_cognito.conf"
#endif

/* use_first_pass and try_first_pass are accepted for stacks written for
 * other modules; pam_get_authtok already uses a stacked password. */
#define IGNORED ((size_t)-1)

static const struct {
  const char *name;
  size_t offset;
} flag_args[] = {
    {"debug", offsetof(struct pc_module, debug)},
    {"use_first_pass", IGNORED},
    {"try_first_pass", IGNORED},
    {"use_authtok", offsetof(struct pc_module, use_authtok)},
};

#define CONFIG_ARG "config="

static int set_flag(struct pc_module *m, const char *arg) {
  size_t i;

  for (i = 0; i < sizeof(flag_args) / sizeof(flag_args[0]); i++) {
    if (strcmp(arg, flag_args[i].name) == 0) {
      if (flag_args[i].offset != IGNORED)
        *(int *)((char *)m + flag_args[i].offset) = 1;
      return 1;
    }
  }
  return 0;
}

int pc_module_init(struct pc_module *m, pam_handle_t *pamh, int flags, int argc,
                   const char **argv) {
  struct pc_error err;
  int i, rc;

  memset(m, 0, sizeof(*m));
  pc_fdguard_begin(&m->fds);
  m->pamh = pamh;
  m->flags = flags;
  m->config_path = PC_DEFAULT_CONFIG;
  if (pc_config_init(&m->cfg) != 0)
    return PAM_BUF_ERR;

  /* Flags and config= first: the file must load before the overrides. */
  for (i = 0; i < argc; i++) {
    if (strncmp(argv[i], CONFIG_ARG, sizeof(CONFIG_ARG) - 1) == 0)
      m->config_path = argv[i] + sizeof(CONFIG_ARG) - 1;
    else
      set_flag(m, argv[i]);
  }
  /* The file is required: the pool and client are not optional. */
  rc = pc_config_load(&m->cfg, m->config_path, 1, 0, &err);
  if (rc != 0) {
    pam_syslog(pamh, LOG_ERR, "configuration: %s", err.detail);
    return PAM_SERVICE_ERR;
  }
  for (i = 0; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    char key[64];

    if (strncmp(argv[i], CONFIG_ARG, sizeof(CONFIG_ARG) - 1) == 0 ||
        set_flag(m, argv[i]))
      continue;
    /* A bare boolean key ("credentials_required") means true. */
    if (!eq && pc_config_set(&m->cfg, argv[i], NULL, &err) == 0)
      continue;
    if (!eq || (size_t)(eq - argv[i]) >= sizeof(key)) {
      pam_syslog(pamh, LOG_ERR, "unknown module argument '%s'", argv[i]);
      return PAM_SERVICE_ERR;
    }
    memcpy(key, argv[i], (size_t)(eq - argv[i]));
    key[eq - argv[i]] = '\0';
    /* /etc/pam.d is world-readable: the secret stays in the 0600 file. */
    if (strcmp(key, "client_secret") == 0) {
      pam_syslog(pamh, LOG_ERR,
                 "client_secret is not accepted as a module "
                 "argument; put it in %s",
                 m->config_path);
      return PAM_SERVICE_ERR;
    }
    if (pc_config_set(&m->cfg, key, eq + 1, &err) != 0) {
      pam_syslog(pamh, LOG_ERR, "module argument: %s", err.detail);
      return PAM_SERVICE_ERR;
    }
  }
  if (pc_config_validate(&m->cfg, &err) != 0) {
    pam_syslog(pamh, LOG_ERR, "configuration %s: %s", m->config_path,
               err.detail);
    return PAM_SERVICE_ERR;
  }
  m->net_left_ms = m->cfg.login_timeout * 1000L;
  /* Before any stage reads a cache: a deleted account's area goes even
   * when this call is for someone else (lib/store/owner_record.h). */
  (void)pc_cache_sweep(m->cfg.cache_dir);
  return PAM_SUCCESS;
}

void pc_module_free(struct pc_module *m) {
  pc_fdguard_end(&m->fds);
  pc_config_free(&m->cfg);
  pc_wipe(m, sizeof(*m));
}

void pc_module_conv_begin(struct pc_module *m) {
  pc_fdguard_seal(&m->fds);
}

void pc_module_conv_end(struct pc_module *m) {
  pc_fdguard_rebase(&m->fds);
}

int pc_module_user(struct pc_module *m, const char **user) {
  const char *u = NULL;
  size_t i;
  int rc = pam_get_user(m->pamh, &u, NULL);

  if (rc != PAM_SUCCESS) {
    pam_syslog(m->pamh, LOG_NOTICE, "cannot determine the user name: %s",
               pam_strerror(m->pamh, rc));
    return rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : rc;
  }
  if (!u || !*u || *u == '-' || *u == '+' || strlen(u) > 128) {
    pam_syslog(m->pamh, LOG_NOTICE, "refusing an invalid user name");
    return PAM_USER_UNKNOWN;
  }
  for (i = 0; u[i]; i++) {
    if ((unsigned char)u[i] < 0x20 || u[i] == 0x7f) {
      pam_syslog(m->pamh, LOG_NOTICE,
                 "refusing a user name with control "
                 "characters");
      return PAM_USER_UNKNOWN;
    }
  }
  *user = u;
  return PAM_SUCCESS;
}

int pc_module_screen(struct pc_module *m) {
  const char *user = NULL, *why;
  int rc = pc_module_user(m, &user);

  if (rc != PAM_SUCCESS)
    return rc;
  rc = pc_local_user(user, &m->uid, &m->gid);
  if (rc < 0) {
    pam_syslog(m->pamh, LOG_ERR, "cannot look up the local account of %s",
               pc_log_user(m, user));
    return PAM_SYSTEM_ERR;
  }
  m->has_local = rc == 0;
  why = m->has_local ? pc_uid_not_cognitos(&m->cfg, (long long)m->uid) : NULL;
  if (why != NULL) {
    pc_debug(m, "user=%s uid=%lu is %s: not Cognito's", pc_log_user(m, user),
             (unsigned long)m->uid, why);
    return PAM_IGNORE;
  }
  return PAM_SUCCESS;
}

#define POOL_DATA "pam_cognito_http_pool"

static void pool_cleanup(pam_handle_t *pamh, void *data, int status) {
  (void)pamh;
  (void)status;
  pc_http_pool_free(data);
}

struct pc_http_pool *pc_module_pool(struct pc_module *m) {
  const void *d = NULL;
  struct pc_http_pool *p;

  if (pam_get_data(m->pamh, POOL_DATA, &d) == PAM_SUCCESS && d != NULL)
    return (struct pc_http_pool *)(uintptr_t)d;
  if (pc_http_unsafe_environment() != NULL || !(p = pc_http_pool_new()))
    return NULL;
  if (pam_set_data(m->pamh, POOL_DATA, p, pool_cleanup) != PAM_SUCCESS) {
    pc_http_pool_free(p);
    return NULL;
  }
  return p;
}

void pc_module_charge(struct pc_module *m, long ms) {
  if (ms > 0)
    m->net_left_ms = m->net_left_ms > ms ? m->net_left_ms - ms : 0;
}

int pc_module_client(struct pc_module *m, struct pc_client *cl) {
  const char *unsafe = pc_http_unsafe_environment();
  enum pc_status st;

  if (unsafe != NULL) {
    pam_syslog(m->pamh, LOG_ERR, "refusing to start the HTTP client: %s",
               unsafe);
    return PAM_SERVICE_ERR;
  }
  st = pc_client_init(cl, &m->cfg, NULL);
  if (st != PC_OK) {
    pam_syslog(m->pamh, LOG_ERR, "cannot set up the HTTP client: %s",
               pc_status_str(st));
    return pc_pam_result(st);
  }
  /* Without the pool the client still works, on connections of its own. */
  (void)pc_http_use_pool(cl->http, pc_module_pool(m));
  /* Every client of this call draws on one login_timeout. */
  pc_http_share_budget(cl->http, &m->net_left_ms);
  return PAM_SUCCESS;
}

/* ---- names in log lines (logname.h) ---- */

const char *pc_log_user(struct pc_module *m, const char *user) {
  if (!m->has_local && !m->name_verified)
    return "(unverified)";
  pc_log_escape(m->log_user, sizeof(m->log_user), user, 1);
  return m->log_user;
}

const char *pc_log_rhost(struct pc_module *m) {
  const void *rhost = NULL;

  if (pam_get_item(m->pamh, PAM_RHOST, &rhost) != PAM_SUCCESS)
    rhost = NULL;
  pc_log_escape(m->log_rhost, sizeof(m->log_rhost), rhost, 0);
  return m->log_rhost;
}
