"""A small S3-compatible object store for the snapshot tests (Python
stdlib): PUT and GET of objects by path, ETag, If-None-Match → 304, and
every request's SigV4 signature checked (service s3, the region and keys
of the emulator's sigv4 module, x-amz-content-sha256 against the body).
A request that fails the check gets S3's 403 SignatureDoesNotMatch.
Objects are stored by key, as S3 does: the request path percent-decoded,
a literal '+' in it read as a space (S3's old form-encoding rule: a key
with a plus must be sent as %2B), so "/b/a%20b" and "/b/a+b" name the same
object. The signature is checked over the path S3 canonicalises: decoded,
each segment encoded again once (sigv4.canonical_request).
`requests` records (method, raw path, status) for the tests to read;
`objects` maps the decoded key (with the bucket, "/bucket/key") to
(body, ETag)."""
import hashlib
import hmac
import select
import socket
import socketserver
import ssl
import threading
import time
import urllib.parse
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
    """tls: (cert, key) PEM files to serve HTTPS, as S3 does, for tests that
    reach it as <bucket>.s3.<region>.amazonaws.com through ConnectProxy."""

    def __init__(self, keys=None, tls=None):
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
                key = urllib.parse.unquote_plus(self.path.partition("?")[0])
                if self.command == "PUT":
                    etag = '"%s"' % hashlib.md5(body).hexdigest()
                    with server.lock:
                        server.objects[key] = (body, etag)
                    return self.reply(200, etag=etag)
                obj = server.objects.get(key)
                if obj is None:
                    return self.reply(404, b"<Error><Code>NoSuchKey</Code></Error>")
                if self.headers.get("If-None-Match") == obj[1]:
                    return self.reply(304, etag=obj[1])
                return self.reply(200, obj[0], etag=obj[1])

            do_GET = do_PUT = handle_one

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = "%s://127.0.0.1:%d" % ("https" if tls else "http",
                                          self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class ConnectProxy:
    """An HTTP proxy that answers every CONNECT by tunnelling to one local
    port (the TLS S3Server): with https_proxy pointing here, a client's
    https://<bucket>.s3.<region>.amazonaws.com reaches the test store while
    its TLS still checks that name. `hosts` records the CONNECT targets."""

    def __init__(self, port):
        self.hosts = []
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            rbufsize = 0  # unbuffered: nothing past the headers is read here

            def handle(self):
                line = self.rfile.readline().decode("latin-1").split()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                if len(line) < 2 or line[0] != "CONNECT":
                    self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                    return
                proxy.hosts.append(line[1])
                up = socket.create_connection(("127.0.0.1", port))
                self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self.wfile.flush()
                pipe(self.connection, up)

        def pipe(a, b):
            try:
                while True:
                    ready, _, _ = select.select([a, b], [], [], 30)
                    if not ready:
                        return
                    for s in ready:
                        data = s.recv(65536)
                        if not data:
                            return
                        (b if s is a else a).sendall(data)
            finally:
                b.close()

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
