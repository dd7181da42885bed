/* SPDX-License-Identifier: MIT */
/* pam_cognito.conf: the table of its 57 keys (the file and the module
 * arguments name the same keys), the one setter that parses and checks a
 * value of any key, the loader that opens the file safely and feeds each
 * setting to the setter, and pc_config_validate's checks across keys. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bounds.h"
#include "base/error.h"
#include "base/secret.h"
#include "config/authflow.h"
#include "config/cfg.h"
#include "config/endpoint.h"
#include "config/fleetmaps.h"
#include "config/metadata.h"
#include "config/reserved_uids.h"
#include "config/urlpolicy.h"

/* Every key is a short line; anything near this size is a mistake. */
#define PC_CONFIG_MAX_SIZE (64 * 1024)

enum key_kind {
  K_STR,
  K_LONG,
  K_BOOL,
  K_FLOW,
  K_FACTORS,
  K_LIST,
  K_MAP,
  K_SUDO,
  K_LOCAL
};

/* One row per key: the file loader and the module arguments both go through
 * pc_config_set, which finds the row by name. A string key with a format
 * names its checker (ok) and what the checker wants, for the message; the
 * check runs whenever the key is set. */
struct key_def {
  const char *name;
  enum key_kind kind;
  size_t offset;
  long min, max;            /* K_LONG only */
  int (*ok)(const char *s); /* K_STR only; NULL: checked elsewhere */
  const char *want;         /* with ok: "expected <want>" */
};

/* ---- Formats of the string keys (AWS API reference where AWS gets the
 * value) ---- */

/* UTF-8 lead bytes: how many continuation bytes follow, or -1. */
static int utf8_more(unsigned char c) {
  if (c < 0x80)
    return 0;
  if (c >= 0xc2 && c <= 0xdf)
    return 1;
  if ((c & 0xf0) == 0xe0)
    return 2;
  if (c >= 0xf0 && c <= 0xf4)
    return 3;
  return -1;
}

/* 1 when s is UTF-8 (lead and continuation bytes in place) of min..max
 * characters with no control character, and no blank unless blanks. */
static int text_ok(const char *s, long min, long max, int blanks) {
  const unsigned char *p = (const unsigned char *)s;
  long n = 0;
  int more;

  while (*p != '\0') {
    more = utf8_more(*p);
    if (more < 0 || *p < 0x20 || *p == 0x7f || (*p == ' ' && !blanks))
      return 0;
    if (p[0] == 0xc2 && p[1] < 0xa0) /* C1 controls */
      return 0;
    for (p++; more > 0; more--, p++)
      if ((*p & 0xc0) != 0x80)
        return 0;
    n++;
  }
  return n >= min && n <= max;
}

/* The regular expressions' \w: an ASCII letter, digit or '_'. */
static int is_word(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || ch == '_';
}

/* Length of s's prefix of \w characters and characters in extra. */
static size_t span_word(const char *s, const char *extra) {
  size_t n = 0;

  while (s[n] != '\0' &&
         (is_word((unsigned char)s[n]) || strchr(extra, s[n]) != NULL))
    n++;
  return n;
}

/* ClientSecret: [\w+]+, 1 to 64. */
static int client_secret_ok(const char *s) {
  size_t n = span_word(s, "+");

  return n >= 1 && n <= 64 && s[n] == '\0';
}

/* IdentityPoolId: [\w-]+:[0-9a-f-]+, 1 to 55. */
static int identity_pool_id_ok(const char *s) {
  size_t n = span_word(s, "-"), m;

  if (n == 0 || s[n] != ':' || strlen(s) > 55)
    return 0;
  m = strspn(s + n + 1, "0123456789abcdef-");
  return m > 0 && s[n + 1 + m] == '\0';
}

/* identity_flow: GetCredentialsForIdentity, or GetOpenIdToken + STS. */
static int identity_flow_ok(const char *s) {
  return strcmp(s, "enhanced") == 0 || strcmp(s, "basic") == 0;
}

/* CustomRoleArn (20 to 2048 characters) of an IAM role:
 * arn:<partition>:iam::<12 digits>:role/<path and name>, the name in
 * IAM's [\w+=,.@-]. */
static int role_arn_ok(const char *s) {
  size_t len = strlen(s), n;
  const char *p = s + 4;

  if (len < 20 || len > 2048 || strncmp(s, "arn:", 4) != 0)
    return 0;
  n = strspn(p, "abcdefghijklmnopqrstuvwxyz-");
  if (n == 0 || strncmp(p + n, ":iam::", 6) != 0)
    return 0;
  p += n + 6;
  n = strspn(p, "0123456789");
  if (n != 12 || strncmp(p + n, ":role/", 6) != 0)
    return 0;
  p += n + 6;
  n = span_word(p, "+=,.@/-");
  return n > 0 && p[n] == '\0' && p[n - 1] != '/';
}

/* A file libcurl opens whatever the working directory. */
static int abs_path_ok(const char *s) {
  return s[0] == '/' && text_ok(s, 1, PATH_MAX - 1, 1);
}

/* An ID-token claim name: Cognito's, custom:*, or one a pre token
 * generation trigger adds; never blanks or control characters. */
static int claim_name_ok(const char *s) {
  return text_ok(s, 1, 128, 0);
}

/* Username: letters, marks, symbols, numbers, punctuation, 1 to 128; the
 * local name takes at least one of them. */
static int username_suffix_ok(const char *s) {
  return text_ok(s, 1, 127, 0);
}

/* DeviceName at ConfirmDevice: 1 to 1024. */
static int device_name_ok(const char *s) {
  return text_ok(s, 1, 1024, 1);
}

/* custom:<name> (CustomAttributeNameType, 1 to 20 characters) or one of
 * the pool's standard attributes. */
