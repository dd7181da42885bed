/* SPDX-License-Identifier: MIT */
/* The AWS credential chain of pam_cognito-sync: environment, shared
 * credentials file, then instance metadata (imds.c). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/secret.h"
#include "sync/aws_chain.h"
#include "sync/imds.h"

#define PC_INI_MAX (64 * 1024)
#define PC_IMDS_DEFAULT "http://169.254.169.254"

static const char *env_nonempty(const char *name) {
  const char *v = getenv(name);

  return v != NULL && *v != '\0' ? v : NULL;
}

/* 1 found, 0 not set, -1 half set. */
static int from_env(struct pc_chain_creds *c, struct pc_error *err) {
  const char *id = env_nonempty("AWS_ACCESS_KEY_ID");
  const char *key = env_nonempty("AWS_SECRET_ACCESS_KEY");
  const char *tok = env_nonempty("AWS_SESSION_TOKEN");

  if (id == NULL && key == NULL)
    return 0;
  if (id == NULL || key == NULL) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "environment: %s is set but %s is not; set both or neither",
                 id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                 id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    return -1;
  }
  c->key_id = pc_strdup(id);
  c->secret = pc_strdup(key);
  c->token = pc_strdup(tok);
  if (c->key_id == NULL || c->secret == NULL || (tok && c->token == NULL)) {
    pc_error_set(err, PC_ERR_NOMEM, "out of memory");
    return -1;
  }
  c->where = "environment";
  return 1;
}

static char *trim(char *s) {
  char *e;

  while (*s == ' ' || *s == '\t')
    s++;
  e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
    *--e = '\0';
  return s;
}

static int set_field(char **dst, const char *v, struct pc_error *err) {
  pc_free_secret(dst);
  *dst = pc_strdup(v);
  if (*dst == NULL) {
    pc_error_set(err, PC_ERR_NOMEM, "out of memory");
    return -1;
  }
  return 0;
}

enum pc_status pc_chain_creds_parse_ini(const char *text, const char *profile,
                                        struct pc_chain_creds *c,
                                        struct pc_error *err) {
  char *copy = pc_strdup(text), *line, *next, *eq;
  int in = 0, seen = 0, rc = -1, lineno = 0;

  if (copy == NULL) {
    return pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  }
  for (line = copy; line != NULL; line = next) {
    next = strchr(line, '\n');
    if (next != NULL)
      *next++ = '\0';
    lineno++;
    line = trim(line);
    if (*line == '\0' || *line == '#' || *line == ';')
      continue;
    if (*line == '[') {
      char *end = strchr(line, ']');

      if (end == NULL) {
        pc_error_set(err, PC_ERR_CONFIG, "line %d: unterminated section name",
                     lineno);
        goto out;
      }
      *end = '\0';
      in = strcmp(trim(line + 1), profile) == 0;
      seen |= in;
      continue;
    }
    if (!in)
      continue;
    eq = strchr(line, '=');
    if (eq == NULL) {
      pc_error_set(err, PC_ERR_CONFIG, "line %d: expected key = value", lineno);
      goto out;
    }
    *eq = '\0';
    if (strcmp(trim(line), "aws_access_key_id") == 0) {
      if (set_field(&c->key_id, trim(eq + 1), err) != 0)
        goto out;
    } else if (strcmp(trim(line), "aws_secret_access_key") == 0) {
      if (set_field(&c->secret, trim(eq + 1), err) != 0)
        goto out;
    } else if (strcmp(trim(line), "aws_session_token") == 0) {
      if (set_field(&c->token, trim(eq + 1), err) != 0)
        goto out;
    }
  }
  if (!seen) {
    rc = 1;
    goto out;
  }
  if (c->key_id == NULL || *c->key_id == '\0' || c->secret == NULL ||
      *c->secret == '\0') {
    pc_error_set(
        err, PC_ERR_CONFIG,
        "profile [%s] lacks aws_access_key_id or aws_secret_access_key",
        profile);
    goto out;
  }
  rc = 0;
out:
  pc_wipe(copy, strlen(text));
  free(copy);
  if (rc != 0)
    pc_chain_creds_free(c);
  return rc == 0   ? PC_OK
         : rc == 1 ? PC_ABSENT /* no such profile */
                   : pc_error_failed(err, PC_ERR_CONFIG);
}

