"""A plain-HTTP proxy between the module and the emulator that keeps every
Cognito call it passes on (target, request body, reply body) and can
rewrite the CREDENTIAL of a WEB_AUTHN answer on its way to the pool: what
a person in the middle could do. tests/pam/test_passkey.py uses it to let
python-fido2 check what the module sent, and to show that a tampered
assertion fails closed.

    proxy = AnswerProxy(emu.url).start()      # idp_endpoint = proxy.url
    proxy.rewrite = lambda cred: ...          # changes the parsed CREDENTIAL
    proxy.calls                               # [(target, request, reply)]
"""
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

DROP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive"}


class AnswerProxy:
    def __init__(self, backend_url):
        u = urlparse(backend_url)
        self.backend = (u.hostname, u.port)
        self.rewrite = None
        self.calls = []
        self.lock = threading.Lock()
        self.server = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def start(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                proxy._forward(self, None)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy._forward(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _tampered(self, target, body):
        """The body with its CREDENTIAL rewritten, for a WEB_AUTHN answer."""
        if self.rewrite is None or not target.endswith(".RespondToAuthChallenge"):
            return body
        req = json.loads(body)
        answers = req.get("ChallengeResponses") or {}
        if req.get("ChallengeName") != "WEB_AUTHN" or "CREDENTIAL" not in answers:
            return body
        cred = json.loads(answers["CREDENTIAL"])
        self.rewrite(cred)
        answers["CREDENTIAL"] = json.dumps(cred)
        return json.dumps(req).encode()

    def _forward(self, h, body):
        target = h.headers.get("X-Amz-Target", "")
        if body is not None:
            body = self._tampered(target, body)
        conn = http.client.HTTPConnection(*self.backend, timeout=30)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in DROP}
        conn.request(h.command, h.path, body=body, headers=headers)
        reply = conn.getresponse()
        data = reply.read()
        if body is not None and target:
            try:
                call = (target.split(".")[-1], json.loads(body), json.loads(data or b"{}"))
            except ValueError:
                call = (target.split(".")[-1], None, None)
            with self.lock:
                self.calls.append(call)
        h.send_response(reply.status)
        for k, v in reply.getheaders():
            if k.lower() not in DROP:
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        try:
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the module closed a warm-up connection it no longer needs
        conn.close()

    def call(self, op, index=-1):
        """(request, reply) of the op's call (the last one by default)."""
        with self.lock:
            found = [(q, r) for t, q, r in self.calls if t == op]
        return found[index]
