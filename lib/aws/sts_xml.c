/* SPDX-License-Identifier: MIT */
/* The STS answer reader; see sts_xml.h for the subset it accepts. The
 * values of the wanted fields go into wiping buffers (they hold the secret
 * key and the session token); nothing else of the document is kept. */
#include "config.h"

#include <string.h>

#include "aws/sts_xml.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/secret.h"

#define XML_MAX_DEPTH 8
#define XML_MAX_NAME 64
#define XML_MAX_FIELD 8192

enum field { F_AKID, F_SECRET, F_TOKEN, F_EXP, F_CODE, F_MSG, NFIELDS };

#define CREDS                                                                  \
  "AssumeRoleWithWebIdentityResponse/AssumeRoleWithWebIdentityResult/"         \
  "Credentials/"
static const char *const field_path[NFIELDS] = {
    CREDS "AccessKeyId",        CREDS "SecretAccessKey",
    CREDS "SessionToken",       CREDS "Expiration",
    "ErrorResponse/Error/Code", "ErrorResponse/Error/Message"};

struct reader {
  const char *p, *end;
  char path[XML_MAX_DEPTH * (XML_MAX_NAME + 1) + 1]; /* "a/b/c" */
  size_t mark[XML_MAX_DEPTH]; /* path length before each open element */
  int depth, roots, current;  /* current: the field being read, or -1 */
  int stray_error;            /* an Error element outside an ErrorResponse */
  int seen[NFIELDS];
  struct pc_buf val[NFIELDS];
};

static int is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void skip_ws(struct reader *r) {
  while (r->p < r->end && is_ws(*r->p))
    r->p++;
}

static int starts(const struct reader *r, const char *s) {
  size_t n = strlen(s);

  return (size_t)(r->end - r->p) >= n && memcmp(r->p, s, n) == 0;
}

/* A name: [A-Za-z_][A-Za-z0-9_.:-]*, at most XML_MAX_NAME bytes; its
 * length, or 0. */
