/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/auxv.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/secret.h"
#include "config/urlpolicy.h"
#include "net/curlmem.h"
#include "net/http.h"

struct pc_http {
  const struct pc_http_ops *ops;
  void *opaque;
  long call_timeout_ms; /* > 0: this call's whole budget (libcurl only) */
  long *budget_ms;      /* shared network time left (login_timeout), or NULL */
  const char *failure;  /* why the last call failed, or NULL */
  enum pc_cause cause;  /* why the last call got no answer below 500 */
  char request_id[80];  /* x-amzn-RequestId of the last answer */
};

/* State of the libcurl transport: one easy handle for the whole login, so
 * that libcurl's connection cache keeps the TLS connection alive. */
struct curl_state {
  CURL *easy;
  struct pc_buf *sink; /* the caller's response buffer during a call */
  int overflow;        /* the answer passed PC_HTTP_MAX_RESPONSE */
  size_t header_bytes; /* of the current answer */
  long timeout_ms;     /* the handle's timeout per call */
  char errbuf[CURL_ERROR_SIZE];
  int nomem;
  int sigv4;        /* pc_http_set_aws_sigv4 was called */
  int socket_errno; /* of a socket() that failed during the call, or 0 */
  /* The request body, read by libcurl through read_cb from the caller's
   * wiped buffer (no copy of ours to forget). */
  const char *up;
  size_t up_len, up_pos;
  char *token_hdr; /* "X-Amz-Security-Token: ..." or NULL; a secret */
};

/* ---- process-wide libcurl initialisation ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

/* Never paired with curl_global_cleanup: we live inside sshd, which may use
 * libcurl or OpenSSL itself, and the cleanup is not thread-safe. */
static void curl_init_once(void) {
  curl_init_rc = pc_curlmem_global_init(CURL_GLOBAL_DEFAULT);
}

int pc_http_global_init(void) {
  if (pc_http_unsafe_environment() != NULL)
    return -1;
  if (pthread_once(&curl_once, curl_init_once) != 0 || curl_init_rc != CURLE_OK)
    return -1;
  return 0;
}

/* ---- generic handle ---- */

struct pc_http *pc_http_new_custom(const struct pc_http_ops *ops,
                                   void *opaque) {
  struct pc_http *h;

  if (ops == NULL || ops->post == NULL)
    return NULL;
  h = calloc(1, sizeof(*h));
  if (h == NULL)
    return NULL;
  h->ops = ops;
  h->opaque = opaque;
  return h;
}

void pc_http_set_call_timeout_ms(struct pc_http *h, long ms) {
  if (h != NULL)
    h->call_timeout_ms = ms;
}

void pc_http_share_budget(struct pc_http *h, long *left_ms) {
  if (h != NULL)
    h->budget_ms = left_ms;
}

void pc_http_charge(struct pc_http *h, long ms) {
  if (h != NULL && h->budget_ms != NULL && ms > 0)
    *h->budget_ms = *h->budget_ms > ms ? *h->budget_ms - ms : 0;
}

long pc_http_budget_left(const struct pc_http *h) {
  return h != NULL && h->budget_ms != NULL ? *h->budget_ms : LONG_MAX;
}

const char *pc_http_failure(const struct pc_http *h) {
  return h ? h->failure : NULL;
}

enum pc_cause pc_http_cause(const struct pc_http *h) {
  return h ? h->cause : PC_CAUSE_NONE;
}

void pc_http_set_cause(struct pc_http *h, enum pc_cause c) {
  if (h != NULL)
    h->cause = c;
}

