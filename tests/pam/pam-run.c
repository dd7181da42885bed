/* SPDX-License-Identifier: MIT */
/* pam-run: a PAM application for tests. It runs a real libpam stack from a
 * service directory of the test's own (pam_start_confdir), answers prompts
 * from a script, and reports everything a user or a program would see as
 * JSON lines on stdout: prompts, messages, each stage's result, and the PAM
 * environment at the end.
 *
 *   pam-run [-d CONFDIR] -s SERVICE -u USER [-a ANSWERS] [-r RHOST] [-t TTY]
 *           [-q] STAGE...
 *
 * STAGE: auth, acct, setcred, open, close, delcred, chauthtok,
 *        chauthtok-expired. Stages stop at the first failure, except a
 *        stage written with a trailing '?' ("auth?": an attempt that may
 *        fail, as login retries). "user=NAME" sets PAM_USER at that point
 *        (sudo's target user, login's next attempt).
 * ANSWERS: a file with one answer per line ("-": read each answer from
 * stdin only when its prompt comes, so a test can compute it after seeing
 * the prompt, e.g. a code sent during the login), consumed in order by the
 * echo-off and echo-on prompts alike. "@NULL" answers with a NULL response,
 * "@FAIL" makes the conversation return PAM_CONV_ERR; when the answers run
 * out the conversation fails (PAM_CONV_ERR), so nothing hangs.
 * -q passes PAM_SILENT. -x PROGRAM runs PROGRAM (no arguments, stdin and
 * stderr /dev/null) at every prompt, as a conversation that spawns a child
 * would, and reports its output as a "child" event.
 * $PAM_RUN_SU_UID=UID: behave like su or sudo, a setuid program the user
 * started (which the loader would strip of pam_wrapper): the real uid
 * becomes UID, the effective and saved uids stay root, so the user may
 * signal this process. */
#define _GNU_SOURCE /* setresuid */
#include <security/pam_appl.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char **answers;
static size_t n_answers, next_answer;
static int answers_from_stdin;
static const char *child_program;

/* In stdin mode, fetch the next answer now (after the prompt was shown). */
static void read_answer(void) {
  char line[4096];

  if (!answers_from_stdin || next_answer < n_answers ||
      !fgets(line, sizeof(line), stdin))
    return;
  line[strcspn(line, "\n")] = '\0';
  answers = realloc(answers, (n_answers + 1) * sizeof(*answers));
  if (!answers || !(answers[n_answers++] = strdup(line)))
    exit(2);
}

static void json_str(const char *s) {
  putchar('"');
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c < 0x20 || c == 0x7f)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

static void event(const char *kind, const char *text) {
  printf("{\"event\":\"%s\",\"text\":", kind);
  json_str(text);
  printf("}\n");
  fflush(stdout);
}

/* Run child_program with what it inherits from us; its stdout is the
 * event's text. */