static int uid_attribute_ok(const char *s) {
  static const char *const standard[] = {"address",
                                         "birthdate",
                                         "email",
                                         "family_name",
                                         "gender",
                                         "given_name",
                                         "locale",
                                         "middle_name",
                                         "name",
                                         "nickname",
                                         "phone_number",
                                         "picture",
                                         "preferred_username",
                                         "profile",
                                         "updated_at",
                                         "website",
                                         "zoneinfo"};
  size_t i;

  if (strncmp(s, "custom:", 7) == 0)
    return text_ok(s + 7, 1, 20, 0);
  for (i = 0; i < sizeof(standard) / sizeof(standard[0]); i++)
    if (strcmp(s, standard[i]) == 0)
      return 1;
  return 0;
}

/* The URL rule imds.c applies when it calls: plain http only to the
 * metadata service's link-local address or to loopback. */
static int imds_endpoint_ok(const char *s) {
  size_t len = strlen(s);

  while (len > 0 && s[len - 1] == '/')
    len--;
  return len <= PC_IMDS_URL_MAX && pc_metadata_url_allowed(s);
}

/* s3://bucket/key, or a URL the transport accepts (https://, or http://
 * to loopback for test stores). The key of s3:// is the object's name as it
 * is (a space, '+', '%' or UTF-8 included; the sync encodes it); a URL
 * writes a space as %20. No control character in either. */
static int snapshot_url_ok(const char *s) {
  const char *slash, *p;

  if (strlen(s) > 1024)
    return 0;
  for (p = s; *p != '\0'; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      return 0;
  if (strncmp(s, "s3://", 5) != 0)
    return strchr(s, ' ') == NULL && pc_url_allowed(s);
  slash = strchr(s + 5, '/');
  return slash != NULL && slash > s + 5 && slash[1] != '\0' &&
         memchr(s + 5, ' ', (size_t)(slash - (s + 5))) == NULL;
}

#define KEY(n, k) .name = #n, .kind = k, .offset = offsetof(struct pc_config, n)
#define STR_KEY(n)                                                             \
  { KEY(n, K_STR) }
#define FMT_KEY(n, check, what)                                                \
  { KEY(n, K_STR), .ok = check, .want = what }
#define LONG_KEY(n, lo, hi)                                                    \
  { KEY(n, K_LONG), .min = lo, .max = hi }
#define BOOL_KEY(n)                                                            \
  { KEY(n, K_BOOL) }
#define LIST_KEY(n)                                                            \
  { KEY(n, K_LIST) }

static const struct key_def keys[] = {
    STR_KEY(region),
    STR_KEY(user_pool_id),
    STR_KEY(client_id),
    FMT_KEY(client_secret, client_secret_ok,
            "an app client secret: 1 to 64 letters, digits, '_' or '+'"),
    {KEY(auth_flow, K_FLOW)},
    {KEY(first_factors, K_FACTORS)},
    FMT_KEY(identity_pool_id, identity_pool_id_ok,
            "an identity pool id like "
            "us-east-1:11111111-2222-3333-4444-555555555555"),
    FMT_KEY(role_arn, role_arn_ok,
            "an IAM role ARN like arn:aws:iam::123456789012:role/name"),
    STR_KEY(idp_endpoint),
    STR_KEY(identity_endpoint),
    STR_KEY(issuer_endpoint),
    LONG_KEY(timeout, 1, 300),
    LONG_KEY(login_timeout, 1, 3600),
    FMT_KEY(ca_file, abs_path_ok, "an absolute path"),
    STR_KEY(cache_dir),
    BOOL_KEY(credentials_required),
    LONG_KEY(max_attempts, 1, 10),
    LONG_KEY(min_uid, 0, 2147483647),
    LONG_KEY(max_uid, 0, 2147483647),
    LIST_KEY(allowed_users),
    LIST_KEY(allowed_groups),
    FMT_KEY(login_claim, claim_name_ok,
            "a claim name (1 to 128 characters, no blanks or control "
            "characters)"),
    BOOL_KEY(login_claim_trusted),
    FMT_KEY(username_suffix, username_suffix_ok,
            "1 to 127 characters a user name may hold (no blanks or control "
            "characters)"),
    BOOL_KEY(account_required),
    LONG_KEY(account_grace, 0, 31536000),
    LONG_KEY(offline_days, 0, 3650),
    LONG_KEY(offline_failures, 1, 100),
    LONG_KEY(offline_lockout, 0, 86400),
    BOOL_KEY(offline_mfa),
    BOOL_KEY(remember_device),
    FMT_KEY(device_name, device_name_ok,
            "1 to 1024 characters without control characters"),
    BOOL_KEY(revoke_on_logout),
    BOOL_KEY(password_reset),
    BOOL_KEY(mfa_setup),
    STR_KEY(totp_issuer),
    LIST_KEY(nss_groups),
    STR_KEY(nss_dir),
    LONG_KEY(uid_min, 1000, 2147483646),
    LONG_KEY(uid_max, 1000, 2147483646),
    FMT_KEY(uid_attribute, uid_attribute_ok,
            "custom:<name> (a name of 1 to 20 characters) or a standard "
            "attribute such as preferred_username"),
    STR_KEY(home_base),
    STR_KEY(default_shell),
    FMT_KEY(imds_endpoint, imds_endpoint_ok,
            "http://169.254.169.254, https://, or http:// to a loopback host "
            "(at most 200 characters)"),
    FMT_KEY(ssh_keys_attribute, uid_attribute_ok,
            "custom:<name> (a name of 1 to 20 characters) or a standard "
            "attribute"),
    {KEY(sudo_rules, K_SUDO)},
    {KEY(local_groups, K_LOCAL)},
    BOOL_KEY(end_sessions),
    FMT_KEY(snapshot_url, snapshot_url_ok,
            "s3://bucket/key, an https:// URL, or http:// to a loopback "
            "host (at most 1024 characters)"),
    FMT_KEY(snapshot_public_key, abs_path_ok, "an absolute path"),
    LONG_KEY(snapshot_max_age, 60, 31536000),
    BOOL_KEY(send_user_context),
    {KEY(client_metadata, K_MAP)},
    BOOL_KEY(use_fips),
    STR_KEY(https_proxy),
    FMT_KEY(identity_flow, identity_flow_ok, "\"enhanced\" or \"basic\""),
    STR_KEY(sts_endpoint),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))