static long now_ms(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* One call of the transport, within the budget and counted against it. */
static enum pc_status within_budget(struct pc_http *h, const char *url,
                                    const char *target, const char *body,
                                    size_t body_len, long *status,
                                    struct pc_buf *resp) {
  enum pc_status st;
  long start;

  h->failure = NULL;
  h->cause = PC_CAUSE_NONE;
  if (h->budget_ms != NULL && *h->budget_ms <= 0) {
    h->failure = "login_timeout spent: no network time left for this call";
    h->cause = PC_CAUSE_TIMEOUT;
    return PC_ERR_UNAVAIL;
  }
  start = now_ms();
  st = target != NULL
           ? h->ops->post(h, url, target, body, body_len, status, resp)
           : h->ops->get(h, url, status, resp);
  pc_http_charge(h, now_ms() - start);
  if (st == PC_ERR_UNAVAIL && h->failure == NULL && h->budget_ms != NULL &&
      *h->budget_ms <= 0) {
    h->failure = "login_timeout spent during the call";
    h->cause = PC_CAUSE_TIMEOUT;
  }
  /* An answer's status is the server's word: 5xx is its own error. */
  if (st == PC_OK)
    h->cause = *status >= 500 ? PC_CAUSE_SERVER : PC_CAUSE_NONE;
  return st;
}

const char *pc_http_unsafe_environment(void) {
  /* libcurl opens $SSLKEYLOGFILE during global init and writes TLS secrets
   * to it. In a setuid program (su, sudo) that variable is the calling
   * user's: root would create or append to any file they name. */
  if ((getauxval(AT_SECURE) != 0 || getuid() != geteuid()) &&
      getenv("SSLKEYLOGFILE") != NULL)
    return "SSLKEYLOGFILE is set in a setuid program";
  return NULL;
}

const char *pc_http_request_id(const struct pc_http *h) {
  return h ? h->request_id : "";
}

void pc_http_set_request_id(struct pc_http *h, const char *id) {
  if (h != NULL)
    (void)snprintf(h->request_id, sizeof(h->request_id), "%s", id ? id : "");
}

void *pc_http_opaque(struct pc_http *h) {
  return h ? h->opaque : NULL;
}

enum pc_status pc_http_post(struct pc_http *h, const char *url,
                            const char *target, const char *body,
                            size_t body_len, long *status,
                            struct pc_buf *resp) {
  *status = 0;
  /* Start from an empty buffer that cannot grow past the transport limit. */
  pc_buf_free(resp);
  if (resp->max == 0 || resp->max > PC_HTTP_MAX_RESPONSE)
    resp->max = PC_HTTP_MAX_RESPONSE;
  if (h == NULL || url == NULL || target == NULL || body == NULL)
    return PC_ERR_CONFIG;
  h->request_id[0] = '\0';
  /* Refused before any I/O, whatever the transport. */
  if (!pc_url_allowed(url))
    return PC_ERR_CONFIG;
  return within_budget(h, url, target, body, body_len, status, resp);
}

enum pc_status pc_http_post_form(struct pc_http *h, const char *url,
                                 const char *body, size_t body_len,
                                 long *status, struct pc_buf *resp) {
  return pc_http_post(h, url, "", body, body_len, status, resp);
}

enum pc_status pc_http_get(struct pc_http *h, const char *url, long *status,
                           struct pc_buf *resp) {
  *status = 0;
  pc_buf_free(resp);
  if (resp->max == 0 || resp->max > PC_HTTP_MAX_RESPONSE)
    resp->max = PC_HTTP_MAX_RESPONSE;
  if (h == NULL || url == NULL)
    return PC_ERR_CONFIG;
  if (!pc_url_allowed(url))
    return PC_ERR_CONFIG;
  if (h->ops->get == NULL)
    return PC_ERR_UNAVAIL;
  return within_budget(h, url, NULL, NULL, 0, status, resp);
}

void pc_http_free(struct pc_http *h) {
  if (h == NULL)
    return;
  if (h->ops->destroy != NULL)
    h->ops->destroy(h);
  free(h);
}

int pc_http_json_type(const char *ct) {
  static const char *const types[] = {"application/json",
                                      "application/x-amz-json-1.0",
                                      "application/x-amz-json-1.1", NULL};
  size_t len;
  int i;

  if (ct == NULL)
    return 0;
  ct += strspn(ct, " \t");
  len = strcspn(ct, "; \t");
  for (i = 0; types[i] != NULL; i++)
    if (len == strlen(types[i]) && strncasecmp(ct, types[i], len) == 0)
      return 1;
  return 0;
}

/* ---- the libcurl transport ---- */

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *userdata) {
  struct curl_state *cs = userdata;
  size_t n = size * nmemb; /* size is always 1 for the write callback */

  if (pc_buf_append(cs->sink, ptr, n) != 0) {
    if (n > cs->sink->max || cs->sink->len > cs->sink->max - n)
      cs->overflow = 1;
    else
      cs->nomem = 1;
    return 0; /* anything but n aborts the transfer */
  }
  return n;
}

