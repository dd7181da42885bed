"""A small S3-compatible object store for the snapshot tests (Python
stdlib): PUT and GET of objects by path, ETag, If-None-Match → 304, and
every request's SigV4 signature checked (service s3, the region and keys
of the emulator's sigv4 module, x-amz-content-sha256 against the body).
A request that fails the check gets S3's 403 SignatureDoesNotMatch.
`requests` records (method, path, status) for the tests to read."""
import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sigv4

REGION = "us-east-1"


def check_signature(method, path, headers, body, keys):
    """None when the request is signed by one of keys for s3, else why."""
    get = {k.lower(): v for k, v in headers}
    auth = get.get("authorization")
    if not auth:
        return "no Authorization"
    parts = sigv4.parse_authorization(auth)
    cred = parts["Credential"].split("/")
    if len(cred) != 5 or cred[2] != REGION or cred[3] != "s3" or cred[4] != "aws4_request":
        return "bad credential scope %s" % parts["Credential"]
    record = {k["AccessKeyId"]: k for k in keys}.get(cred[0])
    if record is None:
        return "unknown key"
    if record.get("SessionToken") and get.get("x-amz-security-token") != record["SessionToken"]:
        return "bad session token"
    amz_date = get.get("x-amz-date", "")
    when = time.mktime(time.strptime(amz_date, "%Y%m%dT%H%M%SZ")) - time.timezone
    if abs(time.time() - when) > sigv4.MAX_SKEW or cred[1] != amz_date[:8]:
        return "bad date"
    payload = get.get("x-amz-content-sha256")
    if payload != hashlib.sha256(body).hexdigest():
        return "x-amz-content-sha256 does not match the body"
    signed = parts["SignedHeaders"].split(";")
    if "host" not in signed or "x-amz-content-sha256" not in signed:
        return "host or x-amz-content-sha256 unsigned"
    if record.get("SessionToken") and "x-amz-security-token" not in signed:
        return "session token unsigned"
    creq = sigv4.canonical_request(method, path, headers, signed, body)
    want = sigv4.signature(record["SecretAccessKey"], amz_date, "/".join(cred[1:]), creq)
    return None if hmac.compare_digest(want, parts["Signature"]) else "signature mismatch"


class S3Server:
    def __init__(self, keys=None):
        self.keys = keys or sigv4.DEFAULT_KEYS
        self.objects = {}
        self.requests = []
        self.down = False
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def reply(self, status, body=b"", etag=None):
                with server.lock:
                    server.requests.append((self.command, self.path, status))
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def handle_one(self):
                n = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(n) if n else b""
                if server.down:
                    return self.reply(503, b"<Error><Code>ServiceUnavailable</Code></Error>")
                why = check_signature(self.command, self.path, list(self.headers.items()),
                                      body, server.keys)
                if why:
                    return self.reply(403, ("<Error><Code>SignatureDoesNotMatch</Code>"
                                            "<Message>%s</Message></Error>" % why).encode())
                if self.command == "PUT":
                    etag = '"%s"' % hashlib.md5(body).hexdigest()
                    with server.lock:
                        server.objects[self.path] = (body, etag)
                    return self.reply(200, etag=etag)
                obj = server.objects.get(self.path)
                if obj is None:
                    return self.reply(404, b"<Error><Code>NoSuchKey</Code></Error>")
                if self.headers.get("If-None-Match") == obj[1]:
                    return self.reply(304, etag=obj[1])
                return self.reply(200, obj[0], etag=obj[1])

            do_GET = do_PUT = handle_one

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