_Static_assert(NKEYS == 57, "the opening comment counts the keys");

static const struct key_def *find_key(const char *name) {
  size_t i;

  for (i = 0; i < NKEYS; i++)
    if (strcmp(keys[i].name, name) == 0)
      return &keys[i];
  return NULL;
}

int pc_config_init(struct pc_config *c) {
  /* Every key not named here starts at zero: NULL, false, 0. */
  *c = (struct pc_config){
      .auth_flow = PC_FLOW_SRP,
      .first_factors = PC_FACTOR_PASSWORD_SRP,
      .timeout = 10,
      .login_timeout = 30,
      .max_attempts = 3,
      .credentials_required = 0,
      .min_uid = 1000,
      .max_uid = LONG_MAX,
      .account_grace = 86400,
      .offline_failures = 5,
      .offline_lockout = 300,
      .remember_device = 1,
      .password_reset = 1,
      .mfa_setup = 1,
      .cache_dir = pc_strdup(PC_DEFAULT_CACHE_DIR),
      .login_claim = pc_strdup("cognito:username"),
      .uid_min = 200000,
      .uid_max = 299999,
      .nss_dir = pc_strdup("/var/lib/extrausers"),
      .home_base = pc_strdup("/home"),
      .default_shell = pc_strdup("/bin/bash"),
      .send_user_context = 1,
      .snapshot_max_age = 86400,
  };
  return c->cache_dir == NULL || c->login_claim == NULL || c->nss_dir == NULL ||
                 c->home_base == NULL || c->default_shell == NULL
             ? -1
             : 0;
}

static void free_list(char ***lp) {
  char **l = *lp;
  size_t i;

  if (l == NULL)
    return;
  for (i = 0; l[i] != NULL; i++)
    free(l[i]);
  free(l);
  *lp = NULL;
}

/* Longest list entry and most entries: names and group names are short. */
#define PC_LIST_ITEM_MAX 128
#define PC_LIST_MAX 256

/* An entry of allowed_users / allowed_groups: printable, no blanks, no
 * commas (the module-argument separator). */
static int list_item_ok(const char *s, size_t len) {
  size_t i;

  if (len == 0 || len > PC_LIST_ITEM_MAX)
    return 0;
  for (i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];

    if (ch <= 0x20 || ch == 0x7f || ch == ',')
      return 0;
  }
  return 1;
}

/* "a,b,c" (the text form both the file loader and module arguments use) ->
 * a new NULL-terminated list. 0, or -1 with err set. */
static enum pc_status parse_list(const char *name, const char *value,
                                 char ***out, struct pc_error *err) {
  char **l;
  size_t n = 1, i = 0;
  const char *p, *q;

  for (p = value; *p != '\0'; p++)
    if (*p == ',')
      n++;
  if (n > PC_LIST_MAX) {
    return pc_error_set(err, PC_ERR_CONFIG, "%s: more than %d entries", name,
                        PC_LIST_MAX);
  }
  l = calloc(n + 1, sizeof(*l));
  if (l == NULL) {
    return pc_error_set(err, PC_ERR_CONFIG, "%s: out of memory", name);
  }
  for (p = value;; p = q + 1) {
    q = strchr(p, ',');
    if (q == NULL)
      q = p + strlen(p);
    if (!list_item_ok(p, (size_t)(q - p))) {
      pc_error_set(
          err, PC_ERR_CONFIG,
          "%s: entry %zu is empty, longer than %d characters, or holds "
          "blanks or control characters",
          name, i + 1, PC_LIST_ITEM_MAX);
      free_list(&l);
      return PC_ERR_CONFIG;
    }
    l[i] = strndup(p, (size_t)(q - p));
    if (l[i] == NULL) {
      pc_error_set(err, PC_ERR_CONFIG, "%s: out of memory", name);
      free_list(&l);
      return PC_ERR_CONFIG;
    }
    i++;
    if (*q == '\0')
      break;
  }
  *out = l;
  return PC_OK;
}

static int parse_long(const char *s, long min, long max, long *out) {
  char *end;
  long v;

  if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
    return -1;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

static int parse_bool(const char *s, int *out) {
  static const char *const yes[] = {"true", "yes", "on", "1"};
  static const char *const no[] = {"false", "no", "off", "0"};
  size_t i;

  /* A bare module argument ("credentials_required") means true. */
  if (s == NULL) {
    *out = 1;
    return 0;
  }
  for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
    if (strcasecmp(s, yes[i]) == 0) {
      *out = 1;
      return 0;
    }
    if (strcasecmp(s, no[i]) == 0) {
      *out = 0;
      return 0;
    }
  }
  return -1;
}

/* Each setter parses value into the field of key k at dst: 0, or -1 with
 * err set (naming the key, never echoing a string key's value). */
