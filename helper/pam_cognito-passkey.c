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

#include <errno.h>
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

/* The longest answer taken (password, PIN, code), in bytes: a longer
 * line is refused, never grown into. */
#define ANSWER_MAX 1023

/* One line of stdin, read with read(2) a byte at a time straight into
 * *line, a buffer of ANSWER_MAX + 1 bytes (no stdio buffer, no regrown
 * copy). Its length without the newline; -1 at end of input before any
 * byte; -2 when it is longer than ANSWER_MAX (the rest of the line is read
 * and dropped, the buffer wiped and freed). */
static long read_line(char **line) {
  char c, *buf = calloc(1, ANSWER_MAX + 1);
  size_t n = 0;
  ssize_t got;
  int too_long = 0;

  *line = NULL;
  if (!buf)
    return -1;
  while ((got = read(STDIN_FILENO, &c, 1)) != 0) {
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0 || c == '\n')
      break;
    if (n < ANSWER_MAX)
      buf[n++] = c;
    else
      too_long = 1;
  }
  pc_wipe(&c, sizeof(c));
  if (too_long || got < 0 || (got == 0 && n == 0)) {
    pc_wipe(buf, ANSWER_MAX + 1);
    free(buf);
    return too_long ? -2 : -1;
  }
  *line = buf;
  return (long)n;
}

/* Echo off for a secret answer on a terminal: 0 (with *was to restore,
 * *hid set) or -1 when the terminal would not stop echoing. */
static int quiet_terminal(enum pc_prompt_style style, struct termios *was,
                          int *hid) {
  struct termios quiet;

  *hid = 0;
  if (style != PC_PROMPT_SECRET || !isatty(STDIN_FILENO))
    return 0;
  if (tcgetattr(STDIN_FILENO, was) != 0)
    return -1;
  quiet = *was;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
    return -1;
  *hid = 1;
  return 0;
}

/* Prompt on stderr and read the answer (see read_line), never echoed when
 * secret: -3 when the terminal would not stop echoing (nothing read). */
static long read_answer(enum pc_prompt_style style, const char *prompt,
                        char **answer) {
  struct termios was;
  int hid;
  long n;

  *answer = NULL;
  fputs(prompt, stderr);
  fflush(stderr);
  if (quiet_terminal(style, &was, &hid) != 0) {
    fputc('\n', stderr);
    return -3;
  }
  n = read_line(answer);
  if (hid) {
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &was);
    fputc('\n', stderr);
  }
  return n;
}

/* Why an answer was not taken, on stderr (end of input says nothing). */
static void refused(long why) {
  if (why == -2)
    fprintf(stderr, PROG ": the answer is longer than %d characters: refused\n",
            ANSWER_MAX);
  else if (why == -3)
    fprintf(stderr, PROG ": cannot turn off echo on the terminal: nothing "
                         "secret is read\n");
}

/* The prompter's question: a line from stdin, without echo when secret. */
static int ask(void *ctx, enum pc_prompt_style style, const char *prompt,
               char **answer) {
  long n = read_answer(style, prompt, answer);

  (void)ctx;
  refused(n);
  return n < 0 ? -1 : 0;
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
  long n = read_answer(PC_PROMPT_SECRET, "Password: ", &pw);

  if (n == -2)
    cli_die("the password is longer than %d characters: refused", ANSWER_MAX);
  if (n < 0) {
    refused(n);
    cli_die("no password given");
  }
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
