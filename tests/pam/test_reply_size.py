"""A reply past our limits (one huge header line, many header lines, a huge
body) is "reply too large": its own words in syslog and
PAM_AUTHINFO_UNAVAIL, never out of memory (PAM_BUF_ERR)."""
import socket
import threading
import unittest

from pamrun import EmulatorTest, Stack, base_config


class HugeHeaderServer:
    """Answers every request with 200 and header lines of `line` bytes,
    `total` bytes in all, on 127.0.0.1."""

    def __init__(self, total, line):
        self.total, self.line = total, line
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.stopping = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    conn.sendall(b"HTTP/1.1 200 OK\r\n")
                    left = self.total
                    while left > 0:
                        n = min(left, self.line)
                        conn.sendall(b"X-Filler: " + b"a" * n + b"\r\n")
                        left -= n
                    conn.sendall(b"Content-Length: 2\r\n\r\n{}")
                except OSError:
                    pass

    def stop(self):
        self.stopping = True
        self.thread.join(5)
        self.sock.close()


class ReplySizeTest(EmulatorTest):
    def login_against(self, server):
        s = Stack(base_config(self.emu, idp_endpoint=server.url, timeout=5))
        try:
            return s.run("alice", ["Alice-Passw0rd!"])
        finally:
            s.cleanup()
            server.stop()

    def assert_too_large(self, r, what):
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertTrue(any(what in l for l in r.syslog), r.syslog)
        self.assertFalse(any("out of memory" in l for l in r.syslog), r.syslog)

    def test_one_huge_header_line(self):
        self.assert_too_large(self.login_against(HugeHeaderServer(300 * 1024, 300 * 1024)),
                              "reply header too large")

    def test_many_header_lines(self):
        self.assert_too_large(self.login_against(HugeHeaderServer(300 * 1024, 200)),
                              "reply header too large")

    def test_huge_body(self):
        self.emu.control("SetFault", Operation="InitiateAuth", Kind="oversized", Count=1)
        self.assert_too_large(self.s.run("alice", ["Alice-Passw0rd!"]), "reply body too large")


if __name__ == "__main__":
    unittest.main()