static enum pc_status set_str(const struct key_def *k, void *dst,
                              const char *value, struct pc_error *err) {
  char **sp = dst, *copy;

  if (*value == '\0') {
    return pc_error_set(err, PC_ERR_CONFIG, "%s: must not be empty", k->name);
  }
  if (k->ok != NULL && !k->ok(value)) {
    return pc_error_set(err, PC_ERR_CONFIG, "%s: expected %s", k->name,
                        k->want);
  }
  copy = pc_strdup(value);
  if (copy == NULL) {
    return pc_error_set(err, PC_ERR_CONFIG, "%s: out of memory", k->name);
  }
  /* Wipe whatever was there: it may be the client secret. */
  pc_free_secret(sp);
  *sp = copy;
  return PC_OK;
}

static enum pc_status set_long(const struct key_def *k, void *dst,
                               const char *value, struct pc_error *err) {
  long v;

  if (parse_long(value, k->min, k->max, &v) != 0) {
    return pc_error_set(err, PC_ERR_CONFIG,
                        "%s: expected an integer from %ld to %ld, got '%s'",
                        k->name, k->min, k->max, value);
  }
  *(long *)dst = v;
  return PC_OK;
}

static enum pc_status set_bool(const struct key_def *k, void *dst,
                               const char *value, struct pc_error *err) {
  int v;

  if (parse_bool(value, &v) != 0) {
    return pc_error_set(err, PC_ERR_CONFIG,
                        "%s: expected true or false, got '%s'", k->name, value);
  }
  *(int *)dst = v;
  return PC_OK;
}

static enum pc_status set_flow(const struct key_def *k, void *dst,
                               const char *value, struct pc_error *err) {
  enum pc_auth_flow f;

  if (pc_auth_flow_parse(value, &f) != 0) {
    return pc_error_set(
        err, PC_ERR_CONFIG,
        "%s: expected \"USER_SRP_AUTH\", \"USER_PASSWORD_AUTH\" "
        "or \"USER_AUTH\", got '%s'",
        k->name, value);
  }
  *(enum pc_auth_flow *)dst = f;
  return PC_OK;
}

/* first_factors ("PASSWORD_SRP,EMAIL_OTP"): each entry a first factor of
 * USER_AUTH this module can answer; the bits replace the old ones only when
 * all of it parsed. */
static enum pc_status set_factors(const struct key_def *k, void *dst,
                                  const char *value, struct pc_error *err) {
  static const struct {
    const char *name;
    unsigned bit;
  } names[] = {{"PASSWORD_SRP", PC_FACTOR_PASSWORD_SRP},
               {"PASSWORD", PC_FACTOR_PASSWORD},
               {"EMAIL_OTP", PC_FACTOR_EMAIL_OTP},
               {"SMS_OTP", PC_FACTOR_SMS_OTP},
#ifdef HAVE_FIDO2
               {"WEB_AUTHN", PC_FACTOR_WEB_AUTHN}
#endif
  };
  unsigned bits = 0;
  const char *p = value, *q;
  size_t i, len;

  for (;; p = q + 1) {
    q = strchr(p, ',');
    len = q ? (size_t)(q - p) : strlen(p);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
      if (strlen(names[i].name) == len && strncmp(names[i].name, p, len) == 0)
        break;
    if (i < sizeof(names) / sizeof(names[0])) {
      bits |= names[i].bit;
#ifndef HAVE_FIDO2
    } else if (len == 9 && strncmp(p, "WEB_AUTHN", 9) == 0) {
      return pc_error_set(err, PC_ERR_CONFIG,
                          "%s: WEB_AUTHN (passkeys): this build has no "
                          "FIDO2 support (configure --with-fido2); remove it",
                          k->name);
#endif
    } else {
      return pc_error_set(err, PC_ERR_CONFIG,
                          "%s: entry '%.*s': expected PASSWORD_SRP, PASSWORD, "
                          "EMAIL_OTP, SMS_OTP or WEB_AUTHN",
                          k->name, (int)(len > 64 ? 64 : len), p);
    }
    if (!q)
      break;
  }
  *(unsigned *)dst = bits;
  return PC_OK;
}

/* K_LIST ("a,b,c"), K_MAP (client_metadata's "key=value" lines), K_SUDO
 * and K_LOCAL ("group=value" lines, fleetmaps.h): the new list replaces
 * the old one only when all of it parsed. */
static enum pc_status set_list(const struct key_def *k, void *dst,
                               const char *value, struct pc_error *err) {
  char **l = NULL, ***lp = dst;
  enum pc_status st =
      k->kind == K_MAP     ? pc_metadata_parse(value, &l, err)
      : k->kind == K_SUDO  ? pc_fleet_map_parse(PC_FLEET_SUDO, value, &l, err)
      : k->kind == K_LOCAL ? pc_fleet_map_parse(PC_FLEET_GROUPS, value, &l, err)
                           : parse_list(k->name, value, &l, err);

  if (st != PC_OK)
    return st;
  free_list(lp);
  *lp = l;
  return PC_OK;
}

enum pc_status pc_config_set(struct pc_config *c, const char *key,
                             const char *value, struct pc_error *err) {
  const struct key_def *k = key ? find_key(key) : NULL;
  void *dst;

  if (k == NULL) {
    return pc_error_set(err, PC_ERR_CONFIG, "unknown key '%s'",
                        key ? key : "(null)");
  }
  if (value == NULL && k->kind != K_BOOL) {
    return pc_error_set(err, PC_ERR_CONFIG, "%s: a value is required", k->name);
  }
  dst = (char *)c + k->offset;
  switch (k->kind) {
  case K_STR:
    return set_str(k, dst, value, err);
  case K_LONG:
    return set_long(k, dst, value, err);
  case K_BOOL:
    return set_bool(k, dst, value, err);
  case K_FLOW:
    return set_flow(k, dst, value, err);
  case K_FACTORS:
    return set_factors(k, dst, value, err);
  case K_LIST:
  case K_MAP:
  case K_SUDO:
  case K_LOCAL:
    return set_list(k, dst, value, err);
  }
  return pc_error_set(err, PC_ERR_CONFIG, "%s: internal error", k->name);
}

