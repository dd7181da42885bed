/* SPDX-License-Identifier: MIT */
/* S3 object PUT and conditional GET (s3.h). libcurl signs with SigV4
 * (CURLOPT_AWS_SIGV4, service s3: it also sends x-amz-content-sha256);
 * the session token goes in as an x-amz-* header, which libcurl signs. */
#include "config.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/codec.h"
#include "base/secret.h"
#include "config/urlpolicy.h"
#include "net/curlmem.h"
#include "sync/s3.h"

struct reply {
  struct pc_buf body; /* capped at PC_S3_MAX */
  int too_big;
  char etag[PC_S3_ETAG_MAX];
};

/* Append key (an object key, bytes as they are) to b as SigV4 wants the
 * path of S3: each segment percent-encoded (RFC 3986 unreserved kept, every
 * other byte %XX), the '/' between segments kept. libcurl signs the path it
 * sends (CURLOPT_AWS_SIGV4 does not encode it again for s3), so what is
 * sent is what S3 computes from the key. A segment "." or "..", which the
 * URL parser would remove, or a control character, is refused: -1. */
static int key_path(struct pc_buf *b, const char *key) {
  const char *p = key;

  for (;;) {
    size_t n = strcspn(p, "/");
    char *seg = strndup(p, n);
    size_t i;
    int bad = seg == NULL || strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0;

    for (i = 0; !bad && i < n; i++)
      bad = (unsigned char)seg[i] < 0x20 || seg[i] == 0x7f;
    if (bad || pc_pct_encode(b, seg) != 0) {
      free(seg);
      return -1;
    }
    free(seg);
    if (p[n] == '\0')
      return 0;
    if (pc_buf_append(b, "/", 1) != 0)
      return -1;
    p += n + 1;
  }
}

/* s3://bucket/key: the bucket's virtual-hosted URL in cfg's region. */
static char *s3_url(const struct pc_config *cfg, const char *url) {
  const char *slash = strchr(url + 5, '/');
  struct pc_buf b;
  char *out = NULL;

  if (slash == NULL || slash == url + 5 || slash[1] == '\0' ||
      cfg->region == NULL)
    return NULL;
  pc_buf_init(&b, 16 * 1024);
  if (pc_buf_appendf(&b, "https://%.*s.s3.%s.amazonaws.com/",
                     (int)(slash - (url + 5)), url + 5, cfg->region) == 0 &&
      key_path(&b, slash + 1) == 0 && pc_buf_append(&b, "", 1) == 0)
    out = strdup(b.data);
  pc_buf_free(&b);
  return out;
}

/* An https:// (or loopback http://) URL with its path put in that form:
 * the path as libcurl's parser reads it, %XX decoded, then encoded again
 * segment by segment ("a+b" and "a%2Bb" both name the key "a+b"). The
 * scheme, host and query are kept as written (libcurl's own URL builder
 * would turn the hex digits to lower case, which SigV4 does not take). */
static char *https_url(const char *url) {
  CURLU *u = pc_url_allowed(url) ? curl_url() : NULL;
  const char *auth = strstr(url, "://"), *rest;
  char *path = NULL, *out = NULL;
  struct pc_buf b;

  if (u == NULL || auth == NULL) {
    curl_url_cleanup(u);
    return NULL;
  }
  auth += 3;
  rest = auth + strcspn(auth, "/?#");
  pc_buf_init(&b, 16 * 1024);
  if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) == CURLUE_OK &&
      path[0] == '/' && pc_buf_append(&b, url, (size_t)(rest - url)) == 0 &&
      pc_buf_append(&b, "/", 1) == 0 && key_path(&b, path + 1) == 0 &&
      pc_buf_appendf(&b, "%.*s", (int)strcspn(rest + strcspn(rest, "?#"), "#"),
                     rest + strcspn(rest, "?#")) == 0 &&
      pc_buf_append(&b, "", 1) == 0)
    out = strdup(b.data);
  curl_free(path);
  curl_url_cleanup(u);
  pc_buf_free(&b);
  return out;
}

