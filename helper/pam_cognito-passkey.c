/* SPDX-License-Identifier: MIT */
/* pam_cognito-passkey: register, list and delete the passkeys of a user
 * pool user, with the security key attached to this computer.
 *
 * The user signs in with the password (SRP or as the configuration's flow
 * says, answering the MFA the pool asks for); the access token lives in
 * this process only and is never written anywhere. Registration makes a
 * resident credential on the key through the passkey plugin (libfido2),
 * with user verification when the pool's options require it. */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/secret.h"
#include "helper/cli.h"
#include "login/login.h"
#include "login/passkey.h"
#include "net/api.h"

#define PROG "pam_cognito-passkey"

struct opts {
  const char *config, *user, *delete_id;
  int action; /* 'r', 'l', 'd' */
};

static void usage(FILE *f) {
  fprintf(f,
          "Usage: " PROG " --register | --list | --delete ID\n"
          "                [--config FILE] [--user NAME]\n"
          "Sign in to the user pool with your password (and MFA when asked),\n"
          "then register a passkey on the attached security key, list your\n"
          "passkeys, or delete one by its credential id.\n"
          "Options:\n"
          "  --config FILE  the pool settings (default %s)\n"
          "  --user NAME    the pool user (default: your login name)\n"
          "  --help, --version\n",
          PC_DEFAULT_CONFIG);
}

static int on_opt(int c, const char *arg, void *ud) {
  struct opts *o = ud;

  switch (c) {
  case 'r':
  case 'l':
  case 'd':
    if (o->action && o->action != c)
      cli_die("give one of --register, --list, --delete");
    o->action = c;
    o->delete_id = c == 'd' ? arg : o->delete_id;
    return 0;
  case 'c':
    o->config = arg;
    return 0;
  case 'u':
    o->user = arg;
    return 0;
  default:
    return -1;
  }
}

static void parse_args(int argc, char **argv, struct opts *o) {
  static const struct option longopts[] = {
      {"register", no_argument, NULL, 'r'},
      {"list", no_argument, NULL, 'l'},
      {"delete", required_argument, NULL, 'd'},
      {"config", required_argument, NULL, 'c'},
      {"user", required_argument, NULL, 'u'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };

  memset(o, 0, sizeof(*o));
  o->config = PC_DEFAULT_CONFIG;
  cli_parse(argc, argv, "", longopts, usage, on_opt, o);
  if (!o->action)
    cli_die("give one of --register, --list, --delete (see --help)");
}

/* A line from stdin, without echo when it is a terminal and secret. */
static int ask(void *ctx, enum pc_prompt_style style, const char *prompt,
               char **answer) {
  struct termios old, quiet;
  int hide = style == PC_PROMPT_SECRET && isatty(STDIN_FILENO) &&
             tcgetattr(STDIN_FILENO, &old) == 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  (void)ctx;
  fputs(prompt, stderr);
  fflush(stderr);
  if (hide) {
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  n = getline(&line, &cap, stdin);
  if (hide) {
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
  }
  if (n < 0) {
    if (line)
      pc_wipe(line, cap);
    free(line);
    return -1;
  }
  if (n > 0 && line[n - 1] == '\n')
    line[n - 1] = '\0';
  *answer = line;
  return 0;
}

static void tell(void *ctx, int is_error, const char *text) {
  (void)ctx;
  (void)is_error;
  fprintf(stderr, "%s\n", text);
}

static const char *login_name(const struct opts *o) {
  struct passwd *pw;

  if (o->user)
    return o->user;
  if (!(pw = getpwuid(getuid())))
    cli_die("who are you? (no passwd entry for uid %u)", (unsigned)getuid());
  return pw->pw_name;
}

/* Sign in; the access token in *token (wiped and freed by the caller). */
static void sign_in(struct pc_client *cl, const char *user,
                    const struct pc_prompter *p, char **token) {
  struct pc_login_opts lo;
  struct pc_login_result r;
  char *pw = NULL;
  enum pc_status st;

  if (ask(NULL, PC_PROMPT_SECRET, "Password: ", &pw) != 0)
    cli_die("no password given");
  memset(&lo, 0, sizeof(lo));
  lo.username = user;
  lo.password = pw;
  lo.max_attempts = 3;
  st = pc_login(cl, &lo, p, &r);
  pc_free_secret(&pw);
  if (st != PC_OK) {
    pc_tokens_free(&r.tokens);
    cli_die("sign-in failed: %s", r.err.detail);
  }
  *token = r.tokens.access_token;
  r.tokens.access_token = NULL;
  pc_login_result_free(&r);
}

/* The access token in *token is wiped before dying. */
static void list(struct pc_client *cl, char **token) {
  json_object *all = NULL;
  struct pc_error e;
  size_t i, n;

  pc_error_clear(&e);
  if (pc_passkey_list(cl, *token, &all, &e) != PC_OK) {
    pc_free_secret(token);
    cli_die("%s", e.detail);
  }
  n = json_object_array_length(all);
  for (i = 0; i < n; i++) {
    json_object *c = json_object_array_get_idx(all, i);
    const char *id = pc_json_str(c, "CredentialId");
    const char *name = pc_json_str(c, "FriendlyCredentialName");
    const char *rp = pc_json_str(c, "RelyingPartyId");

    printf("%s\t%s\t%s\n", id ? id : "?", name ? name : "", rp ? rp : "");
  }
  if (n == 0)
    fprintf(stderr, "No passkeys are registered.\n");
  json_object_put(all);
}

static const char *plugin_path(void) {
  /* The user's own process: another plugin is the user's own business. */
  const char *env = getenv("PAM_COGNITO_PASSKEY_PLUGIN");

  return env && *env ? env : PC_PASSKEY_PLUGIN_PATH;
}

int main(int argc, char **argv) {
  struct pc_config cfg;
  struct pc_client cl;
  struct pc_error err;
  struct pc_prompter p = {ask, tell, NULL, 0};
  struct opts o;
  char *token = NULL;

  cli_set_prog(PROG);
  /* The password and the PIN are read from stdin: unbuffered, so that no
   * copy of them stays in stdio's buffer. */
  setvbuf(stdin, NULL, _IONBF, 0);
  parse_args(argc, argv, &o);
  pc_error_clear(&err);
  if (pc_config_init(&cfg) != 0)
    cli_die("out of memory");
  if (pc_config_load(&cfg, o.config, 1, 1, &err) != 0 ||
      pc_config_validate(&cfg, &err) != 0)
    cli_die("%s", err.detail);
  if (pc_client_init(&cl, &cfg, NULL) != PC_OK)
    cli_die("cannot set up the Cognito client");
  sign_in(&cl, login_name(&o), &p, &token);
  if (o.action == 'l') {
    list(&cl, &token);
  } else if (o.action == 'd') {
    if (pc_passkey_delete(&cl, token, o.delete_id, &err) != PC_OK) {
      pc_free_secret(&token);
      cli_die("%s", err.detail);
    }
    printf("Deleted passkey %s.\n", o.delete_id);
  } else {
    if (pc_passkey_register(&cl, token, plugin_path(), &p, &err) != PC_OK) {
      pc_free_secret(&token);
      cli_die("%s", err.detail);
    }
    printf("Passkey registered.\n");
  }
  pc_free_secret(&token);
  pc_client_free(&cl);
  pc_config_free(&cfg);
  return 0;
}
