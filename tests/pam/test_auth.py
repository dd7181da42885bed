"""pam_sm_authenticate through a real libpam stack against the emulator."""
import os
import unittest

from pamrun import (ensure_user, CLIENT_SECRET, EMAIL_CLIENT, EMAIL_POOL, SECRET_CLIENT, EmulatorTest,
                    Stack, base_config)


class AuthTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.stacks = []

    def tearDown(self):
        for s in self.stacks:
            s.cleanup()
        super().tearDown()

    def stack(self, args="", **over):
        s = Stack(base_config(self.emu, **over), args=args)
        self.stacks.append(s)
        return s

    def test_right_password_succeeds_with_srp(self):
        self.emu.control("ResetStats")
        r = self.stack().run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", "Password: ")])
        stats = self.emu.control("Stats")
        self.assertEqual(stats["ByOperation"].get("InitiateAuth"), 1)
        self.assertEqual(stats["ByOperation"].get("RespondToAuthChallenge"), 1)

    def test_password_verifier_is_answered_within_a_short_window(self):
        # Cognito accepts the PASSWORD_VERIFIER answer only for a few seconds
        # after InitiateAuth; the module knows the password before it starts,
        # so a one-second window is plenty.
        self.emu.control("SetOptions", SrpTtlSeconds=1)
        r = self.stack().run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_password_verifier_answer_after_the_window_fails_closed(self):
        # The same window, missed: the answer reaches the pool 1.5 s late.
        self.emu.control("SetOptions", SrpTtlSeconds=1)
        self.emu.control("SetFault", Operation="RespondToAuthChallenge", Kind="slow",
                         Count=1, DelaySeconds=1.5)
        r = self.stack().run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(any("expired" in m for m in r.errors + r.infos), r)

    def test_wrong_password_is_auth_err(self):
        ensure_user("alice")  # a local account: its name may be logged
        r = self.stack().run("alice", ["not-her-password"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.errors, [])  # like pam_unix: no hint for attackers
        self.assertTrue(any('authentication failure; rhost= user="alice"' in l for l in r.syslog),
                        r.syslog)
        self.assertFalse(any("not-her-password" in l for l in r.stderr.splitlines()))

    def test_unknown_user_is_user_unknown(self):
        r = self.stack().run("nosuchuser", ["whatever-Passw0rd1"])
        self.assertEqual(r.code, "PAM_USER_UNKNOWN", r)
        self.assertTrue(any("user unknown" in l for l in r.syslog), r.syslog)
        self.assertFalse(any("nosuchuser" in l for l in r.syslog), r.syslog)

    def test_disabled_user_is_auth_err(self):
        r = self.stack().run("disabled", ["Disabled-Passw0rd1!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)

    def test_user_password_auth_flow(self):
        self.emu.control("ResetStats")
        r = self.stack(auth_flow="USER_PASSWORD_AUTH").run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        stats = self.emu.control("Stats")
        self.assertEqual(stats["ByOperation"].get("InitiateAuth"), 1)
        self.assertIsNone(stats["ByOperation"].get("RespondToAuthChallenge"))
        r = self.stack(auth_flow="USER_PASSWORD_AUTH").run("alice", ["wrong-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)

    def test_client_with_secret(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET)
        self.assertEqual(s.run("alice", ["Alice-Passw0rd!"]).code, "PAM_SUCCESS")
        self.assertEqual(s.run("alice", ["wrong"]).code, "PAM_AUTH_ERR")
        # A secret that is not the client's is a configuration error
        # ("Unable to verify secret hash"), not a wrong password.
        bad = self.stack(client_id=SECRET_CLIENT, client_secret="not_the_secret")
        self.assertEqual(bad.run("alice", ["Alice-Passw0rd!"]).code, "PAM_SERVICE_ERR")

    def test_secret_client_with_password_flow(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET,
                       auth_flow="USER_PASSWORD_AUTH")
        self.assertEqual(s.run("alice", ["Alice-Passw0rd!"]).code, "PAM_SUCCESS")

    def test_email_pool_user_id_for_srp(self):
        # A pool that signs in by e-mail binds the login to the verified
        # email claim (the cognito:username is a UUID there).
        s = self.stack(user_pool_id=EMAIL_POOL, client_id=EMAIL_CLIENT, login_claim="email")
        r = s.run("carol@example.com", ["Carol-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(s.run("carol@example.com", ["wrong"]).code, "PAM_AUTH_ERR")

    def test_email_pool_without_login_claim_is_not_bound(self):
        s = self.stack(user_pool_id=EMAIL_POOL, client_id=EMAIL_CLIENT)
        r = s.run("carol@example.com", ["Carol-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(any("token claim cognito:username does not match" in l for l in r.syslog), r.syslog)

    def test_use_first_pass_takes_the_password_of_the_module_above(self):
        s = self.stack()
        # pam_unix asks first (the user has no local password), stores
        # PAM_AUTHTOK, and pam_cognito uses it without asking again.
        s.write_service(s.service,
                        "auth optional pam_unix.so\n"
                        "auth required @MODULE@ config=@CONFIG@ use_first_pass\n")
        r = s.run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(len(r.prompts), 1, r.prompts)
        r = s.run("alice", ["wrong"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(len(r.prompts), 1, r.prompts)

    def test_use_first_pass_without_a_password_fails(self):
        s = self.stack()
        s.write_service(s.service, "auth required @MODULE@ config=@CONFIG@ use_first_pass\n")
        r = s.run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts, [])

    def test_try_first_pass_asks_when_nothing_above(self):
        s = self.stack()
        s.write_service(s.service, "auth required @MODULE@ config=@CONFIG@ try_first_pass\n")
        r = s.run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Password: "])

    def test_password_is_passed_to_modules_below(self):
        s = self.stack()
        out = s.dir / "authtok.out"
        probe = s.dir / "probe.sh"
        probe.write_text(f"#!/bin/sh\ncat > {out}\n")
        os.chmod(probe, 0o700)
        s.write_service(s.service,
                        "auth required @MODULE@ config=@CONFIG@\n"
                        f"auth required pam_exec.so expose_authtok quiet {probe}\n")
        r = s.run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(out.read_text().rstrip("\0"), "Alice-Passw0rd!")

    def test_sshd_placeholder_password_fails_without_network(self):
        self.emu.control("ResetStats")
        # sshd's stand-in password is "\b\n\r\177INCORRECT"; the answers
        # file is line-based, so this sends it without the newline.
        r = self.stack().run("alice", ["\b\r\x7fINCORRECT"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(self.emu.control("Stats")["Requests"], 0)

    def test_empty_password_fails_without_network(self):
        self.emu.control("ResetStats")
        r = self.stack().run("alice", [""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(self.emu.control("Stats")["Requests"], 0)

    def test_conversation_failure(self):
        self.emu.control("ResetStats")
        for answer in ["@FAIL", "@NULL"]:
            r = self.stack().run("alice", [answer])
            self.assertIn(r.code, ("PAM_AUTH_ERR", "PAM_CONV_ERR"), r)
        self.assertEqual(self.emu.control("Stats")["Requests"], 0)

    def test_invalid_user_names_are_refused(self):
        for name in ["-alice", "+alice", "al\x01ice"]:
            r = self.stack().run(name, ["Alice-Passw0rd!"])
            self.assertEqual(r.code, "PAM_USER_UNKNOWN", (name, r))

    def test_debug_never_logs_secrets(self):
        s = self.stack(args="debug", client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET)
        ok = s.run("alice", ["Alice-Passw0rd!"])
        bad = s.run("alice", ["Wrong-Passw0rd!"])
        self.assertEqual((ok.code, bad.code), ("PAM_SUCCESS", "PAM_AUTH_ERR"))
        log = "\n".join(ok.syslog + bad.syslog)
        self.assertIn("logging in user=", log)  # debug is on
        for secret in ("Alice-Passw0rd!", "Wrong-Passw0rd!", CLIENT_SECRET, "eyJ"):
            self.assertNotIn(secret, log)

    def test_one_connection_per_login(self):
        self.emu.control("ResetStats")
        r = self.stack().run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        stats = self.emu.control("Stats")
        self.assertEqual(stats["Requests"], 2)
        self.assertEqual(stats["Connections"], 1)
        self.assertEqual(stats["ExpectContinue"], 0)

    def test_hundred_srp_logins(self):
        # Random a and b hit the padding edge cases (high bit, short u).
        s = self.stack()
        codes = [s.run("alice", ["Alice-Passw0rd!"]).code for _ in range(100)]
        self.assertEqual(codes.count("PAM_SUCCESS"), 100, codes)


if __name__ == "__main__":
    unittest.main()