char *pc_s3_http_url(const struct pc_config *cfg, const char *url) {
  return strncmp(url, "s3://", 5) == 0 ? s3_url(cfg, url) : https_url(url);
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud) {
  struct reply *r = ud;
  size_t len = sz * n;

  if (len > r->body.max || r->body.len > r->body.max - len) {
    r->too_big = 1;
    return 0;
  }
  return pc_buf_append(&r->body, p, len) == 0 ? len : 0;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud) {
  struct reply *r = ud;
  size_t len = sz * n, v;

  if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
    for (v = 5; v < len && (p[v] == ' ' || p[v] == '\t'); v++)
      ;
    while (len > v &&
           (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
      len--;
    if (len - v < sizeof(r->etag)) {
      memcpy(r->etag, p + v, len - v);
      r->etag[len - v] = '\0';
    }
  }
  return sz * n;
}

/* S3 wants the payload's SHA-256 in x-amz-content-sha256 on every SigV4
 * request; libcurl signs the header with the others it is given. */
static struct curl_slist *payload_hash(const char *body, size_t len) {
  unsigned char md[32];
  unsigned int mdlen = 0;
  char line[96];
  size_t i, n;

  if (EVP_Digest(body != NULL ? body : "", len, md, &mdlen, EVP_sha256(),
                 NULL) != 1 ||
      mdlen != sizeof(md))
    return NULL;
  n = (size_t)snprintf(line, sizeof(line), "x-amz-content-sha256: ");
  for (i = 0; i < sizeof(md); i++)
    n += (size_t)snprintf(line + n, sizeof(line) - n, "%02x", md[i]);
  return curl_slist_append(NULL, line);
}

/* The headers of a call: payload hash, token and one more (may be NULL). */
static struct curl_slist *headers(const struct pc_chain_creds *cr,
                                  const char *body, size_t len,
                                  const char *extra) {
  struct curl_slist *h = payload_hash(body, len), *t;
  char line[4096];

  if (h == NULL)
    return NULL;
  if (cr->token != NULL) {
    (void)snprintf(line, sizeof(line), "X-Amz-Security-Token: %s", cr->token);
    t = curl_slist_append(h, line);
    pc_wipe(line, sizeof(line));
    if (t == NULL) {
      curl_slist_free_all(h);
      return NULL;
    }
    h = t;
  }
  if (extra != NULL) {
    t = curl_slist_append(h, extra);
    if (t == NULL) {
      curl_slist_free_all(h);
      return NULL;
    }
    h = t;
  }
  return h;
}

static int setup(CURL *e, const struct pc_config *cfg,
                 const struct pc_chain_creds *cr, const char *url,
                 struct curl_slist *h, struct reply *r) {
  char provider[128];

  (void)snprintf(provider, sizeof(provider), "aws:amz:%s:s3", cfg->region);
  return curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") !=
                     CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_TIMEOUT, cfg->timeout) !=
                     CURLE_OK ||
                 (cfg->ca_file != NULL &&
                  curl_easy_setopt(e, CURLOPT_CAINFO, cfg->ca_file) !=
                      CURLE_OK) ||
                 curl_easy_setopt(e, CURLOPT_AWS_SIGV4, provider) != CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_USERNAME, cr->key_id) !=
                     CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_PASSWORD, cr->secret) !=
                     CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_HTTPHEADER, h) != CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) !=
                     CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_WRITEDATA, r) != CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) !=
                     CURLE_OK ||
                 curl_easy_setopt(e, CURLOPT_HEADERDATA, r) != CURLE_OK
             ? -1
             : 0;
}

/* One call; *status the HTTP status. PC_OK when it was answered. */
static enum pc_status call(const struct pc_config *cfg,
                           const struct pc_chain_creds *cr, const char *url,
                           const char *put, size_t put_len, const char *extra,
                           struct reply *r, long *status,
                           struct pc_error *err) {
  char *http;
  struct curl_slist *h;
  CURL *e;
  enum pc_status st = PC_OK;
  CURLcode rc;

  /* libcurl's allocators wipe before anything holds the keys or token. */
  if (pc_curlmem_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return pc_error_set(err, PC_ERR_NOMEM, "%s: cannot initialise libcurl",
                        url);
  http = pc_s3_http_url(cfg, url);
  h = headers(cr, put, put_len, extra);
  e = curl_easy_init();
  if (http == NULL || e == NULL || h == NULL ||
      setup(e, cfg, cr, http, h, r) != 0 ||
      (put != NULL &&
       (curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT") != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, put) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)put_len) !=
            CURLE_OK))) {
    st = pc_error_set(err, PC_ERR_CONFIG, "%s: cannot set up the request", url);
    goto out;
  }
  rc = curl_easy_perform(e);
  if (rc != CURLE_OK) {
    st = pc_error_set(err, PC_ERR_UNAVAIL, "%s: %s", url,
                      r->too_big ? "the object is too large"
                                 : curl_easy_strerror(rc));
    goto out;
  }
  (void)curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
out:
  curl_slist_free_all(h);
  curl_easy_cleanup(e);
  free(http);
  return st;
}

enum pc_status pc_s3_put(const struct pc_config *cfg,
                         const struct pc_chain_creds *cr, const char *url,
                         const char *body, size_t len, struct pc_error *err) {
  struct reply r;
  long status = 0;
  enum pc_status st;

  memset(&r, 0, sizeof(r));
  pc_buf_init(&r.body, (size_t)PC_S3_MAX);
  st = call(cfg, cr, url, body, len, "Content-Type: application/json", &r,
            &status, err);
  pc_buf_free(&r.body);
  if (st == PC_OK && status != 200)
    st = pc_error_set(err, status == 403 ? PC_ERR_AUTH : PC_ERR_UNAVAIL,
                      "%s: PUT answered HTTP %ld", url, status);
  return st;
}

enum pc_status pc_s3_get(const struct pc_config *cfg,
                         const struct pc_chain_creds *cr, const char *url,
                         char etag[PC_S3_ETAG_MAX], char **body, size_t *len,
                         struct pc_error *err) {
  char cond[PC_S3_ETAG_MAX + 32];
  struct reply r;
  long status = 0;
  size_t n;
  enum pc_status st;

  memset(&r, 0, sizeof(r));
  pc_buf_init(&r.body, (size_t)PC_S3_MAX);
  *body = NULL;
  *len = 0;
  (void)snprintf(cond, sizeof(cond), "If-None-Match: %s", etag);
  st = call(cfg, cr, url, NULL, 0, etag[0] != '\0' ? cond : NULL, &r, &status,
            err);
  if (st == PC_OK && status == 304)
    st = PC_ABSENT;
  else if (st == PC_OK && status != 200)
    st = pc_error_set(err, status == 403 ? PC_ERR_AUTH : PC_ERR_UNAVAIL,
                      "%s: GET answered HTTP %ld", url, status);
  if (st != PC_OK) {
    pc_buf_free(&r.body);
    return st;
  }
  n = r.body.len;
  *body = pc_buf_take(&r.body);
  if (*body == NULL)
    return pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  *len = n;
  memcpy(etag, r.etag, sizeof(r.etag));
  return PC_OK;
}
