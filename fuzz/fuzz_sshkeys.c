/* SPDX-License-Identifier: MIT */
/* fuzz_sshkeys: the ssh_keys_attribute value a pool user's record carries,
 * line by line through pc_sshkey_check (pam_cognito-sync writes what it
 * accepts for sshd). Every accepted line must be one line of printable
 * text that starts with an allowed option or key type, and must come back
 * unchanged when checked again. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sync/sshkeys.h"

static void check_out(const char *out) {
  static const char *const starts[] = {"ssh-", "ecdsa-sha2-", "sk-", "restrict",
                                       "no-",  "NO-",         NULL};
  char again[PC_SSHKEY_LINE_MAX + 1];
  const char *why = NULL;
  size_t i, len = strlen(out);
  int ok = 0;

  for (i = 0; i < len; i++)
    if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] == 0x7f)
      abort();
  for (i = 0; starts[i] != NULL; i++)
    ok |= strncasecmp(out, starts[i], strlen(starts[i])) == 0;
  if (!ok)
    abort();
  if (pc_sshkey_check(out, len, again, sizeof(again), &why) != 1 ||
      strcmp(again, out) != 0)
    abort();
}

/* One line (a NUL-terminated copy: the checks below use string calls). */
static void one_line(const char *line, size_t len) {
  char out[PC_SSHKEY_LINE_MAX + 1];
  const char *why = NULL;
  char *copy = strndup(line, len);

  if (copy == NULL)
    return;
  if (pc_sshkey_check(line, len, out, sizeof(out), &why) == 1)
    check_out(out);
  else if (why == NULL && strchr(copy, '#') == NULL &&
           strspn(copy, " \t\r") < len)
    abort(); /* refused or skipped: skipped only when blank or a comment */
  free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = (const char *)data, *end = p + size;

  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

    /* The attribute is text: a NUL ends it, as json-c's string would. */
    if (memchr(p, '\0', len) != NULL)
      break;
    one_line(p, len);
    p += len + 1;
  }
  return 0;
}