/* Open without following symlinks and check what we got before any parser
 * sees it. O_NONBLOCK: a FIFO planted at the path must not hang sshd; it is
 * refused by the S_ISREG check below. */
static int open_safely(const char *path, int must_exist, int allow_any_owner,
                       struct pc_error *err, int *fdp) {
  struct stat st;
  int fd;

  fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int e = errno;

    if (e == ENOENT && !must_exist)
      return 1;
    if (e == ELOOP)
      pc_error_set(err, PC_ERR_CONFIG, "%s: is a symbolic link (refused)",
                   path);
    else
      pc_error_set(err, PC_ERR_CONFIG, "%s: cannot open: %s", path,
                   strerror(e));
    return -1;
  }
  if (fstat(fd, &st) != 0) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: cannot stat: %s", path,
                 strerror(errno));
    goto fail;
  }
  if (!S_ISREG(st.st_mode)) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: is not a regular file", path);
    goto fail;
  }
  if (st.st_size > PC_CONFIG_MAX_SIZE) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: is larger than %d bytes", path,
                 PC_CONFIG_MAX_SIZE);
    goto fail;
  }
  if (!allow_any_owner && st.st_uid != 0) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: is not owned by root (owner uid %lu); "
                 "chown root",
                 path, (unsigned long)st.st_uid);
    goto fail;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: is writable by group or others; chmod 0600", path);
    goto fail;
  }
  if ((st.st_mode & S_IROTH) != 0) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: is readable by others and may hold the client "
                 "secret; chmod 0600",
                 path);
    goto fail;
  }
  *fdp = fd;
  return 0;
fail:
  (void)close(fd);
  return -1;
}

/* Read the whole file into a NUL-terminated heap buffer of PC_CONFIG_MAX_SIZE
 * + 1 bytes; the caller wipes it (it holds the client secret). */
static int read_all(int fd, const char *path, char **out,
                    struct pc_error *err) {
  size_t cap = PC_CONFIG_MAX_SIZE + 1, len = 0;
  char *buf = malloc(cap + 1);

  if (buf == NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: out of memory", path);
    return -1;
  }
  /* Read one byte past the limit so a file that grew after fstat fails. */
  while (len < cap) {
    ssize_t n = read(fd, buf + len, cap - len);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      pc_error_set(err, PC_ERR_CONFIG, "%s: cannot read: %s", path,
                   strerror(errno));
      goto fail;
    }
    if (n == 0)
      break;
    len += (size_t)n;
  }
  if (len > PC_CONFIG_MAX_SIZE) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: is larger than %d bytes", path,
                 PC_CONFIG_MAX_SIZE);
    goto fail;
  }
  if (memchr(buf, '\0', len) != NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: contains a NUL byte", path);
    goto fail;
  }
  buf[len] = '\0';
  *out = buf;
  return 0;
fail:
  pc_wipe(buf, cap + 1);
  free(buf);
  return -1;
}

/* libconfig 1.5 cannot switch @include off, and an included file would skip
 * every check above: refuse the directive. */
static int find_include(const char *text) {
  const char *p = text;
  int line = 1;

  while (*p != '\0') {
    const char *q = p;

    while (*q == ' ' || *q == '\t')
      q++;
    if (strncmp(q, "@include", sizeof("@include") - 1) == 0)
      return line;
    p = strchr(p, '\n');
    if (p == NULL)
      break;
    p++;
    line++;
  }
  return 0;
}

/* Wipe every string value libconfig copied out of the file before it frees
 * them. */
static void wipe_settings(config_setting_t *s) {
  int i, n;

  if (s == NULL)
    return;
  if (config_setting_type(s) == CONFIG_TYPE_STRING) {
    const char *v = config_setting_get_string(s);

    if (v != NULL)
      pc_wipe((void *)(uintptr_t)v, strlen(v));
    return;
  }
  if (!config_setting_is_aggregate(s))
    return;
  n = config_setting_length(s);
  for (i = 0; i < n; i++)
    wipe_settings(config_setting_get_elem(s, (unsigned int)i));
}

/* Join a libconfig list or array of strings with commas into buf: 0, or -1
 * when an element is not a string, is empty or holds a comma, or buf is too
 * small. An empty list gives "" (refused later: say nothing instead). */
static int join_strings(config_setting_t *s, char *buf, size_t size) {
  int i, n = config_setting_length(s);
  size_t len = 0;

  buf[0] = '\0';
  for (i = 0; i < n; i++) {
    config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
    const char *v;
    size_t vl;

    if (e == NULL || config_setting_type(e) != CONFIG_TYPE_STRING)
      return -1;
    v = config_setting_get_string(e);
    vl = v ? strlen(v) : 0;
    if (vl == 0 || strchr(v, ',') != NULL || len + vl + 2 > size)
      return -1;
    if (len > 0)
      buf[len++] = ',';
    memcpy(buf + len, v, vl);
    len += vl;
    buf[len] = '\0';
  }
  return 0;
}

/* A libconfig group of strings as "key=value" lines (client_metadata's
 * text form): 0, or -1 when a member is not a string or buf is too small. */
static int join_pairs(config_setting_t *s, char *buf, size_t size) {
  int i, n = config_setting_length(s), w;
  size_t len = 0;

  buf[0] = '\0';
  for (i = 0; i < n; i++) {
    config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
    const char *v = e ? config_setting_get_string(e) : NULL;

    if (v == NULL || config_setting_name(e) == NULL)
      return -1;
    w = snprintf(buf + len, size - len, "%s=%s\n", config_setting_name(e), v);
    if (w < 0 || (size_t)w >= size - len)
      return -1;
    len += (size_t)w;
  }
  return 0;
}

