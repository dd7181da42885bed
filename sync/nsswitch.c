/* SPDX-License-Identifier: MIT */
/* The group line of nsswitch.conf; see nsswitch.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sync/nsswitch.h"

/* The services and action lists after "group:" in the first group line of
 * f (comments cut), into out; 0, or -1 when there is no such line. */
static int group_line(FILE *f, char *out, size_t size) {
  char line[4096];

  while (fgets(line, sizeof(line), f) != NULL) {
    char *p = line, *hash = strchr(line, '#');

    if (hash != NULL)
      *hash = '\0';
    while (isspace((unsigned char)*p))
      p++;
    if (strncmp(p, "group", 5) != 0)
      continue;
    p += 5;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p != ':')
      continue;
    (void)snprintf(out, size, "%s", p + 1);
    return 0;
  }
  return -1;
}

/* In the services of a group line: whether "extrausers" is there, and
 * whether the action list right before it says SUCCESS=merge (any case,
 * as glibc reads it). */
static void scan(const char *s, int *named, int *merged) {
  int bracket_merges = 0;

  *named = *merged = 0;
  while (*s != '\0') {
    size_t n;

    if (isspace((unsigned char)*s)) {
      s++;
      continue;
    }
    if (*s == '[') {
      const char *end = strchr(s, ']');
      size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
      char list[256];

      (void)snprintf(list, sizeof(list), "%.*s", (int)len, s);
      bracket_merges = strcasestr(list, "success=merge") != NULL;
      s += end != NULL ? len + 1 : len;
      continue;
    }
    n = strcspn(s, " \t\n[");
    if (n == strlen("extrausers") && strncmp(s, "extrausers", n) == 0) {
      *named = 1;
      *merged = bracket_merges;
      return;
    }
    bracket_merges = 0;
    s += n;
  }
}

enum pc_status pc_nsswitch_group_merges(const char *path,
                                        struct pc_error *err) {
  FILE *f = fopen(path, "re");
  char services[4096];
  int named, merged, rc;

  if (f == NULL)
    return pc_error_set(err, PC_ABSENT, "%s cannot be read: %s", path,
                        strerror(errno));
  rc = group_line(f, services, sizeof(services));
  (void)fclose(f);
  if (rc != 0)
    return pc_error_set(err, PC_ABSENT, "%s has no group line", path);
  scan(services, &named, &merged);
  if (!named)
    return pc_error_set(err, PC_ABSENT,
                        "the group line of %s does not name extrausers", path);
  if (!merged)
    return pc_error_set(err, PC_ABSENT,
                        "the group line of %s has no [SUCCESS=merge] right "
                        "before extrausers",
                        path);
  return PC_OK;
}
