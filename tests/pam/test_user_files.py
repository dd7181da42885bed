"""A file the user owns is data, never configuration, for anything root
does. The user's refresh.json names endpoints, a CA file, a pool and an app
client for the credential helper (the user's own process); when root revokes
the token at the last close_session it takes only the token from it, sends
it where the module's configuration says, with the configured client and
secret, and sends nothing when the file names another pool or client; the
account stage, renewing a rotating token, writes the file from the
configuration. Runs as root; the user edits the file as the user."""
import base64
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
import unittest

from pamrun import (CLIENT_SECRET, IDENTITY_POOL, PUBLIC_CLIENT, SECRET_CLIENT, CacheTest,
                    Stack, base_config)

PASSWORD = "Alice-Passw0rd!"
ROTATION_CLIENT = "rotationclient00000000000001"
FULL = ("auth", "setcred", "open")


class Listener:
    """A loopback HTTP server that answers 200 {} to anything and keeps
    every byte it was sent."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.received = b""
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
                conn.settimeout(2)
                try:
                    self.received += conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/"
                                 b"x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}")
                except OSError:
                    pass

    def stop(self):
        self.stopping = True
        self.thread.join(5)
        self.sock.close()


# Python run as the user: update the JSON file %r with %r, as an editor
# would (a new file renamed over the old one).
EDIT = ("import json, os\n"
        "p = %r\n"
        "d = json.load(open(p))\n"
        "d.update(%r)\n"
        "t = p + '.new'\n"
        "fd = os.open(t, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)\n"
        "os.write(fd, json.dumps(d).encode())\n"
        "os.close(fd)\n"
        "os.rename(t, p)\n")


def as_user(name, code):
    """Run python code as the local user name (what a user could do)."""
    return subprocess.run(["runuser", "-u", name, "--", sys.executable, "-c", code],
                          capture_output=True, text=True, timeout=30, check=True)


class RevokeUsesOnlyTheConfiguration(CacheTest):
    def setUp(self):
        super().setUp()
        self.listener = Listener()
        self.addCleanup(self.listener.stop)
        self.s2 = Stack(base_config(self.emu, client_id=SECRET_CLIENT,
                                    client_secret=CLIENT_SECRET, revoke_on_logout=True,
                                    identity_pool_id=IDENTITY_POOL, cache_dir=self.cache))
        self.stacks.append(self.s2)
        r = self.s2.run("alice", [PASSWORD], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.path = os.path.join(self.cache, "alice", "refresh.json")
        with open(self.path) as f:
            self.doc = json.load(f)

    def edit(self, **changes):
        """alice rewrites her own refresh.json."""
        as_user("alice", EDIT % (self.path, changes))

    def revoked(self, token):
        """Whether Cognito now calls the token revoked."""
        h = hmac.new(CLIENT_SECRET.encode(), ("alice" + SECRET_CLIENT).encode(),
                     hashlib.sha256).digest()
        try:
            self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=SECRET_CLIENT,
                         AuthParameters={"REFRESH_TOKEN": token, "USERNAME": "alice",
                                         "SECRET_HASH": base64.b64encode(h).decode()})
        except Exception as e:  # noqa: BLE001 - the emulator's error says why
            return "revoked" in str(e)
        return False

    def close_last_session(self):
        self.emu.control("ResetStats")
        r = self.s2.run("alice", [], stages=("open", "close"))
        ops = self.emu.control("Stats")["ByOperation"]
        return r, ops.get("RevokeToken", 0)

    def test_endpoints_in_refresh_json_are_not_used_by_root(self):
        self.assertFalse(self.revoked(self.doc["refresh_token"]))
        self.edit(idp_endpoint=self.listener.url, identity_endpoint=self.listener.url,
                  ca_file="/home/alice/ca.pem")
        r, revokes = self.close_last_session()
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 2, r)
        self.assertEqual(self.listener.received, b"")
        self.assertEqual(revokes, 1)
        self.assertTrue(self.revoked(self.doc["refresh_token"]))
        self.assertFalse(os.path.exists(self.path))

    def test_another_client_in_refresh_json_sends_nothing(self):
        self.edit(client_id=PUBLIC_CLIENT, idp_endpoint=self.listener.url)
        r, revokes = self.close_last_session()
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SESSION_ERR"], r)
        self.assertEqual(revokes, 0)
        self.assertEqual(self.listener.received, b"")
        self.assertTrue(any('logout of user="alice": ' in l and "another user pool or app "
                            "client" in l for l in r.syslog), r.syslog)
        self.assertFalse(os.path.exists(self.path))

    def test_another_pool_in_refresh_json_sends_nothing(self):
        self.edit(user_pool_id="us-east-1_Other0001")
        r, revokes = self.close_last_session()
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SESSION_ERR"], r)
        self.assertEqual(revokes, 0)
        self.assertFalse(self.revoked(self.doc["refresh_token"]))


class LogoutSaysWhatItRevoked(CacheTest):
    def test_no_kept_token_is_not_called_revoked(self):
        # Without an identity pool no refresh.json is kept: the last
        # close_session has nothing to revoke and must not say it revoked.
        # open_session has no credentials to give here (PAM_IGNORE): a
        # pam_permit line lets the stack, and then close_session, go on.
        text = ("auth required @MODULE@ config=@CONFIG@\n"
                "session required pam_permit.so\n"
                "session optional @MODULE@ config=@CONFIG@\n")
        s = Stack(base_config(self.emu, revoke_on_logout=True, cache_dir=self.cache),
                  service_text=text)
        self.stacks.append(s)
        self.emu.control("ResetStats")
        r = s.run("alice", [PASSWORD], stages=FULL + ("close",))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 4, r)
        self.assertFalse(os.path.exists(os.path.join(self.cache, "alice", "refresh.json")))
        self.assertEqual(self.emu.control("Stats")["ByOperation"].get("RevokeToken", 0), 0)
        self.assertTrue(any('user="alice" logged out: no refresh token was kept here' in l
                            for l in r.syslog), r.syslog)
        self.assertFalse(any("refresh token revoked" in l for l in r.syslog), r.syslog)


class AccountStageRewritesFromTheConfiguration(CacheTest):
    """The account stage (root) renews with its own copy of the token; under
    rotation it writes the new token into the user's refresh.json. What it
    writes comes from the configuration, never from the file it replaces."""

    def test_rotation_does_not_write_back_the_users_settings(self):
        listener = Listener()
        self.addCleanup(listener.stop)
        text = ("auth required @MODULE@ config=@CONFIG@\n"
                "account required @MODULE@ config=@CONFIG@\n"
                "session required @MODULE@ config=@CONFIG@\n")
        s = Stack(base_config(self.emu, client_id=ROTATION_CLIENT,
                              identity_pool_id=IDENTITY_POOL, cache_dir=self.cache),
                  service_text=text)
        self.stacks.append(s)
        r = s.run("alice", [PASSWORD], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        path = os.path.join(self.cache, "alice", "refresh.json")
        before = json.load(open(path))
        as_user("alice", EDIT % (path, {"idp_endpoint": listener.url,
                                        "identity_endpoint": listener.url}))
        self.emu.control("ResetStats")
        r = s.run("alice", [], stages=("acct",))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"], r)
        self.assertEqual(self.calls("GetTokensFromRefreshToken"), 1)
        after = json.load(open(path))
        self.assertNotEqual(after["refresh_token"], before["refresh_token"])
        self.assertEqual((after["idp_endpoint"], after["identity_endpoint"]),
                         (self.emu.url, self.emu.url))
        self.assertEqual(listener.received, b"")


if __name__ == "__main__":
    unittest.main()
