/* SPDX-License-Identifier: MIT */
/* Questions and messages through the application's conversation function. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "base/secret.h"
#include "login/warmup.h"

/* PAM_SILENT (sudo passes it by default) keeps information quiet; a
 * PC_TELL_NEEDED message (touch the key, why the key was refused) is still
 * shown, as the person could not act or know why otherwise. */
void pc_conv_tell(struct pc_module *m, int kind, const char *text) {
  char *resp = NULL;

  if ((m->flags & PAM_SILENT) && !(kind & PC_TELL_NEEDED))
    return;
  pc_module_conv_begin(m);
  pam_prompt(m->pamh, (kind & PC_TELL_ERROR) ? PAM_ERROR_MSG : PAM_TEXT_INFO,
             &resp, "%s", text);
  pc_module_conv_end(m);
  pc_free_secret(&resp);
}

static void tell(void *ctx, int kind, const char *text) {
  pc_conv_tell(ctx, kind, text);
}

static int ask(void *ctx, enum pc_prompt_style style, const char *prompt,
               char **answer) {
  struct pc_module *m = ctx;
  char *resp = NULL;
  /* A code may take minutes to arrive: keep the connections in use. */
  struct pc_warmup *keep =
      pc_warmup_start(pc_module_pool(m), &m->cfg, PC_WARMUP_KEEP);
  int rc;

  pc_module_conv_begin(m);
  rc = pam_prompt(m->pamh,
                  style == PC_PROMPT_SECRET ? PAM_PROMPT_ECHO_OFF
                                            : PAM_PROMPT_ECHO_ON,
                  &resp, "%s", prompt);
  pc_module_charge(m, pc_warmup_stop(keep));
  pc_module_conv_end(m);

  if (rc != PAM_SUCCESS || resp == NULL) {
    pc_free_secret(&resp);
    pc_debug(m, "the conversation gave no answer to '%s' (%s)", prompt,
             pam_strerror(m->pamh, rc));
    return -1;
  }
  *answer = resp;
  return 0;
}

void pc_conv_prompter(struct pc_module *m, struct pc_prompter *p) {
  p->ask = ask;
  p->tell = tell;
  p->ctx = m;
  p->quiet = (m->flags & PAM_SILENT) != 0;
}