static size_t name_len(const struct reader *r) {
  size_t n = 0;
  char c;

  while (r->p + n < r->end && n <= XML_MAX_NAME) {
    c = r->p[n];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
        (n > 0 && ((c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-')))
      n++;
    else
      break;
  }
  return n > XML_MAX_NAME ? 0 : n;
}

/* Attributes up to '>' or "/>": name = "value" or 'value', no '<' or '&'
 * in a value (STS sends only xmlns). 0, or -1. */
static int attributes(struct reader *r, int *empty) {
  size_t n;
  char q;

  for (;;) {
    int had_ws = r->p < r->end && is_ws(*r->p);

    skip_ws(r);
    if (starts(r, "/>") || starts(r, ">")) {
      *empty = *r->p == '/';
      r->p += *empty ? 2 : 1;
      return 0;
    }
    if (!had_ws || (n = name_len(r)) == 0)
      return -1;
    r->p += n;
    skip_ws(r);
    if (r->p >= r->end || *r->p++ != '=')
      return -1;
    skip_ws(r);
    if (r->p >= r->end || (*r->p != '"' && *r->p != '\''))
      return -1;
    q = *r->p++;
    while (r->p < r->end && *r->p != q && *r->p != '<' && *r->p != '&')
      r->p++;
    if (r->p >= r->end || *r->p++ != q)
      return -1;
  }
}

static int field_of(const char *path) {
  int i;

  for (i = 0; i < NFIELDS; i++)
    if (strcmp(path, field_path[i]) == 0)
      return i;
  return -1;
}

static void close_element(struct reader *r) {
  r->depth--;
  r->path[r->mark[r->depth]] = '\0';
  r->current = -1; /* a wanted field has no children: it was the top */
}

/* "<name attrs>" or "<name attrs/>". 0, or -1. */
static int open_tag(struct reader *r) {
  size_t n, at;
  int empty = 0;

  r->p++; /* '<' */
  n = name_len(r);
  if (n == 0 || r->current >= 0 || r->depth >= XML_MAX_DEPTH ||
      (r->depth == 0 && r->roots++ > 0))
    return -1;
  at = strlen(r->path);
  r->mark[r->depth] = at;
  if (r->depth > 0)
    r->path[at++] = '/';
  memcpy(r->path + at, r->p, n);
  r->path[at + n] = '\0';
  r->p += n;
  r->depth++;
  if (attributes(r, &empty) != 0)
    return -1;
  r->current = field_of(r->path);
  /* A success that also names an error is neither. */
  if (n == 5 && memcmp(r->path + at, "Error", 5) == 0 &&
      strncmp(r->path, "ErrorResponse/", 14) != 0)
    r->stray_error = 1;
  if (r->current >= 0 && r->seen[r->current]++)
    return -1; /* a field twice */
  if (empty)
    close_element(r);
  return 0;
}

/* "</name>", naming the open element. 0, or -1. */
static int close_tag(struct reader *r) {
  const char *top;
  size_t n;

  r->p += 2;
  n = name_len(r);
  if (r->depth == 0 || n == 0)
    return -1;
  top = r->path + r->mark[r->depth - 1] + (r->depth > 1);
  if (strlen(top) != n || memcmp(top, r->p, n) != 0)
    return -1;
  r->p += n;
  skip_ws(r);
  if (r->p >= r->end || *r->p++ != '>')
    return -1;
  close_element(r);
  return 0;
}

/* One entity after '&': the five named ones and &#N; / &#xN; of printable
 * ASCII, tab, CR or LF. The character, or -1. */
static int entity(struct reader *r) {
  static const struct {
    const char *name;
    char c;
  } named[] = {{"amp;", '&'},
               {"lt;", '<'},
               {"gt;", '>'},
               {"quot;", '"'},
               {"apos;", '\''}};
  size_t i;
  long v = 0;
  int hex, digits = 0;

  r->p++; /* '&' */
  for (i = 0; i < sizeof named / sizeof *named; i++)
    if (starts(r, named[i].name)) {
      r->p += strlen(named[i].name);
      return (unsigned char)named[i].c;
    }
  if (!starts(r, "#"))
    return -1;
  r->p++;
  hex = starts(r, "x");
  r->p += hex;
  for (; r->p < r->end && *r->p != ';' && digits < 6; r->p++, digits++) {
    char c = *r->p;
    int d = c >= '0' && c <= '9'          ? c - '0'
            : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
            : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : -1;
    if (d < 0)
      return -1;
    v = v * (hex ? 16 : 10) + d;
  }
  if (digits == 0 || r->p >= r->end || *r->p++ != ';')
    return -1;
  return (v >= 32 && v < 127) || v == 9 || v == 10 || v == 13 ? (int)v : -1;
}

/* Text up to the next '<'. Kept for the field being read; outside the root
 * only blanks. 0, or -1. */
static int text(struct reader *r) {
  while (r->p < r->end && *r->p != '<') {
    int c = *r->p == '&' ? entity(r) : (unsigned char)*r->p++;
    char ch = (char)c;

    /* no control characters but tab, CR and LF */
    if (c < 0 || (c < 32 && c != 9 && c != 10 && c != 13) || c == 127)
      return -1;
    if (r->depth == 0 && !is_ws(ch))
      return -1;
    if (r->current >= 0 && pc_buf_append(&r->val[r->current], &ch, 1) != 0)
      return -1;
  }
  return 0;
}

/* The whole document. 0, or -1. */
static int read_doc(struct reader *r) {
  if (starts(r, "<?xml")) { /* the declaration, first of all */
    r->p += 5;
    while (r->p < r->end && !starts(r, "?>") && *r->p != '<')
      r->p++;
    if (!starts(r, "?>"))
      return -1;
    r->p += 2;
  }
  while (r->p < r->end) {
    if (*r->p != '<') {
      if (text(r) != 0)
        return -1;
    } else if (starts(r, "</")) {
      if (close_tag(r) != 0)
        return -1;
    } else if (starts(r, "<!") || starts(r, "<?")) {
      return -1; /* DOCTYPE, CDATA, comments, processing instructions */
    } else if (open_tag(r) != 0) {
      return -1;
    }
  }
  return r->depth == 0 && r->roots == 1 ? 0 : -1;
}

/* Expiration: "YYYY-MM-DDTHH:MM:SS[.fraction]Z", the fraction dropped. */
static int expiration(const char *s, long long *out) {
  char whole[21];
  size_t n = strlen(s), i;

  if (n < 20 || s[n - 1] != 'Z')
    return -1;
  if (n > 20) {
    if (s[19] != '.' || n == 21)
      return -1;
    for (i = 20; i < n - 1; i++)
      if (s[i] < '0' || s[i] > '9')
        return -1;
  }
  memcpy(whole, s, 19);
  whole[19] = 'Z';
  whole[20] = '\0';
  return pc_iso8601_parse(whole, out);
}

static const char *val(const struct reader *r, int f) {
  return r->seen[f] && r->val[f].data != NULL ? r->val[f].data : NULL;
}

static enum pc_sts_kind result(const struct reader *r,
                               struct pc_aws_creds *creds, char *code,
                               size_t code_n, char *message, size_t message_n) {
  if (val(r, F_CODE) != NULL && !r->seen[F_AKID] && !r->seen[F_SECRET] &&
      !r->seen[F_TOKEN] && !r->seen[F_EXP]) {
    pc_sanitize(code, code_n, val(r, F_CODE));
    pc_sanitize(message, message_n, val(r, F_MSG) ? val(r, F_MSG) : "");
    return PC_STS_ERROR;
  }
  if (r->stray_error || r->seen[F_CODE] || r->seen[F_MSG] ||
      val(r, F_AKID) == NULL || val(r, F_SECRET) == NULL ||
      val(r, F_TOKEN) == NULL || val(r, F_EXP) == NULL ||
      expiration(val(r, F_EXP), &creds->expiration) != 0)
    return PC_STS_MALFORMED;
  creds->access_key_id = pc_strdup(val(r, F_AKID));
  creds->secret_access_key = pc_strdup(val(r, F_SECRET));
  creds->session_token = pc_strdup(val(r, F_TOKEN));
  if (!creds->access_key_id || !creds->secret_access_key ||
      !creds->session_token) {
    pc_aws_creds_free(creds);
    return PC_STS_MALFORMED;
  }
  return PC_STS_CREDENTIALS;
}

enum pc_sts_kind pc_sts_xml_parse(const char *xml, size_t len,
                                  struct pc_aws_creds *creds, char *code,
                                  size_t code_n, char *message,
                                  size_t message_n) {
  struct reader r;
  enum pc_sts_kind k = PC_STS_MALFORMED;
  int i;

  memset(creds, 0, sizeof *creds);
  if (code_n > 0)
    code[0] = '\0';
  if (message_n > 0)
    message[0] = '\0';
  if (xml == NULL)
    return k;
  memset(&r, 0, sizeof r);
  r.p = xml;
  r.end = xml + len;
  r.current = -1;
  for (i = 0; i < NFIELDS; i++)
    pc_buf_init(&r.val[i], XML_MAX_FIELD);
  if (read_doc(&r) == 0)
    k = result(&r, creds, code, code_n, message, message_n);
  for (i = 0; i < NFIELDS; i++)
    pc_buf_free(&r.val[i]);
  return k;
}