/* The body from the caller's buffer; libcurl copies it only into its own
 * upload buffer, which the wiping allocators (curlmem.c) clear when freed. */
static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *userdata) {
  struct curl_state *cs = userdata;
  size_t n = size * nmemb, left;

  if (cs == NULL || cs->up == NULL)
    return 0;
  left = cs->up_len - cs->up_pos;
  if (n > left)
    n = left;
  memcpy(ptr, cs->up + cs->up_pos, n);
  cs->up_pos += n;
  return n;
}

/* A resend (a reused connection that died, a rewind) starts again. */
static int seek_cb(void *userdata, curl_off_t offset, int origin) {
  struct curl_state *cs = userdata;

  if (cs == NULL || origin != SEEK_SET || offset < 0 ||
      (curl_off_t)cs->up_len < offset)
    return CURL_SEEKFUNC_FAIL;
  cs->up_pos = (size_t)offset;
  return CURL_SEEKFUNC_OK;
}

/* Keep the request id an administrator can quote to AWS support. */
static size_t header_cb(char *ptr, size_t size, size_t nitems, void *userdata) {
  static const char name[] = "x-amzn-requestid:";
  struct pc_http *h = userdata;
  struct curl_state *cs = h->opaque;
  size_t n = size * nitems, len;

  /* libcurl refuses one header line past 100 kB, but not many lines. */
  cs->header_bytes += n;
  if (cs->header_bytes > PC_HTTP_MAX_HEADERS) {
    cs->overflow = 1;
    return 0;
  }
  if (n > sizeof(name) - 1 && strncasecmp(ptr, name, sizeof(name) - 1) == 0) {
    ptr += sizeof(name) - 1;
    n -= sizeof(name) - 1;
    while (n > 0 && (*ptr == ' ' || *ptr == '\t'))
      ptr++, n--;
    for (len = 0; len < n && ptr[len] != '\r' && ptr[len] != '\n'; len++)
      ;
    if (len >= sizeof(h->request_id))
      len = sizeof(h->request_id) - 1;
    memcpy(h->request_id, ptr, len);
    h->request_id[len] = '\0';
  }
  return size * nitems;
}

/* libcurl reports one header line past its 100 kB limit as out of memory
 * (7.88, often with no message), later releases as CURLE_TOO_LARGE. Out of
 * memory after the status line arrived and before any body, while a buffer
 * of that size can still be had, is that limit and not a real shortage. */
static int header_too_large(CURLcode rc, const struct curl_state *cs) {
  void *probe;
  int found;

#if LIBCURL_VERSION_NUM >= 0x080600
  if (rc == CURLE_TOO_LARGE)
    return 1;
#endif
  if (rc != CURLE_OUT_OF_MEMORY)
    return 0;
  if (strstr(cs->errbuf, "header") != NULL)
    return 1;
  if (cs->header_bytes == 0 || (cs->sink != NULL && cs->sink->len > 0))
    return 0;
  probe = malloc(PC_HTTP_MAX_RESPONSE);
  found = probe != NULL;
  free(probe);
  return found;
}

/* "Could not resolve": only the resolver's own "no such name", asked again
 * here (libcurl does not say which failure it got), counts as the name not
 * existing. A lookup that took long timed out (or this process was stopped
 * meanwhile): that is a timeout, and it is not waited for twice. */