/* A libconfig group of string lists as "key=a,b" lines (local_groups):
 * 0, or -1 when a member is not a list of strings or buf is too small. */
static int join_list_pairs(config_setting_t *s, char *buf, size_t size) {
  char inner[PC_LIST_MAX * (PC_LIST_ITEM_MAX + 1) + 1];
  int i, n = config_setting_length(s), w;
  size_t len = 0;

  buf[0] = '\0';
  for (i = 0; i < n; i++) {
    config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
    int t = e ? config_setting_type(e) : CONFIG_TYPE_NONE;

    if ((t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY) ||
        config_setting_name(e) == NULL ||
        join_strings(e, inner, sizeof(inner)) != 0)
      return -1;
    w = snprintf(buf + len, size - len, "%s=%s\n", config_setting_name(e),
                 inner);
    if (w < 0 || (size_t)w >= size - len)
      return -1;
    len += (size_t)w;
  }
  return 0;
}

/* Turn one libconfig value into the text form pc_config_set takes, after
 * checking that its type fits the key. */
static int apply_setting(struct pc_config *c, const char *path,
                         config_setting_t *s, struct pc_error *err) {
  const char *name = config_setting_name(s);
  unsigned line = config_setting_source_line(s);
  const struct key_def *k = name ? find_key(name) : NULL;
  int type = config_setting_type(s);
  char num[32], list[PC_LIST_MAX * (PC_LIST_ITEM_MAX + 1) + 1];
  struct pc_error set;
  const char *value = NULL, *want = NULL;

  if (k == NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s:%u: unknown key '%s'", path, line,
                 name ? name : "(unnamed)");
    return -1;
  }
  switch (k->kind) {
  case K_STR:
  case K_FLOW:
    if (type == CONFIG_TYPE_STRING)
      value = config_setting_get_string(s);
    else
      want = "a string";
    break;
  case K_LONG:
    if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64) {
      (void)snprintf(num, sizeof(num), "%lld", config_setting_get_int64(s));
      value = num;
    } else {
      want = "an integer";
    }
    break;
  case K_BOOL:
    if (type == CONFIG_TYPE_BOOL)
      value = config_setting_get_bool(s) ? "true" : "false";
    else
      want = "true or false";
    break;
  case K_LIST:
  case K_FACTORS:
    if (type != CONFIG_TYPE_LIST && type != CONFIG_TYPE_ARRAY)
      want = "a list of strings, like [\"admins\", \"devs\"]";
    else if (join_strings(s, list, sizeof(list)) != 0)
      want = "a list of non-empty strings without commas";
    else
      value = list;
    break;
  case K_MAP:
  case K_SUDO:
    if (type != CONFIG_TYPE_GROUP || join_pairs(s, list, sizeof(list)) != 0)
      want = k->kind == K_MAP
                 ? "a group of strings, like { source = \"%h\"; }"
                 : "a group of strings, like { ops = \"ALL=(ALL:ALL) ALL\"; }";
    else
      value = list;
    break;
  case K_LOCAL:
    if (type != CONFIG_TYPE_GROUP ||
        join_list_pairs(s, list, sizeof(list)) != 0)
      want = "a group of string lists, like { ops = [\"docker\"]; }";
    else
      value = list;
    break;
  }
  if (want != NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s:%u: %s: expected %s", path, line,
                 k->name, want);
    return -1;
  }
  if (value == NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s:%u: %s: cannot read the value", path,
                 line, k->name);
    return -1;
  }
  if (pc_config_set(c, k->name, value, &set) != 0) {
    pc_error_set(err, set.status, "%s:%u: %s", path, line, set.detail);
    return -1;
  }
  return 0;
}

enum pc_status pc_config_load(struct pc_config *c, const char *path,
                              int must_exist, int allow_any_owner,
                              struct pc_error *err) {
  config_t cf;
  config_setting_t *root;
  char *text = NULL;
  int fd = -1, rc, line, i, n;

  /* Every failure here is the file's (PC_ERR_CONFIG, err says what). */
  rc = open_safely(path, must_exist, allow_any_owner, err, &fd);
  if (rc != 0)
    return rc == 1 ? PC_ABSENT : PC_ERR_CONFIG;
  rc = read_all(fd, path, &text, err);
  (void)close(fd);
  if (rc != 0)
    return PC_ERR_CONFIG;
  line = find_include(text);
  if (line > 0) {
    pc_error_set(err, PC_ERR_CONFIG, "%s:%d: @include is not supported", path,
                 line);
    pc_wipe(text, PC_CONFIG_MAX_SIZE + 2);
    free(text);
    return PC_ERR_CONFIG;
  }

  config_init(&cf);
  rc = -1;
  if (config_read_string(&cf, text) != CONFIG_TRUE) {
    const char *what = config_error_text(&cf);

    pc_error_set(err, PC_ERR_CONFIG, "%s:%d: %s", path, config_error_line(&cf),
                 what ? what : "syntax error");
    goto out;
  }
  root = config_root_setting(&cf);
  n = root ? config_setting_length(root) : 0;
  for (i = 0; i < n; i++) {
    if (apply_setting(c, path, config_setting_get_elem(root, (unsigned)i),
                      err) != 0)
      goto out;
  }
  rc = 0;
out:
  wipe_settings(config_root_setting(&cf));
  config_destroy(&cf);
  pc_wipe(text, PC_CONFIG_MAX_SIZE + 2);
  free(text);
  return rc == 0 ? PC_OK : PC_ERR_CONFIG;
}

/* A region name of any partition (endpoint.c). */
static int region_ok(const char *s, size_t len) {
  return pc_endpoint_region_ok(s, len);
}

