/* SPDX-License-Identifier: MIT */
/* Ending a user's processes; see sessions.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "sync/sessions.h"

#define LOGINCTL "/usr/bin/loginctl"

/* logind runs: its runtime directory of seats exists (what
 * sd_booted-style checks of systemd itself look at). */
static int logind_runs(void) {
  struct stat st;

  return stat("/run/systemd/seats", &st) == 0 && S_ISDIR(st.st_mode) &&
         access(LOGINCTL, X_OK) == 0;
}

/* loginctl terminate-user <uid>: 0 when it exited 0. */
static int terminate_user(long uid) {
  char arg[32];
  int status = 0;
  pid_t pid;

  (void)snprintf(arg, sizeof(arg), "%ld", uid);
  pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);

    (void)dup2(null, 0);
    (void)dup2(null, 1);
    (void)dup2(null, 2);
    execl(LOGINCTL, "loginctl", "terminate-user", arg, (char *)NULL);
    _exit(127);
  }
  if (pid < 0 || waitpid(pid, &status, 0) != pid)
    return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* 1 when process pid has uid as its real, effective or saved uid and is
 * not a zombie (dead already; its parent has yet to reap it). */
static int owned_by(const char *pid, long uid) {
  char path[64], line[256];
  long r, e, s;
  int hit = 0;
  FILE *f;

  (void)snprintf(path, sizeof(path), "/proc/%s/status", pid);
  f = fopen(path, "re");
  if (f == NULL)
    return 0; /* gone already */
  while (fgets(line, sizeof(line), f) != NULL) {
    if (strncmp(line, "State:", 6) == 0 && strchr(line, 'Z') != NULL)
      break;
    if (strncmp(line, "Uid:", 4) == 0) {
      hit = sscanf(line + 4, "%ld %ld %ld", &r, &e, &s) == 3 &&
            (r == uid || e == uid || s == uid);
      break;
    }
  }
  (void)fclose(f);
  return hit;
}

/* Send sig to every process of uid: how many got it, or -1 (/proc). */
static int signal_all(long uid, int sig) {
  DIR *d = opendir("/proc");
  struct dirent *de;
  pid_t self = getpid();
  int n = 0;

  if (d == NULL)
    return -1;
  while ((de = readdir(d)) != NULL) {
    char *end;
    long pid = strtol(de->d_name, &end, 10);

    if (*end != '\0' || pid <= 1 || pid == (long)self ||
        !owned_by(de->d_name, uid))
      continue;
    if (kill((pid_t)pid, sig) == 0)
      n++;
  }
  (void)closedir(d);
  return n;
}

enum pc_status pc_sessions_end(long uid, int *ended, int *logind,
                               struct pc_error *err) {
  struct timespec pause = {0, 100 * 1000 * 1000};
  int n, left, i;

  *ended = 0;
  *logind = 0;
  if (uid <= 0)
    return pc_error_set(err, PC_ERR_CONFIG, "uid %ld: never ended", uid);
  if (logind_runs())
    *logind = terminate_user(uid) == 0;
  n = signal_all(uid, SIGTERM);
  if (n < 0)
    return pc_error_set(err, PC_ERR_CONFIG, "/proc: %s", strerror(errno));
  *ended = n;
  for (i = 0; i < PC_SESSIONS_GRACE * 10 && n > 0; i++) {
    (void)nanosleep(&pause, NULL);
    n = signal_all(uid, 0);
  }
  if (n > 0 && signal_all(uid, SIGKILL) > 0) {
    (void)nanosleep(&pause, NULL);
    left = signal_all(uid, 0);
    if (left > 0)
      return pc_error_set(err, PC_ERR_CONFIG,
                          "%d processes of uid %ld still run after SIGKILL",
                          left, uid);
  }
  return PC_OK;
}