static enum pc_cause resolve_cause(const char *url, long took_ms,
                                   long limit_ms) {
  struct addrinfo hints, *res = NULL;
  CURLU *u;
  char *host = NULL;
  enum pc_cause c = PC_CAUSE_OTHER;
  int rc;

  if (took_ms >= 1000 || took_ms >= limit_ms)
    return PC_CAUSE_TIMEOUT;
  u = curl_url();
  if (u == NULL)
    return PC_CAUSE_LOCAL;
  if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc == EAI_NONAME)
      c = PC_CAUSE_NO_NAME;
    else if (rc == EAI_AGAIN)
      c = PC_CAUSE_TIMEOUT;
    else if (rc == EAI_MEMORY || rc == EAI_SYSTEM)
      c = PC_CAUSE_LOCAL;
    if (res != NULL)
      freeaddrinfo(res);
  }
  curl_free(host);
  curl_url_cleanup(u);
  return c;
}

/* Why libcurl got no answer. CURLE_COULDNT_CONNECT alone says little (a
 * socket() that failed with EMFILE gives it too): the system's errno
 * decides. */
static enum pc_cause curl_cause(const struct curl_state *cs, CURLcode rc,
                                const char *url, long took_ms, long limit_ms) {
  long os_errno = 0;

  switch (rc) {
  case CURLE_OPERATION_TIMEDOUT:
    return PC_CAUSE_TIMEOUT;
  case CURLE_OUT_OF_MEMORY:
  case CURLE_FAILED_INIT:
    return PC_CAUSE_LOCAL;
  case CURLE_COULDNT_RESOLVE_HOST:
    return resolve_cause(url, took_ms, limit_ms);
  case CURLE_COULDNT_CONNECT:
    /* socket() itself failed (libcurl keeps no errno for that). */
    if (cs->socket_errno != 0)
      return PC_CAUSE_LOCAL;
    if (curl_easy_getinfo(cs->easy, CURLINFO_OS_ERRNO, &os_errno) != CURLE_OK)
      return PC_CAUSE_OTHER;
    switch (os_errno) {
    case ECONNREFUSED:
    case ENETUNREACH:
    case EHOSTUNREACH:
      return PC_CAUSE_REFUSED;
    case ETIMEDOUT:
      return PC_CAUSE_TIMEOUT;
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case ENOBUFS:
    case EAGAIN:
    case EADDRNOTAVAIL:
      return PC_CAUSE_LOCAL;
    default:
      return PC_CAUSE_OTHER;
    }
  default:
    return PC_CAUSE_OTHER;
  }
}

/* The headers of a POST with X-Amz-Target (none for a GET: target NULL).
 * An empty Expect: stops libcurl from sending "100-continue" and waiting
 * up to a second for the interim reply (older releases do it past 1 kB,
 * and the SRP answer is larger). */
static enum pc_status request_headers(const struct curl_state *cs,
                                      const char *target,
                                      struct curl_slist **hdrs) {
  static const char *const fixed[] = {
      "Content-Type: application/x-amz-json-1.1", "Expect:", NULL};
  static const char *const form[] = {
      "Content-Type: application/x-www-form-urlencoded", "Expect:", NULL};
  struct curl_slist *tmp;
  char target_hdr[160];
  int n;

  /* An empty target: a form for the AWS query protocol (STS). */
  for (n = 0; target != NULL && *target == '\0' && form[n] != NULL; n++) {
    if ((tmp = curl_slist_append(*hdrs, form[n])) == NULL)
      return PC_ERR_NOMEM;
    *hdrs = tmp;
  }
  if (target != NULL && *target == '\0')
    return PC_OK;

  n = snprintf(target_hdr, sizeof(target_hdr), "X-Amz-Target: %s",
               target ? target : "");
  if (n < 0 || (size_t)n >= sizeof(target_hdr))
    return PC_ERR_CONFIG;
  for (n = 0; target != NULL && fixed[n] != NULL; n++) {
    /* libcurl would sign the empty Expect: as a header that is never sent;
     * signed bodies are small enough not to trigger 100-continue. */
    if (cs->sigv4 && strcmp(fixed[n], "Expect:") == 0)
      continue;
    if ((tmp = curl_slist_append(*hdrs, fixed[n])) == NULL)
      return PC_ERR_NOMEM;
    *hdrs = tmp;
  }
  if (target != NULL) {
    if ((tmp = curl_slist_append(*hdrs, target_hdr)) == NULL)
      return PC_ERR_NOMEM;
    *hdrs = tmp;
  }
  if (target != NULL && cs->token_hdr != NULL) {
    if ((tmp = curl_slist_append(*hdrs, cs->token_hdr)) == NULL)
      return PC_ERR_NOMEM;
    *hdrs = tmp;
  }
  return PC_OK;
}