static void run_child(void) {
  char out[16384];
  size_t len = 0;
  ssize_t got;
  int p[2], nul, status;
  pid_t pid;

  if (!child_program || pipe(p) != 0)
    return;
  pid = fork();
  if (pid == 0) {
    nul = open("/dev/null", O_RDWR);
    dup2(nul, 0);
    dup2(p[1], 1);
    dup2(nul, 2);
    close(p[0]);
    close(p[1]);
    close(nul);
    execl(child_program, child_program, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  while (pid > 0 && len < sizeof(out) - 1 &&
         (got = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
    len += (size_t)got;
  out[len] = '\0';
  close(p[0]);
  if (pid > 0)
    waitpid(pid, &status, 0);
  event("child", out);
}

static int conv(int n, const struct pam_message **msg,
                struct pam_response **resp, void *data) {
  struct pam_response *r = calloc((size_t)n, sizeof(*r));
  int i;

  (void)data;
  if (!r)
    return PAM_BUF_ERR;
  for (i = 0; i < n; i++) {
    int style = msg[i]->msg_style;
    if (style == PAM_TEXT_INFO || style == PAM_ERROR_MSG) {
      event(style == PAM_TEXT_INFO ? "info" : "error", msg[i]->msg);
      continue;
    }
    event(style == PAM_PROMPT_ECHO_OFF ? "prompt_echo_off" : "prompt_echo_on",
          msg[i]->msg);
    run_child();
    read_answer();
    if (next_answer >= n_answers ||
        strcmp(answers[next_answer], "@FAIL") == 0) {
      next_answer++;
      event("conv_fail", "no scripted answer");
      free(r);
      return PAM_CONV_ERR;
    }
    if (strcmp(answers[next_answer], "@NULL") != 0)
      r[i].resp = strdup(answers[next_answer]);
    next_answer++;
  }
  *resp = r;
  return PAM_SUCCESS;
}

static void no_delay(int status, unsigned int usec, void *data) {
  (void)status;
  (void)usec;
  (void)data;
}

static void load_answers(const char *path) {
  FILE *f;
  char line[4096];

  if (strcmp(path, "-") == 0) {
    answers_from_stdin = 1;
    return;
  }
  f = fopen(path, "r");
  if (!f) {
    perror(path);
    exit(2);
  }
  while (fgets(line, sizeof(line), f)) {
    line[strcspn(line, "\n")] = '\0';
    answers = realloc(answers, (n_answers + 1) * sizeof(*answers));
    if (!answers || !(answers[n_answers++] = strdup(line)))
      exit(2);
  }
  fclose(f);
}

/* "wait": hold the handle (an open session) until the file named by
 * $PAM_RUN_WAIT exists; $PAM_RUN_WAIT.ready tells the test we got here.
 * Bounded: 60 s. */
static int wait_stage(void) {
  const char *path = getenv("PAM_RUN_WAIT");
  char ready[4096];
  FILE *f;
  int i;

  if (path == NULL ||
      snprintf(ready, sizeof ready, "%s.ready", path) >= (int)sizeof ready ||
      (f = fopen(ready, "w")) == NULL)
    return PAM_SYSTEM_ERR;
  fclose(f);
  for (i = 0; i < 600; i++) {
    if (access(path, F_OK) == 0)
      return PAM_SUCCESS;
    usleep(100000);
  }
  return PAM_SYSTEM_ERR;
}

static int stage(pam_handle_t *h, const char *name, int silent) {
  if (strcmp(name, "wait") == 0)
    return wait_stage();
  if (strcmp(name, "auth") == 0)
    return pam_authenticate(h, silent);
  if (strcmp(name, "acct") == 0)
    return pam_acct_mgmt(h, silent);
  if (strcmp(name, "setcred") == 0)
    return pam_setcred(h, silent | PAM_ESTABLISH_CRED);
  if (strcmp(name, "delcred") == 0)
    return pam_setcred(h, silent | PAM_DELETE_CRED);
  if (strcmp(name, "open") == 0)
    return pam_open_session(h, silent);
  if (strcmp(name, "close") == 0)
    return pam_close_session(h, silent);
  if (strcmp(name, "chauthtok") == 0)
    return pam_chauthtok(h, silent);
  if (strcmp(name, "chauthtok-expired") == 0)
    return pam_chauthtok(h, silent | PAM_CHANGE_EXPIRED_AUTHTOK);
  fprintf(stderr, "unknown stage %s\n", name);
  exit(2);
}

int main(int argc, char **argv) {
  const char *confdir = NULL, *service = NULL, *user = NULL, *rhost = NULL;
  const char *tty = NULL;
  struct pam_conv c = {conv, NULL};
  pam_handle_t *h = NULL;
  int opt, rc = PAM_SUCCESS, silent = 0, i;
  char **env;
  const char *su_uid = getenv("PAM_RUN_SU_UID");

  if (su_uid != NULL &&
      setresuid((uid_t)strtoul(su_uid, NULL, 10), 0, 0) != 0) {
    perror("setresuid");
    return 2;
  }
  while ((opt = getopt(argc, argv, "d:s:u:a:r:t:qx:")) != -1) {
    switch (opt) {
    case 'd':
      confdir = optarg;
      break;
    case 's':
      service = optarg;
      break;
    case 'u':
      user = optarg;
      break;
    case 'a':
      load_answers(optarg);
      break;
    case 'r':
      rhost = optarg;
      break;
    case 't':
      tty = optarg;
      break;
    case 'q':
      silent = PAM_SILENT;
      break;
    case 'x':
      child_program = optarg;
      break;
    default:
      return 2;
    }
  }
  if (!service || optind >= argc) {
    fprintf(stderr,
            "usage: pam-run [-d CONFDIR] -s SERVICE [-u USER] STAGE...\n");
    return 2;
  }
  /* Without -d, libpam (or pam_wrapper, when preloaded) finds the service. */
  rc = confdir ? pam_start_confdir(service, user, &c, confdir, &h)
               : pam_start(service, user, &c, &h);
  if (rc != PAM_SUCCESS) {
    printf("{\"event\":\"start_failed\",\"code\":%d}\n", rc);
    return 1;
  }
  pam_set_item(h, PAM_FAIL_DELAY, (const void *)no_delay);
  if (rhost)
    pam_set_item(h, PAM_RHOST, rhost);
  if (tty)
    pam_set_item(h, PAM_TTY, tty);
  for (i = optind; i < argc && rc == PAM_SUCCESS; i++) {
    char name[64];
    size_t len = strlen(argv[i]);
    int may_fail = len > 0 && argv[i][len - 1] == '?';

    if (strncmp(argv[i], "user=", 5) == 0) {
      rc = pam_set_item(h, PAM_USER, argv[i] + 5);
      continue;
    }
    snprintf(name, sizeof(name), "%.*s", (int)(may_fail ? len - 1 : len),
             argv[i]);
    rc = stage(h, name, silent);
    printf("{\"event\":\"result\",\"stage\":\"%s\",\"code\":%d,\"name\":", name,
           rc);
    json_str(pam_strerror(h, rc));
    printf("}\n");
    fflush(stdout);
    if (may_fail)
      rc = PAM_SUCCESS;
  }
  env = pam_getenvlist(h);
  printf("{\"event\":\"env\",\"vars\":[");
  for (i = 0; env && env[i]; i++) {
    if (i)
      putchar(',');
    json_str(env[i]);
    free(env[i]);
  }
  printf("]}\n");
  free(env);
  pam_end(h, rc);
  for (i = 0; (size_t)i < n_answers; i++)
    free(answers[i]);
  free(answers);
  return rc == PAM_SUCCESS ? 0 : 1;
}
