/* SPDX-License-Identifier: MIT */
/* sudo_rules rendered for the synced members, checked by visudo, staged;
 * see sudorules.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "config/fleetmaps.h"
#include "sync/nssfiles.h"
#include "sync/sudorules.h"

/* The group of a "group=value" entry into out. */
static void entry_group(const char *entry, char *out, size_t size) {
  size_t n = strcspn(entry, "=");

  (void)snprintf(out, size, "%.*s", (int)n, entry);
}

static enum pc_status check_map(const char *key, char *const *map,
                                char *const *synced, struct pc_error *err) {
  char g[PC_FLEET_GROUP_MAX + 1];
  size_t i;

  for (i = 0; map != NULL && map[i] != NULL; i++) {
    entry_group(map[i], g, sizeof(g));
    if (!pc_config_list_has(synced, g))
      return pc_error_set(err, PC_ERR_CONFIG,
                          "%s: group %s is not synced on this host (add it to "
                          "nss_groups)",
                          key, g);
  }
  return PC_OK;
}

enum pc_status pc_fleet_check_groups(const struct pc_config *cfg,
                                     char *const *synced,
                                     struct pc_error *err) {
  enum pc_status st = check_map("sudo_rules", cfg->sudo_rules, synced, err);

  return st != PC_OK
             ? st
             : check_map("local_groups", cfg->local_groups, synced, err);
}

static int has(char *const *list, const char *s) {
  return pc_config_list_has(list, s);
}

/* One line per admitted member of each rule's group. probe: every rule
 * once more for root, so that visudo sees each body even when its group
 * has no member yet (that text is checked, never installed). */
static int render(const struct pc_config *cfg, const struct pc_syncstate *st,
                  int probe, struct pc_buf *b) {
  static const char head[] =
      "# Written by pam_cognito-sync from sudo_rules in pam_cognito.conf;\n"
      "# every run replaces this file.\n";
  char g[PC_FLEET_GROUP_MAX + 1], line[PC_FLEET_RULE_MAX + 256];
  size_t i, j;

  if (pc_buf_append(b, head, sizeof(head) - 1) != 0)
    return -1;
  for (i = 0; cfg->sudo_rules[i] != NULL; i++) {
    const char *body = strchr(cfg->sudo_rules[i], '=') + 1;

    entry_group(cfg->sudo_rules[i], g, sizeof(g));
    (void)snprintf(line, sizeof(line), "# pool group %s\n", g);
    if (pc_buf_append(b, line, strlen(line)) != 0)
      return -1;
    for (j = 0; j <= st->n; j++) {
      const char *who = j < st->n ? st->users[j].name : "root";

      if (j < st->n ? !st->users[j].admitted || !has(st->users[j].groups, g)
                    : !probe)
        continue;
      (void)snprintf(line, sizeof(line), "%s %s\n", who, body);
      if (pc_buf_append(b, line, strlen(line)) != 0)
        return -1;
    }
  }
  return 0;
}

/* visudo -c -q -f tmp, its complaint (first line) in why. 0 checked. */
static int visudo_check(const char *tmp, char *why, size_t size) {
  int fds[2], status = 0;
  ssize_t n = 0, got;
  pid_t pid;

  why[0] = '\0';
  if (access(PC_VISUDO, X_OK) != 0) {
    (void)snprintf(why, size, "%s not found: install sudo", PC_VISUDO);
    return -1;
  }
  if (pipe2(fds, O_CLOEXEC) != 0)
    return -1;
  pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);

    (void)dup2(null, 0);
    (void)dup2(fds[1], 1);
    (void)dup2(fds[1], 2);
    execl(PC_VISUDO, "visudo", "-c", "-q", "-f", tmp, (char *)NULL);
    _exit(127);
  }
  (void)close(fds[1]);
  while (pid > 0 && (size_t)n + 1 < size &&
         (got = read(fds[0], why + n, size - 1 - (size_t)n)) > 0)
    n += got;
  why[n] = '\0';
  why[strcspn(why, "\n")] = '\0';
  (void)close(fds[0]);
  if (pid < 0 || waitpid(pid, &status, 0) != pid)
    return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The rules rendered (probe: with the probe lines) into b. PC_OK, or
 * PC_ERR_NOMEM with err. */
static enum pc_status rendered(const struct pc_config *cfg,
                               const struct pc_syncstate *st, int probe,
                               struct pc_buf *b, struct pc_error *err) {
  pc_buf_init(b, 16L * 1024 * 1024);
  if (render(cfg, st, probe, b) == 0)
    return PC_OK;
  pc_buf_free(b);
  return pc_error_set(err, PC_ERR_NOMEM, "sudo_rules: out of memory");
}

/* visudo checks the probe text once: it holds every line the installed
 * text holds (same header, same rules, same members) plus one line for
 * root per rule, so that a rule whose group has no member yet is checked
 * too. Each line is a whole user specification (a body cannot continue a
 * line: cfg refuses a backslash), so leaving the root lines out cannot
 * make a file visudo took invalid; the installed text is staged without a
 * second run of visudo. */
static enum pc_status probe_checked(const struct pc_config *cfg,
                                    const struct pc_syncstate *st,
                                    const char *path, struct pc_error *err) {
  char why[1024];
  struct pc_buf b;
  char *tmp = NULL;
  enum pc_status rc = rendered(cfg, st, 1, &b, err);

  if (rc == PC_OK)
    rc = pc_nss_stage_file(path, b.data, b.len, 0440, NULL, &tmp, err);
  pc_buf_free(&b);
  if (rc != PC_OK || tmp == NULL)
    return rc != PC_OK ? rc : pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  if (visudo_check(tmp, why, sizeof(why)) != 0)
    rc = pc_error_set(err, PC_ERR_CONFIG,
                      "sudo_rules: visudo -cf refused the rules (%s); %s is "
                      "left as it was",
                      why[0] ? why : "it could not run", path);
  (void)unlink(tmp);
  free(tmp);
  return rc;
}

enum pc_status pc_sudo_stage(const struct pc_config *cfg,
                             const struct pc_syncstate *st, const char *path,
                             char **tmp, struct pc_error *err) {
  struct pc_buf b;
  enum pc_status rc;

  *tmp = NULL;
  pc_error_clear(err);
  if (cfg->sudo_rules == NULL)
    return PC_OK;
  rc = probe_checked(cfg, st, path, err);
  if (rc == PC_OK)
    rc = rendered(cfg, st, 0, &b, err);
  if (rc != PC_OK)
    return pc_error_failed(err, PC_ERR_CONFIG);
  rc = pc_nss_stage_file(path, b.data, b.len, 0440, NULL, tmp, err);
  pc_buf_free(&b);
  return rc == PC_OK ? PC_OK : pc_error_failed(err, PC_ERR_CONFIG);
}

enum pc_status pc_sudo_remove(const char *path, int *removed,
                              struct pc_error *err) {
  *removed = unlink(path) == 0;
  if (*removed || errno == ENOENT)
    return PC_OK;
  return pc_error_set(err, PC_ERR_CONFIG, "%s: cannot remove: %s", path,
                      strerror(errno));
}