/* This call's time: its own timeout, within what login_timeout left. */
static long call_limit_ms(const struct pc_http *h,
                          const struct curl_state *cs) {
  long limit_ms = h->call_timeout_ms > 0 ? h->call_timeout_ms : cs->timeout_ms;

  if (h->budget_ms != NULL && *h->budget_ms < limit_ms)
    limit_ms = *h->budget_ms;
  return limit_ms < 1 ? 1 : limit_ms;
}

/* The handle set up for one request; 0, or -1 when libcurl refused. */
static int set_request(struct pc_http *h, const char *url, const char *target,
                       const char *body, size_t body_len,
                       struct curl_slist *hdrs, long limit_ms) {
  struct curl_state *cs = h->opaque;

  if (curl_easy_setopt(cs->easy, CURLOPT_TIMEOUT_MS, limit_ms) != CURLE_OK ||
      curl_easy_setopt(cs->easy, CURLOPT_CONNECTTIMEOUT_MS, limit_ms) !=
          CURLE_OK ||
      curl_easy_setopt(cs->easy, CURLOPT_URL, url) != CURLE_OK ||
      curl_easy_setopt(cs->easy, CURLOPT_HEADERFUNCTION, header_cb) !=
          CURLE_OK ||
      curl_easy_setopt(cs->easy, CURLOPT_HEADERDATA, h) != CURLE_OK ||
      curl_easy_setopt(cs->easy, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK)
    return -1;
  if (target == NULL)
    return curl_easy_setopt(cs->easy, CURLOPT_HTTPGET, 1L) != CURLE_OK ? -1 : 0;
  if (curl_easy_setopt(cs->easy, CURLOPT_POST, 1L) != CURLE_OK ||
      curl_easy_setopt(cs->easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       (curl_off_t)body_len) != CURLE_OK ||
      /* SigV4 signs POSTFIELDS only (the sync tool's admin calls, which
       * carry no password); everything else goes through read_cb. */
      curl_easy_setopt(cs->easy, CURLOPT_POSTFIELDS, cs->sigv4 ? body : NULL) !=
          CURLE_OK)
    return -1;
  return 0;
}

/* What libcurl's answer rc means: OK with *status, or the failure (and
 * h->failure's words for a reply too large). is_get: a document (the JWKS),
 * whose Content-Type must name JSON; an API call's reply is judged by its
 * body whatever its Content-Type, as botocore does (moto answers
 * cognito-identity calls as text/html): lib/net/api.c reads a JSON object
 * and nothing else. */
static enum pc_status transfer_status(struct pc_http *h, CURLcode rc,
                                      int is_get, long *status,
                                      struct pc_buf *resp) {
  struct curl_state *cs = h->opaque;
  char *ctype = NULL;

  if (rc == CURLE_OK) {
    if (curl_easy_getinfo(cs->easy, CURLINFO_RESPONSE_CODE, status) !=
            CURLE_OK ||
        *status < 100) {
      *status = 0;
      return PC_ERR_PROTOCOL;
    }
    /* A document that is not JSON (a proxy's or captive portal's page) is
     * never read; the status stays. */
    if (is_get && (curl_easy_getinfo(cs->easy, CURLINFO_CONTENT_TYPE, &ctype) !=
                       CURLE_OK ||
                   !pc_http_json_type(ctype)))
      pc_buf_free(resp);
    return PC_OK;
  }
  if (((rc == CURLE_WRITE_ERROR || rc == CURLE_RECV_ERROR) && cs->overflow) ||
      rc == CURLE_FILESIZE_EXCEEDED || header_too_large(rc, cs)) {
    h->failure =
        cs->header_bytes > PC_HTTP_MAX_HEADERS || header_too_large(rc, cs)
            ? "reply header too large"
            : "reply body too large";
    return PC_ERR_TOO_LARGE;
  }
  if (rc == CURLE_OUT_OF_MEMORY || (rc == CURLE_WRITE_ERROR && cs->nomem))
    return PC_ERR_NOMEM;
  /* Connection refused, DNS, TLS verification, timeout: all mean that no
   * usable answer arrived; the cause says which (lib/net/unavail.h). */
  return PC_ERR_UNAVAIL;
}

/* One request: a JSON POST with X-Amz-Target, or a GET when target is
 * NULL. */
static enum pc_status curl_call(struct pc_http *h, const char *url,
                                const char *target, const char *body,
                                size_t body_len, long *status,
                                struct pc_buf *resp) {
  struct curl_state *cs = h->opaque;
  struct curl_slist *hdrs = NULL;
  enum pc_status st;
  long limit_ms, start;
  CURLcode rc;

  if ((st = request_headers(cs, target, &hdrs)) != PC_OK) {
    curl_slist_free_all(hdrs);
    return st;
  }
  cs->sink = resp;
  cs->up = body;
  cs->up_len = body_len;
  cs->up_pos = 0;
  cs->overflow = 0;
  cs->nomem = 0;
  cs->header_bytes = 0;
  cs->socket_errno = 0;
  cs->errbuf[0] = '\0';
  limit_ms = call_limit_ms(h, cs);
  if (set_request(h, url, target, body, body_len, hdrs, limit_ms) != 0) {
    st = PC_ERR_CONFIG;
  } else {
    start = now_ms();
    rc = curl_easy_perform(cs->easy);
    st = transfer_status(h, rc, target == NULL, status, resp);
    if (st != PC_OK) {
      h->cause = st == PC_ERR_NOMEM
                     ? PC_CAUSE_LOCAL
                     : curl_cause(cs, rc, url, now_ms() - start, limit_ms);
      *status = 0;
      pc_buf_free(resp);
    }
  }
  /* Do not leave libcurl pointing at memory the caller is about to wipe. */
  (void)curl_easy_setopt(cs->easy, CURLOPT_HTTPHEADER, NULL);
  (void)curl_easy_setopt(cs->easy, CURLOPT_POSTFIELDS, NULL);
  (void)curl_easy_setopt(cs->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
  cs->sink = NULL;
  cs->up = NULL;
  cs->up_len = cs->up_pos = 0;
  curl_slist_free_all(hdrs);
  return st;
}

static enum pc_status curl_post(struct pc_http *h, const char *url,
                                const char *target, const char *body,
                                size_t body_len, long *status,
                                struct pc_buf *resp) {
  return curl_call(h, url, target, body, body_len, status, resp);
}

static enum pc_status curl_get(struct pc_http *h, const char *url, long *status,
                               struct pc_buf *resp) {
  return curl_call(h, url, NULL, NULL, 0, status, resp);
}

static void curl_destroy(struct pc_http *h) {
  struct curl_state *cs = h->opaque;

  if (cs == NULL)
    return;
  if (cs->easy != NULL)
    curl_easy_cleanup(cs->easy);
  pc_free_secret(&cs->token_hdr);
  free(cs);
  h->opaque = NULL;
}

static const struct pc_http_ops curl_ops = {curl_post, curl_destroy, curl_get};

/* Sockets close on exec: a pool's idle connection outlives the pam_sm_*
 * call and must not reach the programs the application starts. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose,
                                 struct curl_sockaddr *a) {
  struct curl_state *cs = clientp;
  int fd;

  (void)purpose;
  fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
  if (fd < 0 && cs != NULL) /* EMFILE and the like: this host's shortage */
    cs->socket_errno = errno != 0 ? errno : -1;
  return fd < 0 ? CURL_SOCKET_BAD : fd;
}

/* Options that hold for every call of this handle. */
static int curl_setup(CURL *e, long timeout, const char *ca_file,
                      struct curl_state *cs) {
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0: the string forms */
  if (curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https") != CURLE_OK)
    return -1;
#else
  if (curl_easy_setopt(e, CURLOPT_PROTOCOLS,
                       (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)CURLPROTO_HTTPS) !=
          CURLE_OK)
    return -1;
#endif
  /* NOSIGNAL: no SIGALRM-based DNS timeouts inside sshd, which uses
   * alarm() for LoginGraceTime. */
  if (curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
      /* No proxy from the environment: under su or sudo it is the calling
       * user's, who could route the login through a host of their own. */
      curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_NOPROXY, "*") != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, timeout) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_TIMEOUT, timeout) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2) !=
          CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_MAXREDIRS, 0L) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
                       (curl_off_t)PC_HTTP_MAX_RESPONSE) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_USERAGENT, "pam_cognito/" PACKAGE_VERSION) !=
          CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEDATA, cs) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_READDATA, cs) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, seek_cb) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_SEEKDATA, cs) != CURLE_OK ||
      (cs != NULL &&
       curl_easy_setopt(e, CURLOPT_ERRORBUFFER, cs->errbuf) != CURLE_OK) ||
      curl_easy_setopt(e, CURLOPT_POST, 1L) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket) !=
          CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, cs) != CURLE_OK ||
      /* Idle connections go to the server's tcp keep-alive, not a NAT's
       * timeout, while a person types a code. */
      curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK)
    return -1;
  if (ca_file != NULL &&
      curl_easy_setopt(e, CURLOPT_CAINFO, ca_file) != CURLE_OK)
    return -1;
  return 0;
}