/* The file the AWS CLI would read. Heap string or NULL. */
static char *ini_path(void) {
  const char *f = env_nonempty("AWS_SHARED_CREDENTIALS_FILE");
  const char *home = env_nonempty("HOME");
  struct passwd *pw;
  size_t len;
  char *p;

  if (f != NULL)
    return pc_strdup(f);
  if (home == NULL) {
    /* systemd gives root services no HOME. */
    pw = getpwuid(getuid());
    home = pw ? pw->pw_dir : NULL;
  }
  if (home == NULL)
    return NULL;
  len = strlen(home) + sizeof("/.aws/credentials");
  p = malloc(len);
  if (p != NULL)
    (void)snprintf(p, len, "%s/.aws/credentials", home);
  return p;
}

/* 1 found, 0 no file or no such profile, -1 error. */
static int from_file(struct pc_chain_creds *c, struct pc_error *err) {
  const char *profile = env_nonempty("AWS_PROFILE");
  char *path = ini_path(), *text = NULL;
  struct pc_error pe;
  enum pc_status parsed;
  struct stat st;
  ssize_t n;
  size_t len = 0;
  int fd, rc = -1;

  if (profile == NULL)
    profile = "default";
  if (path == NULL)
    return 0;
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT && getenv("AWS_SHARED_CREDENTIALS_FILE") == NULL) {
      free(path);
      return 0;
    }
    pc_error_set(err, PC_ERR_CONFIG, "%s: cannot open: %s", path,
                 strerror(errno));
    free(path);
    return -1;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > PC_INI_MAX) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: not a regular file of at most %d bytes", path,
                 PC_INI_MAX);
    goto out;
  }
  text = malloc((size_t)st.st_size + 1);
  if (text == NULL) {
    pc_error_set(err, PC_ERR_NOMEM, "out of memory");
    goto out;
  }
  while (len < (size_t)st.st_size) {
    n = read(fd, text + len, (size_t)st.st_size - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    len += (size_t)n;
  }
  text[len] = '\0';
  if (memchr(text, '\0', len) != NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: contains a NUL byte", path);
    goto out;
  }
  pc_error_clear(&pe);
  parsed = pc_chain_creds_parse_ini(text, profile, c, &pe);
  if (parsed != PC_OK && parsed != PC_ABSENT)
    pc_error_set(err, PC_ERR_CONFIG, "%s: %s", path, pe.detail);
  if (parsed != PC_OK)
    rc = parsed == PC_ABSENT ? 0 : -1;
  else {
    c->where = "shared credentials file";
    rc = 1;
  }
out:
  if (text != NULL) {
    pc_wipe(text, len);
    free(text);
  }
  (void)close(fd);
  free(path);
  return rc;
}

enum pc_status pc_chain_creds_load(const struct pc_config *cfg,
                                   struct pc_chain_creds *c,
                                   struct pc_error *err) {
  const char *off = getenv("AWS_EC2_METADATA_DISABLED");
  int rc;

  memset(c, 0, sizeof(*c));
  rc = from_env(c, err);
  if (rc == 0)
    rc = from_file(c, err);
  if (rc < 0) {
    pc_chain_creds_free(c);
    return PC_ERR_CONFIG;
  }
  if (rc > 0)
    return PC_OK;
  if (off != NULL && strcasecmp(off, "true") == 0) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "no AWS credentials: none in the environment or the shared "
                 "credentials file, and AWS_EC2_METADATA_DISABLED is true");
    return PC_ERR_CONFIG;
  }
  return pc_imds_fetch(cfg->imds_endpoint ? cfg->imds_endpoint
                                          : PC_IMDS_DEFAULT,
                       cfg->timeout, c, err);
}
