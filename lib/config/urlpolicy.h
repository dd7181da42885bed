/* SPDX-License-Identifier: MIT */
/* urlpolicy: which endpoint URLs the module may use at all. The
 * configuration checks every endpoint key with it at load, and the
 * transport checks every URL again before it connects. */
#ifndef PAM_COGNITO_URLPOLICY_H
#define PAM_COGNITO_URLPOLICY_H

/* 1 when url is https://..., or http:// to a loopback host (127.0.0.0/8,
 * ::1, localhost); 0 otherwise. */
int pc_url_allowed(const char *url);

/* pc_url_allowed, and also http:// to the instance metadata service
 * (169.254.169.254 or [fd00:ec2::254]): that is how IMDS is reached. */
int pc_metadata_url_allowed(const char *url);

#endif