struct pc_http *pc_http_new(long timeout, const char *ca_file) {
  struct curl_state *cs;
  struct pc_http *h;

  if (pc_http_global_init() != 0)
    return NULL;
  if (timeout < 1)
    timeout = 10;
  cs = calloc(1, sizeof(*cs));
  if (cs == NULL)
    return NULL;
  cs->timeout_ms = timeout * 1000L;
  cs->easy = curl_easy_init();
  if (cs->easy == NULL || curl_setup(cs->easy, timeout, ca_file, cs) != 0)
    goto fail;
  h = pc_http_new_custom(&curl_ops, cs);
  if (h == NULL)
    goto fail;
  return h;
fail:
  if (cs->easy != NULL)
    curl_easy_cleanup(cs->easy);
  free(cs);
  return NULL;
}

/* ---- a pool of connections shared by the handles of one PAM transaction
 * (see http.h); the warm-up (lib/login/warmup.c) fills it ---- */

struct pc_http_pool {
  CURLSH *share;
  pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
};

static void pool_lock(CURL *e, curl_lock_data data, curl_lock_access access,
                      void *userptr) {
  struct pc_http_pool *p = userptr;

  (void)e;
  (void)access;
  if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
    (void)pthread_mutex_lock(&p->locks[data]);
}

static void pool_unlock(CURL *e, curl_lock_data data, void *userptr) {
  struct pc_http_pool *p = userptr;

  (void)e;
  if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
    (void)pthread_mutex_unlock(&p->locks[data]);
}