static int alnum_ok(const char *s) {
  if (*s == '\0')
    return 0;
  for (; *s != '\0'; s++)
    if (!isalnum((unsigned char)*s))
      return 0;
  return 1;
}

/* An otpauth issuer: "Issuer:account" is the app's label, so no ':'. */
static int issuer_ok(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (*s == ':' || (unsigned char)*s < 0x20 || *s == 0x7f)
      return 0;
  return 1;
}

/* Claims no user can change: the user name, the subject, and an address
 * or number that access.c takes only with its verified flag true. Any
 * other (preferred_username, nickname, name, custom:*, ...) is writable by
 * the user through a default app client unless the pool's administrator
 * removed it from every client's WriteAttributes. */
static int claim_fixed(const char *claim) {
  static const char *const fixed[] = {"cognito:username", "sub", "email",
                                      "phone_number"};
  size_t i;

  for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
    if (strcmp(claim, fixed[i]) == 0)
      return 1;
  return 0;
}

/* min_uid, max_uid and the sync tool's range clear of the reserved uids
 * (uidrule.h; the range against max_uid is the sync tool's own check). */
static int uids_ok(const struct pc_config *c, struct pc_error *err) {
  if (c->max_uid < c->min_uid) {
    pc_error_set(err, PC_ERR_CONFIG, "max_uid (%ld) is below min_uid (%ld)",
                 c->max_uid, c->min_uid);
    return 0;
  }
  return pc_uid_range_reserved(c->uid_min, c->uid_max, err) == PC_OK;
}

/* The three required keys, and the pool id in the configured region. */
static int pool_ok(const struct pc_config *c, struct pc_error *err) {
  const char *us;

  if (c->region == NULL || c->user_pool_id == NULL || c->client_id == NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "missing required key '%s'",
                 c->region == NULL         ? "region"
                 : c->user_pool_id == NULL ? "user_pool_id"
                                           : "client_id");
    return 0;
  }
  if (!region_ok(c->region, strlen(c->region))) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "region: '%s' is not an AWS region name "
                 "(like us-east-1)",
                 c->region);
    return 0;
  }
  us = strchr(c->user_pool_id, '_');
  if (us == NULL ||
      !region_ok(c->user_pool_id, (size_t)(us - c->user_pool_id)) ||
      !alnum_ok(us + 1)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "user_pool_id: '%s' does not look like "
                 "<region>_<id> (like us-east-1_AbC123)",
                 c->user_pool_id);
    return 0;
  }
  if ((size_t)(us - c->user_pool_id) != strlen(c->region) ||
      strncmp(c->user_pool_id, c->region, strlen(c->region)) != 0) {
    pc_error_set(err, PC_ERR_CONFIG, "user_pool_id: '%s' is not in region '%s'",
                 c->user_pool_id, c->region);
    return 0;
  }
  if (!alnum_ok(c->client_id)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "client_id: must be letters and digits only");
    return 0;
  }
  return 1;
}

/* Where the calls go: endpoint overrides, FIPS hosts, the proxy. */
static int endpoints_ok(const struct pc_config *c, struct pc_error *err) {
  if (c->idp_endpoint != NULL && !pc_url_allowed(c->idp_endpoint)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "idp_endpoint: '%s' refused: use https://, or "
                 "http:// only to a loopback host",
                 c->idp_endpoint);
    return 0;
  }
  if (c->identity_endpoint != NULL && !pc_url_allowed(c->identity_endpoint)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "identity_endpoint: '%s' refused: use https://, or "
                 "http:// only to a loopback host",
                 c->identity_endpoint);
    return 0;
  }
  if (c->issuer_endpoint != NULL && !pc_url_allowed(c->issuer_endpoint)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "issuer_endpoint: '%s' refused: use https://, or "
                 "http:// only to a loopback host",
                 c->issuer_endpoint);
    return 0;
  }
  if (c->use_fips && c->idp_endpoint == NULL &&
      !pc_endpoint_has_fips("cognito-idp", c->region)) {
    pc_error_set(
        err, PC_ERR_CONFIG,
        "use_fips: AWS offers no FIPS endpoint of Cognito user pools in "
        "region '%s'",
        c->region);
    return 0;
  }
  if (c->use_fips && c->identity_pool_id != NULL &&
      c->identity_endpoint == NULL &&
      !pc_endpoint_has_fips("cognito-identity", c->region)) {
    pc_error_set(
        err, PC_ERR_CONFIG,
        "use_fips: AWS offers no FIPS endpoint of Cognito identity pools "
        "in region '%s'",
        c->region);
    return 0;
  }
  if (c->https_proxy != NULL && strncmp(c->https_proxy, "http://", 7) != 0 &&
      strncmp(c->https_proxy, "https://", 8) != 0) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "https_proxy: '%s' refused: use http://host:port or "
                 "https://host:port",
                 c->https_proxy);
    return 0;
  }
  return 1;
}

/* The AWS credentials' own keys: the STS endpoint's URL policy, and a
 * FIPS host where use_fips asks for one. */
static int aws_creds_ok(const struct pc_config *c, struct pc_error *err) {
  if (c->sts_endpoint != NULL && !pc_url_allowed(c->sts_endpoint)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "sts_endpoint: '%s' refused: use https://, or "
                 "http:// only to a loopback host",
                 c->sts_endpoint);
    return 0;
  }
  if (c->use_fips && pc_config_basic_flow(c) && c->identity_pool_id != NULL &&
      c->sts_endpoint == NULL && !pc_endpoint_has_fips("sts", c->region)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "use_fips: AWS offers no FIPS endpoint of STS in region '%s' "
                 "(identity_flow \"basic\"): set sts_endpoint or use the "
                 "enhanced flow",
                 c->region);
    return 0;
  }
  return 1;
}

