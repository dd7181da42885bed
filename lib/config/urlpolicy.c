/* SPDX-License-Identifier: MIT */
/* The URL policy; see urlpolicy.h. */
#include "config.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "config/urlpolicy.h"

static int host_is_loopback(const char *host) {
  struct in_addr a4;
  struct in6_addr a6;
  size_t len = strlen(host);
  char v6[64];

  if (strcasecmp(host, "localhost") == 0)
    return 1;
  if (inet_pton(AF_INET, host, &a4) == 1)
    return (ntohl(a4.s_addr) >> 24) == 127;
  /* libcurl hands IPv6 literals back in brackets. */
  if (len > 2 && host[0] == '[' && host[len - 1] == ']' &&
      len - 2 < sizeof(v6)) {
    memcpy(v6, host + 1, len - 2);
    v6[len - 2] = '\0';
    return inet_pton(AF_INET6, v6, &a6) == 1 &&
           memcmp(&a6, &in6addr_loopback, sizeof(a6)) == 0;
  }
  return 0;
}

/* The instance metadata service's link-local addresses (IPv4, and the
 * Nitro IPv6 one as libcurl spells it). */
static int host_is_metadata(const char *host) {
  return strcmp(host, "169.254.169.254") == 0 ||
         strcasecmp(host, "[fd00:ec2::254]") == 0;
}

/* Parse with libcurl's own URL parser, so that the host we judge is exactly
 * the host libcurl would connect to (userinfo, ports, brackets, odd IPv4
 * spellings all resolved the same way). Plain http is allowed to loopback,
 * and to the metadata service when metadata is set. */
static int url_allowed(const char *url, int metadata) {
  CURLU *u;
  char *scheme = NULL, *host = NULL;
  int ok = 0;

  if (url == NULL || *url == '\0')
    return 0;
  u = curl_url();
  if (u == NULL)
    return 0;
  if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
    goto out;
  if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
    goto out;
  if (host[0] == '\0')
    goto out;
  if (strcasecmp(scheme, "https") == 0)
    ok = 1;
  else if (strcasecmp(scheme, "http") == 0)
    ok = host_is_loopback(host) || (metadata && host_is_metadata(host));
out:
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  return ok;
}

int pc_url_allowed(const char *url) {
  return url_allowed(url, 0);
}

int pc_metadata_url_allowed(const char *url) {
  return url_allowed(url, 1);
}