void pc_http_pool_free(struct pc_http_pool *p) {
  int i;

  if (p == NULL)
    return;
  /* Every handle that used it is gone by now: this closes the connections. */
  if (p->share != NULL)
    (void)curl_share_cleanup(p->share);
  for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
    (void)pthread_mutex_destroy(&p->locks[i]);
  free(p);
}

struct pc_http_pool *pc_http_pool_new(void) {
  struct pc_http_pool *p;
  int i;

  if (pc_http_global_init() != 0)
    return NULL;
  p = calloc(1, sizeof(*p));
  if (p == NULL)
    return NULL;
  for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
    (void)pthread_mutex_init(&p->locks[i], NULL);
  p->share = curl_share_init();
  if (p->share == NULL ||
      curl_share_setopt(p->share, CURLSHOPT_LOCKFUNC, pool_lock) !=
          CURLSHE_OK ||
      curl_share_setopt(p->share, CURLSHOPT_UNLOCKFUNC, pool_unlock) !=
          CURLSHE_OK ||
      curl_share_setopt(p->share, CURLSHOPT_USERDATA, p) != CURLSHE_OK ||
      curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) !=
          CURLSHE_OK ||
      curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) !=
          CURLSHE_OK ||
      curl_share_setopt(p->share, CURLSHOPT_SHARE,
                        CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
    pc_http_pool_free(p);
    return NULL;
  }
  return p;
}