/* What the login itself relies on: the TOTP label, the cache, the claim
 * that names the user, the uid ranges and the per-call limits. */
/* first_factors is USER_AUTH's: with another flow it would promise what
 * the flow does not do (a code login, or no password). */
static int factors_ok(const struct pc_config *c, struct pc_error *err) {
  if (c->first_factors == 0) {
    pc_error_set(err, PC_ERR_CONFIG, "first_factors: names no factor");
    return 0;
  }
  if (c->auth_flow != PC_FLOW_USER_AUTH &&
      c->first_factors != PC_FACTOR_PASSWORD_SRP) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "first_factors: applies to auth_flow = \"USER_AUTH\" only");
    return 0;
  }
  return 1;
}

static int login_ok(const struct pc_config *c, struct pc_error *err) {
  if (c->totp_issuer != NULL && !issuer_ok(c->totp_issuer)) {
    pc_error_set(
        err, PC_ERR_CONFIG,
        "totp_issuer: must be non-empty printable text without ':' (the "
        "authenticator app's label separator)");
    return 0;
  }
  if (c->cache_dir == NULL || c->cache_dir[0] != '/') {
    pc_error_set(err, PC_ERR_CONFIG, "cache_dir: must be an absolute path");
    return 0;
  }
  if (c->login_claim != NULL && !claim_fixed(c->login_claim) &&
      !c->login_claim_trusted) {
    pc_error_set(
        err, PC_ERR_CONFIG,
        "login_claim: '%s' is an attribute users can change through an "
        "app client, so it proves no identity; use cognito:username, "
        "sub, email or phone_number, or set login_claim_trusted = true "
        "once no app client of the pool can write it",
        c->login_claim);
    return 0;
  }
  if (!uids_ok(c, err) || !factors_ok(c, err))
    return 0;
  if (c->timeout < 1 || c->timeout > 300 || c->max_attempts < 1 ||
      c->max_attempts > 10) {
    pc_error_set(err, PC_ERR_CONFIG, "timeout or max_attempts out of range");
    return 0;
  }
  return 1;
}

/* A snapshot nobody can check is not applied: the key comes with the URL. */
static int snapshot_ok(const struct pc_config *c, struct pc_error *err) {
  if (c->snapshot_url != NULL && c->snapshot_public_key == NULL) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "snapshot_url: needs snapshot_public_key (the PEM file of "
                 "the publisher's Ed25519 public key)");
    return 0;
  }
  return 1;
}

enum pc_status pc_config_validate(const struct pc_config *c,
                                  struct pc_error *err) {
  return pool_ok(c, err) && endpoints_ok(c, err) && aws_creds_ok(c, err) &&
                 login_ok(c, err) && snapshot_ok(c, err)
             ? PC_OK
             : PC_ERR_CONFIG;
}

void pc_config_free(struct pc_config *c) {
  size_t i;

  for (i = 0; i < NKEYS; i++) {
    if (keys[i].kind == K_STR)
      pc_free_secret((char **)(void *)((char *)c + keys[i].offset));
    else if (keys[i].kind == K_LIST || keys[i].kind == K_MAP ||
             keys[i].kind == K_SUDO || keys[i].kind == K_LOCAL)
      free_list((char ***)(void *)((char *)c + keys[i].offset));
  }
  memset(c, 0, sizeof(*c));
}

static char *regional_url(const char *override, const char *service,
                          const struct pc_config *c) {
  if (override != NULL)
    return pc_strdup(override);
  return pc_endpoint_url(service, c->region, c->use_fips);
}

char *pc_config_idp_url(const struct pc_config *c) {
  return regional_url(c->idp_endpoint, "cognito-idp", c);
}

char *pc_config_identity_url(const struct pc_config *c) {
  return regional_url(c->identity_endpoint, "cognito-identity", c);
}

char *pc_config_issuer_url(const struct pc_config *c) {
  char *iss, *url;
  size_t n;

  if (c->issuer_endpoint != NULL)
    return pc_strdup(c->issuer_endpoint);
  /* The updated issuer's host: its URL up to the pool id. */
  iss = pc_endpoint_issuer(c->region, c->user_pool_id, PC_ISSUER_UPDATED);
  if (iss == NULL)
    return NULL;
  n = strlen(iss) - strlen(c->user_pool_id);
  url = strndup(iss, n);
  free(iss);
  return url;
}

char *pc_config_sts_url(const struct pc_config *c) {
  return regional_url(c->sts_endpoint, "sts", c);
}

int pc_config_basic_flow(const struct pc_config *c) {
  return c != NULL && c->identity_flow != NULL &&
         strcmp(c->identity_flow, "basic") == 0;
}

char *pc_config_signin_name(const struct pc_config *c, const char *user) {
  const char *suffix = c->username_suffix ? c->username_suffix : "";
  size_t ul = strlen(user), sl = strlen(suffix);
  char *s;

  if (ul + sl > 128)
    return NULL;
  s = malloc(ul + sl + 1);
  if (s == NULL)
    return NULL;
  memcpy(s, user, ul);
  memcpy(s + ul, suffix, sl + 1);
  return s;
}

int pc_config_list_has(char *const *list, const char *name) {
  size_t i;

  if (list == NULL || name == NULL)
    return 0;
  for (i = 0; list[i] != NULL; i++)
    if (strcmp(list[i], name) == 0)
      return 1;
  return 0;
}

const char *pc_config_pool_name(const struct pc_config *c) {
  const char *us;

  if (c->user_pool_id == NULL)
    return NULL;
  us = strchr(c->user_pool_id, '_');
  return us ? us + 1 : NULL;
}
