/* SPDX-License-Identifier: MIT */
/* fuzz_srp: the SRP challenge parameters a server controls.
 *
 * Input: "salt-hex\nB-hex\nSECRET_BLOCK[\nUSER_ID_FOR_SRP]". Each piece goes
 * through pc_srp_pad_hex (checked against the rule it implements) and the
 * whole through pc_srp_signature with a fixed a, twice: the signature must
 * be 44 characters of base64 and the same both times. */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "login/srp.h"

#define TS "Tue Nov 14 22:13:20 UTC 2023"

static struct pc_srp *srp;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  unsigned char a[128];
  size_t i;

  (void)argc, (void)argv;
  for (i = 0; i < sizeof(a); i++)
    a[i] = (unsigned char)(i * 37 + 11);
  /* One context for the whole run: computing A costs a modexp. */
  if ((srp = pc_srp_new_with_a(a, sizeof(a))) == NULL)
    abort();
  return 0;
}

/* pad(): "0" before an odd number of digits, "00" before a leading 8-f,
 * on the minimal (no leading zeros) lower-case form. */
static void check_pad(const char *in) {
  char *got = pc_srp_pad_hex(in);
  size_t len = strlen(in), glen, i;
  const char *p = in;
  int valid = len > 0 && strspn(in, "0123456789abcdefABCDEF") == len;

  if (!valid || len > 4096) {
    if (got != NULL && !valid)
      abort();
    free(got);
    return;
  }
  if (got == NULL)
    return; /* out of memory, or over the length bound */
  while (*p == '0' && p[1] != '\0')
    p++;
  len = strlen(p);
  glen = strlen(got);
  if (glen % 2 != 0 || glen < len || glen > len + 2 ||
      strchr("01234567", got[0]) == NULL)
    abort();
  for (i = 0; i < len; i++)
    if (got[glen - len + i] != tolower((unsigned char)p[i]))
      abort();
  for (i = 0; i < glen - len; i++)
    if (got[i] != '0')
      abort();
  free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *part[4] = {"", "", "", "alice"};
  char *text, *p, *sig1 = NULL, *sig2 = NULL;
  unsigned char key[16];
  enum pc_status st1, st2;
  int n = 0;

  if ((text = malloc(size + 1)) == NULL)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  for (p = text; n < 4; n++) {
    part[n] = p;
    p = strchr(p, '\n');
    if (p == NULL) {
      n++;
      break;
    }
    *p++ = '\0';
  }
  check_pad(part[0]);
  check_pad(part[1]);
  st1 = pc_srp_signature(srp, "AbC123", part[3], "Passw0rd!", part[0], part[1],
                         part[2], TS, &sig1);
  if ((st1 == PC_OK) != (sig1 != NULL) ||
      (st1 == PC_OK) != (pc_srp_last_key(srp, key) == 0))
    abort();
  if (st1 == PC_OK) {
    if (strlen(sig1) != 44 || sig1[43] != '=')
      abort();
    st2 = pc_srp_signature(srp, "AbC123", part[3], "Passw0rd!", part[0],
                           part[1], part[2], TS, &sig2);
    if (st2 == PC_OK && strcmp(sig1, sig2) != 0)
      abort();
  }
  free(sig1);
  free(sig2);
  free(text);
  return 0;
}