int pc_http_use_pool(struct pc_http *h, struct pc_http_pool *p) {
  struct curl_state *cs;

  if (h == NULL || p == NULL || h->ops != &curl_ops)
    return -1;
  cs = h->opaque;
  return curl_easy_setopt(cs->easy, CURLOPT_SHARE, p->share) == CURLE_OK ? 0
                                                                         : -1;
}

/* A warm-up answer is read and dropped (its size is bounded by the
 * handle's MAXFILESIZE and its time by the timeout). */
static size_t drop_cb(char *ptr, size_t size, size_t nmemb, void *userdata) {
  (void)ptr;
  (void)userdata;
  return size * nmemb;
}

void *pc_http_pool_get_handle(struct pc_http_pool *p, const char *url,
                              long timeout, const char *ca_file) {
  CURL *e;

  if (p == NULL || !pc_url_allowed(url) || pc_http_global_init() != 0)
    return NULL;
  if (timeout < 1)
    timeout = 10;
  e = curl_easy_init();
  if (e == NULL)
    return NULL;
  if (curl_setup(e, timeout, ca_file, NULL) != 0 ||
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, drop_cb) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEDATA, NULL) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_SHARE, p->share) != CURLE_OK) {
    curl_easy_cleanup(e);
    return NULL;
  }
  return e;
}

int pc_http_set_proxy(struct pc_http *h, const char *url) {
  struct curl_state *cs;

  if (h == NULL || h->ops != &curl_ops || url == NULL)
    return -1;
  cs = h->opaque;
  return curl_easy_setopt(cs->easy, CURLOPT_PROXY, url) == CURLE_OK &&
                 curl_easy_setopt(cs->easy, CURLOPT_NOPROXY, "") == CURLE_OK
             ? 0
             : -1;
}

/* ---- AWS Signature Version 4 (admin API calls of pam_cognito-sync) ---- */

#if LIBCURL_VERSION_NUM >= 0x074b00 /* 7.75.0 brought CURLOPT_AWS_SIGV4 */
int pc_http_set_aws_sigv4(struct pc_http *h, const char *region,
                          const char *service, const char *key_id,
                          const char *secret, const char *session_token) {
  struct curl_state *cs;
  char provider[128];
  size_t len;
  int n;

  if (h == NULL || h->ops != &curl_ops || region == NULL || service == NULL ||
      key_id == NULL || secret == NULL)
    return -1;
  cs = h->opaque;
  n = snprintf(provider, sizeof(provider), "aws:amz:%s:%s", region, service);
  if (n < 0 || (size_t)n >= sizeof(provider))
    return -1;
  pc_free_secret(&cs->token_hdr);
  if (session_token != NULL) {
    /* The header goes into the slist of each call, and libcurl signs every
     * x-amz-* header it is given, so the token is covered by the
     * signature as AWS expects. */
    len = sizeof("X-Amz-Security-Token: ") + strlen(session_token);
    cs->token_hdr = malloc(len);
    if (cs->token_hdr == NULL)
      return -1;
    n = snprintf(cs->token_hdr, len, "X-Amz-Security-Token: %s", session_token);
    if (n < 0 || (size_t)n >= len) {
      pc_free_secret(&cs->token_hdr);
      return -1;
    }
  }
  if (curl_easy_setopt(cs->easy, CURLOPT_AWS_SIGV4, provider) != CURLE_OK ||
      curl_easy_setopt(cs->easy, CURLOPT_USERNAME, key_id) != CURLE_OK ||
      curl_easy_setopt(cs->easy, CURLOPT_PASSWORD, secret) != CURLE_OK) {
    pc_free_secret(&cs->token_hdr);
    return -1;
  }
  cs->sigv4 = 1;
  return 0;
}
#else
int pc_http_set_aws_sigv4(struct pc_http *h, const char *region,
                          const char *service, const char *key_id,
                          const char *secret, const char *session_token) {
  (void)h;
  (void)region;
  (void)service;
  (void)key_id;
  (void)secret;
  (void)session_token;
  return -1;
}
#endif
