/* SPDX-License-Identifier: MIT */
/* Canned wire data: see canned.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "canned.h"

#define SEP "\n--\n"

static enum pc_status canned_post(struct pc_http *h, const char *url,
                                  const char *target, const char *body,
                                  size_t body_len, long *status,
                                  struct pc_buf *resp) {
  struct canned *c = pc_http_opaque(h);
  const struct canned_reply *r;

  (void)url, (void)target, (void)body, (void)body_len;
  if (c->next >= c->n)
    return PC_ERR_UNAVAIL;
  r = &c->r[c->next++];
  if (r->kind == CANNED_UNAVAIL) {
    /* An outage that counts (lib/net/unavail.h): grace stays reachable. */
    pc_http_set_cause(h, PC_CAUSE_REFUSED);
    return PC_ERR_UNAVAIL;
  }
  if (r->kind == CANNED_TOO_LARGE)
    return PC_ERR_PROTOCOL;
  *status = r->status;
  /* Same contract as the libcurl transport: the buffer bounds the reply. */
  if (r->len > 0 && pc_buf_append(resp, r->body, r->len) != 0)
    return PC_ERR_PROTOCOL;
  return PC_OK;
}

/* A GET (the pool's JWKS) takes the next reply like a POST. */
static enum pc_status canned_get(struct pc_http *h, const char *url,
                                 long *status, struct pc_buf *resp) {
  return canned_post(h, url, NULL, NULL, 0, status, resp);
}

static const struct pc_http_ops canned_ops = {.post = canned_post,
                                              .get = canned_get};

struct pc_http *canned_http(struct canned *c) {
  return pc_http_new_custom(&canned_ops, c);
}

static void add_piece(struct canned *c, const unsigned char *p, size_t len) {
  struct canned_reply *r = &c->r[c->n++];

  r->kind = CANNED_HTTP;
  r->status = 200;
  r->body = (const char *)p;
  r->len = len;
  if (len == 0)
    return;
  switch (p[0]) {
  case '4':
    r->status = 400;
    break;
  case '5':
    r->status = 500;
    break;
  case '3':
    r->status = 302;
    break;
  case 'T':
    r->kind = CANNED_UNAVAIL;
    break;
  case 'L':
    r->kind = CANNED_TOO_LARGE;
    break;
  default:
    break;
  }
  r->body++;
  r->len--;
}

void canned_split(struct canned *c, const unsigned char *data, size_t size) {
  const size_t seplen = sizeof(SEP) - 1;
  size_t start = 0, i = 0;

  memset(c, 0, sizeof(*c));
  while (c->n < CANNED_MAX - 1 && i + seplen <= size) {
    if (memcmp(data + i, SEP, seplen) == 0) {
      add_piece(c, data + start, i - start);
      i += seplen;
      start = i;
    } else {
      i++;
    }
  }
  add_piece(c, data + start, size - start);
}

static int canned_ask(void *ctx, enum pc_prompt_style style, const char *prompt,
                      char **answer) {
  const char *a = "value";

  (void)style;
  if (ctx != NULL)
    (*(int *)ctx)++;
  if (strstr(prompt, "assword") != NULL)
    a = "N3w-Passw0rd!";
  else if (strncmp(prompt, "Method", 6) == 0)
    a = "1";
  else if (strstr(prompt, "[Y/n]") != NULL)
    a = "y";
  else if (strstr(prompt, "[1-2]") != NULL) /* USER_AUTH: email or SMS */
    a = "1";
  else if (strstr(prompt, "code") != NULL)
    a = "123456";
  *answer = strdup(a);
  return *answer != NULL ? 0 : -1;
}

static void canned_tell(void *ctx, int is_error, const char *text) {
  /* Read the whole message: a missing terminator shows up under ASan. */
  (void)ctx, (void)is_error;
  (void)strlen(text);
}

const struct pc_prompter canned_prompter = {canned_ask, canned_tell, NULL, 0};

static int holds(const unsigned char *data, size_t size, const char *s) {
  return memmem(data, size, s, strlen(s)) != NULL;
}

void canned_check_login(enum pc_status st, const struct pc_login_result *r,
                        const unsigned char *data, size_t size) {
  static const char *const typed[] = {CANNED_PASSWORD, "N3w-Passw0rd!",
                                      "123456"};
  size_t i;
  int n;

  if (st == PC_OK &&
      (r->tokens.access_token == NULL || r->tokens.id_token == NULL))
    abort();
  if (memchr(r->challenge, '\0', sizeof r->challenge) == NULL ||
      r->err.n_notes < 0 || r->err.n_notes > PC_NOTES_MAX ||
      memchr(r->err.detail, '\0', sizeof r->err.detail) == NULL ||
      memchr(r->err.message, '\0', sizeof r->err.message) == NULL)
    abort();
  for (n = 0; n < r->err.n_notes; n++)
    if (memchr(r->err.note[n].text, '\0', sizeof r->err.note[n].text) == NULL)
      abort();
  for (i = 0; i < sizeof typed / sizeof *typed; i++) {
    if (!holds(data, size, typed[i]) &&
        (strstr(r->err.detail, typed[i]) || strstr(r->err.message, typed[i])))
      abort();
    for (n = 0; n < r->err.n_notes; n++)
      if (!holds(data, size, typed[i]) && strstr(r->err.note[n].text, typed[i]))
        abort();
  }
}
