/* SPDX-License-Identifier: MIT */
/* The IAM role of a session's AWS credentials; see role.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "aws/role.h"
#include "base/secret.h"
#include "tokens/jwt.h"

#define ROLE_MARK "AWS role: "

/* The token's cognito:roles: a JSON array of strings (as Cognito sends it)
 * or one comma-separated string (as the developer guide describes it);
 * NULL when absent or of another shape. */
static json_object *roles_claim(json_object *claims) {
  json_object *v = NULL;

  if (!json_object_object_get_ex(claims, "cognito:roles", &v))
    return NULL;
  return json_object_is_type(v, json_type_array) ||
                 json_object_is_type(v, json_type_string)
             ? v
             : NULL;
}

/* 1 when role is one of the roles the claim lists. */
static int listed(json_object *roles, const char *role) {
  size_t i, n, len = strlen(role);
  const char *s, *p;

  if (json_object_is_type(roles, json_type_string)) {
    for (s = json_object_get_string(roles); s != NULL && *s; s = p) {
      p = strchr(s, ',');
      n = p ? (size_t)(p - s) : strlen(s);
      while (n > 0 && *s == ' ')
        s++, n--;
      if (n == len && strncmp(s, role, len) == 0)
        return 1;
      p = p ? p + 1 : NULL;
    }
    return 0;
  }
  n = json_object_array_length(roles);
  for (i = 0; i < n; i++) {
    json_object *e = json_object_array_get_idx(roles, i);
    if (json_object_is_type(e, json_type_string) &&
        strcmp(json_object_get_string(e), role) == 0)
      return 1;
  }
  return 0;
}

/* The claim's roles as text for a log line ("a, b"), cut to fit. */
static void roles_text(json_object *roles, char *out, size_t n) {
  char raw[512];
  size_t i, k;
  int used = 0;

  raw[0] = '\0';
  if (json_object_is_type(roles, json_type_string)) {
    pc_sanitize(out, n, json_object_get_string(roles));
    return;
  }
  k = json_object_array_length(roles);
  for (i = 0; i < k && used >= 0 && (size_t)used < sizeof raw; i++) {
    const char *s = json_object_get_string(json_object_array_get_idx(roles, i));
    used += snprintf(raw + used, sizeof raw - (size_t)used, "%s%s",
                     i ? ", " : "", s ? s : "?");
  }
  pc_sanitize(out, n, raw);
}

static size_t roles_count(json_object *roles) {
  const char *s;
  size_t n = 1;

  if (roles == NULL)
    return 0;
  if (!json_object_is_type(roles, json_type_string))
    return json_object_array_length(roles);
  for (s = json_object_get_string(roles); (s = strchr(s, ',')) != NULL; s++)
    n++;
  return n;
}

/* A role refusal: words for syslog (detail) and for the person. */
static enum pc_status refuse(struct pc_error *err, const char *person,
                             const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum pc_status refuse(struct pc_error *err, const char *person,
                             const char *fmt, ...) {
  char detail[sizeof(err->detail)];
  va_list ap;

  va_start(ap, fmt);
  (void)vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  (void)pc_error_set(err, PC_ERR_DENIED, ROLE_MARK "%s", detail);
  (void)snprintf(err->message, sizeof err->message, "%s", person);
  return PC_ERR_DENIED;
}

enum pc_status pc_role_choose(const struct pc_config *cfg, json_object *claims,
                              int basic, char **role, struct pc_error *err) {
  json_object *roles;
  const char *preferred, *want;
  char list[512];
  enum pc_status st = PC_OK;

  *role = NULL;
  pc_error_clear(err);
  roles = roles_claim(claims);
  preferred = pc_jwt_str(claims, "cognito:preferred_role");
  want = cfg->role_arn != NULL ? cfg->role_arn : preferred;
  if (cfg->role_arn != NULL && roles != NULL && !listed(roles, cfg->role_arn)) {
    roles_text(roles, list, sizeof list);
    st = refuse(err,
                "No AWS credentials for this session: the AWS role this "
                "computer asks for is not one of your roles. Ask your "
                "administrator.",
                "role_arn %s is not one of the user's roles in the ID "
                "token's cognito:roles (%s): the identity pool would refuse "
                "it; set role_arn to one of them, or leave it unset for "
                "cognito:preferred_role",
                cfg->role_arn, list);
  } else if (want == NULL && basic) {
    st = refuse(err,
                "No AWS credentials for this session: no AWS role to ask "
                "for. Ask your administrator.",
                "identity_flow \"basic\" needs a role: set role_arn, or give "
                "the user's groups IAM roles with one best precedence "
                "(cognito:preferred_role)");
  } else if (want != NULL && (*role = pc_strdup(want)) == NULL) {
    st = pc_error_set(err, PC_ERR_NOMEM, "AWS role: out of memory");
  }
  return st;
}

enum pc_status pc_role_explain_refusal(const struct pc_config *cfg,
                                       json_object *claims,
                                       struct pc_error *err) {
  json_object *roles;
  char list[512], why[640];
  size_t n;

  if (err == NULL || strcmp(err->type, "NotAuthorizedException") != 0 ||
      strstr(err->message, "mbiguous role mapping") == NULL)
    return PC_OK;
  roles = roles_claim(claims);
  n = roles_count(roles);
  list[0] = '\0';
  if (roles != NULL)
    roles_text(roles, list, sizeof list);
  (void)snprintf(why, sizeof why, "%zu role%s in cognito:roles%s%s%s", n,
                 n == 1 ? "" : "s", n ? " (" : "", list, n ? ")" : "");
  (void)pc_error_set(
      err, PC_ERR_DENIED,
      ROLE_MARK "the identity pool's role mapping could not choose a role "
                "and its AmbiguousRoleResolution is Deny (%s: %s): the ID "
                "token has %s and no cognito:preferred_role%s; set role_arn "
                "to one of the user's roles, give one of the user's groups "
                "the best precedence, or set AmbiguousRoleResolution to "
                "AuthenticatedRole",
      err->type, err->message, why,
      cfg->role_arn ? "" : " (role_arn is not set)");
  (void)snprintf(err->message, sizeof err->message, "%s",
                 "No AWS credentials for this session: you have several AWS "
                 "roles and none is preferred, and the identity pool does "
                 "not choose one. Ask your administrator.");
  return PC_ERR_DENIED;
}

int pc_role_refused(const struct pc_error *err) {
  return err != NULL && err->status == PC_ERR_DENIED &&
         strncmp(err->detail, ROLE_MARK, sizeof ROLE_MARK - 1) == 0;
}
