/* SPDX-License-Identifier: MIT */
/* Written by fuzz/gen-corpus from fuzz/fixture-key.pem: the
 * fixture key's JWKS and an ID token it signed (valid at
 * FIXTURE_NOW for pool us-east-1_AbC123, client abc123, user
 * alice, group admins). Do not edit. */
#ifndef PAM_COGNITO_FUZZ_FIXTURE_KEYS_H
#define PAM_COGNITO_FUZZ_FIXTURE_KEYS_H

#define FIXTURE_KID "fuzz-key-1"
#define FIXTURE_JWKS                                                           \
  "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"fuzz-key-1\",\"use\":\"sig\","        \
  "\"alg\":\"RS25"                                                             \
  "6\",\"n\":\"xG4VsDKi1maToZF1G1SdBz7KGj5XXjU5n4V5wbs6MksMEdLOR9f4jF83"       \
  "oSZU6IUkVl46L9F-0_dGmtEJqe1mkYPeVmYMQNqrCM5u6QGMDQYRu_3FE6noshru"           \
  "Wl1-Eb2eQOBze5oX0_m3U1AY8YIplrWCu1CdW7a7M4dnDGDTLhQdFayyIM4LcWAY"           \
  "F72UrAC--aWlePi--nx8oyta_J_rnDXSGRqhrTwPio7YBslkz2CzKpBNT5v9wXNg"           \
  "aJrwUdicLmlvr0T3mcu2hldaXC97e22krBUZWVheR8cU6GoEeQQF0Uyy-E0UgmqV"           \
  "JRgrkY0A0KiSelQkcvmJHi-hw8rhuw\",\"e\":\"AQAB\"}]}"
#define FIXTURE_ID_TOKEN                                                       \
  "eyJraWQiOiJmdXp6LWtleS0xIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiI3YzFmM"           \
  "GE1Mi01YjFlLTRjM2EtOWQwZS0yZjZhOGI0YzFkM2UiLCJpc3MiOiJodHRwczovL"           \
  "2NvZ25pdG8taWRwLnVzLWVhc3QtMS5hbWF6b25hd3MuY29tL3VzLWVhc3QtMV9BY"           \
  "kMxMjMiLCJhdWQiOiJhYmMxMjMiLCJ0b2tlbl91c2UiOiJpZCIsImNvZ25pdG86d"           \
  "XNlcm5hbWUiOiJhbGljZSIsImNvZ25pdG86Z3JvdXBzIjpbImFkbWlucyJdLCJlb"           \
  "WFpbCI6ImFsaWNlQGV4YW1wbGUuY29tIiwiYXV0aF90aW1lIjoxNjk5OTk5OTkwL"           \
  "CJpYXQiOjE2OTk5OTk5OTAsImV4cCI6MTcwMDAwMzYwMH0.EkaUeQqUHNGDtRyA-"           \
  "iTFlA7CglvgdSxYqpdP2RebylmkiRVw0wS8Q5IqjUMfO8QnW0YnKXF74nMc-YUIp"           \
  "XJk7ZYUo2JJRikIYqqebTfqInu5YIz9q1VQIFG_mcvZA7MFYhI6qqK_D-Ekl0sBS"           \
  "mav_Wu5MVZ-4cyYEuhx6F4dfbDVx8jsb7ZbpwQ7wROv_CU8XEbeo05NrW6NcRz9X"           \
  "4Hx0Midmxn8A--VX3XnMPhMtZxoMsfFUatRXMT9743J1ANT5velKjhQbfzRXWZ8f"           \
  "htvFr01I-g6Ulkd3HVtlWwLgo_KCO_CWWYNrEQsgkapdl0VZAr1Bcs0g7Vjv1aF0"           \
  "t4E9w"

#endif
