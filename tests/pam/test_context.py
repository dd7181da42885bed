"""What the pool sees of a login through a real PAM stack: UserContextData
(the remote address, for threat protection) and ClientMetadata (for Lambda
triggers) on InitiateAuth and RespondToAuthChallenge, as the emulator
recorded them; and https_proxy carrying the calls while the environment's
proxy variables are ignored."""
import http.client
import http.server
import socket
import threading
import unittest

from pamrun import CLIENT_SECRET, SECRET_CLIENT, EmulatorTest, Stack, base_config, refused_url

ALICE_PW = "Alice-Passw0rd!"
IA, RA = "InitiateAuth", "RespondToAuthChallenge"
METADATA = 'client_metadata = { host = "%h"; who = "%u via %s from %r"; pct = "5%%"; };\n'


class ContextTest(EmulatorTest):
    def stack(self, metadata=METADATA, **over):
        s = Stack(base_config(self.emu, **over))
        self.addCleanup(s.cleanup)
        if metadata:
            with open(s.config_path, "a") as fh:
                fh.write(metadata)
        return s

    def context(self, op):
        ctx = self.emu.control("GetLastContext", Operation=op)
        self.assertTrue(ctx["Seen"], op)
        return ctx

    def login(self, s, rhost="192.0.2.44", user="alice", pw=ALICE_PW):
        r = s.run(user, [pw], rhost=rhost)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        return r

    def test_secret_client_sends_address_and_metadata_on_both_calls(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET)
        self.login(s)
        want = {"host": socket.gethostname(), "who": "alice via cognito-test from 192.0.2.44",
                "pct": "5%"}
        for op in (IA, RA):
            ctx = self.context(op)
            self.assertEqual(ctx["UserContextData"], {"IpAddress": "192.0.2.44"}, op)
            self.assertEqual(ctx["ClientMetadata"], want, op)

    def test_ipv6_address(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET, metadata=None)
        self.login(s, rhost="2001:db8::7")
        self.assertEqual(self.context(IA)["UserContextData"], {"IpAddress": "2001:db8::7"})
        self.assertIsNone(self.context(IA)["ClientMetadata"])

    def test_public_client_sends_no_address(self):
        # Cognito takes IpAddress only from clients with a secret.
        self.login(self.stack())
        ctx = self.context(IA)
        self.assertIsNone(ctx["UserContextData"])
        self.assertEqual(ctx["ClientMetadata"]["who"], "alice via cognito-test from 192.0.2.44")

    def test_host_name_is_not_sent_as_an_address(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET)
        self.login(s, rhost="client.example.test")
        ctx = self.context(IA)
        self.assertIsNone(ctx["UserContextData"])
        self.assertEqual(ctx["ClientMetadata"]["who"],
                         "alice via cognito-test from client.example.test")

    def test_local_login_has_empty_remote_host(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET)
        self.login(s, rhost=None)
        ctx = self.context(IA)
        self.assertIsNone(ctx["UserContextData"])
        self.assertEqual(ctx["ClientMetadata"]["who"], "alice via cognito-test from ")

    def test_send_user_context_false(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET,
                       send_user_context=False, metadata=None)
        self.login(s)
        for op in (IA, RA):
            self.assertIsNone(self.context(op)["UserContextData"], op)
            self.assertIsNone(self.context(op)["ClientMetadata"], op)

    def test_metadata_reaches_the_mfa_answer(self):
        s = self.stack()
        code = lambda prompt: self.emu.control("TotpCode", Username="totpuser")["Code"]
        r = s.run("totpuser", ["Totp-Passw0rd1!", code], rhost="192.0.2.44")
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(self.context(RA)["ClientMetadata"]["who"],
                         "totpuser via cognito-test from 192.0.2.44")

    def test_bad_escape_is_a_configuration_error(self):
        s = self.stack(metadata='client_metadata = { x = "%q"; };\n')
        r = s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
        self.assertTrue(any("client_metadata" in l and "'%'" in l for l in r.syslog), r.syslog)


class RecordingProxy(http.server.ThreadingHTTPServer):
    """A forward proxy for plain-HTTP absolute-form requests (what libcurl
    sends to an http:// proxy for an http:// URL), recording each target."""

    daemon_threads = True

    def __init__(self):
        self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                server = self.server
                server.seen.append(self.path)
                rest = self.path.split("://", 1)[1]
                hostport, _, path = rest.partition("/")
                host, _, port = hostport.partition(":")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                conn = http.client.HTTPConnection(host, int(port or 80), timeout=10)
                hdrs = {k: v for k, v in self.headers.items()
                        if k.lower() not in ("proxy-connection", "connection", "host")}
                conn.request(self.command, "/" + path, body=body or None, headers=hdrs)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_POST = do_GET = _forward

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


class ProxyTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.proxy = RecordingProxy()
        self.thread = threading.Thread(target=self.proxy.serve_forever, daemon=True)
        self.thread.start()
        self.addCleanup(self.thread.join, 5)
        self.addCleanup(self.proxy.server_close)
        self.addCleanup(self.proxy.shutdown)

    def test_calls_go_through_https_proxy(self):
        s = Stack(base_config(self.emu, https_proxy=self.proxy.url))
        self.addCleanup(s.cleanup)
        r = s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any(p.startswith(self.emu.url) for p in self.proxy.seen), self.proxy.seen)

    def test_environment_proxy_is_ignored(self):
        env = {k: self.proxy.url for k in ("http_proxy", "https_proxy", "HTTPS_PROXY",
                                           "ALL_PROXY", "all_proxy")}
        env["no_proxy"] = ""
        r = self.s.run("alice", [ALICE_PW], extra_env=env)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(self.proxy.seen, [])

    def test_dead_proxy_fails_closed(self):
        s = Stack(base_config(self.emu, https_proxy=refused_url(self).rstrip("/"), timeout=2))
        self.addCleanup(s.cleanup)
        r = s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)


if __name__ == "__main__":
    unittest.main()
