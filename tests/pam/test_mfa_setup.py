"""MFA enrolment at the prompt (mfa_setup): a user the pool requires to set
up MFA (MFA_SETUP) adds an authenticator app from the key shown as a QR code,
a URI and text, or sets up email codes, and is logged in; every wrong answer,
bound and refusal, through a real PAM stack."""
import re
import subprocess
import unittest

from otp_reference import totp
from pamrun import CLIENT_SECRET, POOL, SECRET_CLIENT, EmulatorTest, Stack, base_config
from control import Emulator, default_fixture  # noqa: E402 (pamrun sets the path)

PW = "Setup-Passw0rd1!"
INTRO = "Your account needs multi-factor authentication; set it up now."
BLOCKS = set("\u2588\u2580\u2584 ")


def shown(events):
    """(key, uri, QR lines) from the messages shown so far."""
    text = "\n".join(e["text"] for e in events if e["event"] == "info")
    key = re.search(r"^Key: ([A-Z2-7]+)$", text, re.M)
    uri = re.search(r"^URI: (otpauth://\S+)$", text, re.M)
    qr = [line for line in text.splitlines() if line and set(line) <= BLOCKS]
    return (key.group(1) if key else None, uri.group(1) if uri else None, qr)


class MfaSetupTest(EmulatorTest):
    def app_code(self, stack=None):
        """An answer computed from the key the prompt showed, like a phone."""
        s = stack or self.s
        return lambda prompt: totp(shown(s.live)[0])

    def test_totp_enrolment(self):
        r = self.s.run("setupuser", [PW, self.app_code()])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", "Password: "),
                                           ("echo_on", "Authenticator app code: ")])
        self.assertIn(INTRO, r.infos)
        self.assertIn("Authenticator app set up.", r.infos)
        self.assertEqual(r.errors, [])
        key, uri, qr = shown(r.events)
        self.assertEqual(uri, f"otpauth://totp/{POOL}:setupuser?secret={key}&issuer={POOL}")
        self.assertGreater(len(qr), 10)
        # The next login asks for a code of the app that was set up.
        r = self.s.run("setupuser", [PW, lambda p: totp(key)])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Password: ", "Authenticator app code: "])
        self.assertNotIn(INTRO, r.infos)
        self.assertEqual(self.s.run("setupuser", [PW, "000000", "000000", "000000"]).code,
                         "PAM_AUTH_ERR")

    def test_totp_issuer_names_the_app_entry(self):
        s = Stack(base_config(self.emu, totp_issuer="Example Corp"))
        try:
            r = s.run("setupuser", [PW, self.app_code(s)])
        finally:
            s.cleanup()
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        key, uri, qr = shown(r.events)
        self.assertEqual(uri, "otpauth://totp/Example%20Corp:setupuser?secret="
                              f"{key}&issuer=Example%20Corp")

    def test_qr_code_is_the_uri(self):
        r = self.s.run("setupuser", [PW, self.app_code()])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        key, uri, qr = shown(r.events)
        ref = subprocess.run(["qrencode", "-t", "UTF8", "-m", "2", "-l", "L", uri],
                             capture_output=True, text=True, check=True).stdout
        self.assertEqual([line.rstrip() for line in qr],
                         [line.rstrip() for line in ref.splitlines() if line.strip()])
        # Each message fits a PAM message (PAM_MAX_MSG_SIZE 512).
        self.assertTrue(all(len(i.encode()) < 512 for i in r.infos), r.infos)

    def test_client_with_secret(self):
        self.s.cleanup()
        self.s = Stack(base_config(self.emu, client_id=SECRET_CLIENT,
                                   client_secret=CLIENT_SECRET))
        r = self.s.run("setupuser", [PW, self.app_code()])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_wrong_code_asks_again(self):
        r = self.s.run("setupuser", [PW, "000000", self.app_code()])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.errors, ["Wrong code, try again."])
        self.assertEqual(self.calls("AssociateSoftwareToken"), 1)
        self.assertEqual(self.calls("VerifySoftwareToken"), 2)

    def test_code_that_is_not_digits_is_a_wrong_code(self):
        r = self.s.run("setupuser", [PW, "abcdef", self.app_code()])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.errors, ["Wrong code, try again."])

    def test_wrong_codes_are_bounded(self):
        r = self.s.run("setupuser", [PW, "000000", "000001", "000002", "000003"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts.count("Authenticator app code: "), 3)
        self.assertIn("Wrong code.", r.errors)
        self.assertTrue(any("MFA_SETUP: too many wrong codes" in l for l in r.syslog), r.syslog)
        # Nothing was set up: the next login asks again.
        r = self.s.run("setupuser", [PW, "@FAIL"])
        self.assertIn(INTRO, r.infos)

    def test_empty_code_aborts(self):
        r = self.s.run("setupuser", [PW, ""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("No code given.", r.errors)

    def test_no_echo_on_prompts_ends_with_a_message(self):
        r = self.s.run("setupuser", [PW, "@FAIL"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)
        self.assertTrue(any("keyboard-interactive" in e for e in r.errors), r.errors)
        self.assertTrue(any("MFA_SETUP: the conversation could not answer" in l
                            for l in r.syslog), r.syslog)

    def test_silent_fails_closed(self):
        self.emu.control("ResetStats")
        r = self.s.run("setupuser", [PW], silent=True)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts, ["Password: "])
        self.assertEqual(self.calls("AssociateSoftwareToken"), 0)
        self.assertTrue(any("PAM_SILENT" in l for l in r.syslog), r.syslog)

    def test_setup_off_says_where_to_go(self):
        self.s.cleanup()
        self.s = Stack(base_config(self.emu, mfa_setup=False))
        r = self.s.run("setupuser", [PW])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(any("set up multi-factor" in e for e in r.errors), r.errors)
        self.assertTrue(any("unsupported challenge MFA_SETUP" in l for l in r.syslog), r.syslog)

    def test_associate_error_fails_closed(self):
        self.emu.control("SetFault", Operation="AssociateSoftwareToken", Kind="error",
                         ErrorType="SoftwareTokenMFANotFoundException")
        r = self.s.run("setupuser", [PW, "123456"])
        self.assertNotEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Password: "])

    def test_garbage_from_verify_fails_closed(self):
        self.emu.control("SetFault", Operation="VerifySoftwareToken", Kind="garbage")
        r = self.s.run("setupuser", [PW, self.app_code()])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)


def email_pool():
    fixture = default_fixture()
    fixture["UserPools"][0]["EmailMfa"] = True
    return fixture


class EmailSetupTest(EmulatorTest):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(fixture=email_pool()).start()

    def email_code(self, prompt):
        return self.emu.last_code("setupuser", POOL)

    def test_choose_email(self):
        r = self.s.run("setupuser", [PW, "2", "not-an-address", "setup@example.com",
                                     self.email_code])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Password: ", "Method [1-2]: ", "Email address: ",
                                     "Email address: ", "Email code: "])
        self.assertIn("Choose a second factor for this account:\n"
                      "  1) authenticator app\n  2) email codes", r.infos)
        self.assertIn("Invalid email address format.", r.errors)
        self.assertIn("A verification code was sent by email to s***@e***.", r.infos)
        # Email MFA is on now, at that address.
        r = self.s.run("setupuser", [PW, self.email_code])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Password: ", "Email code: "])

    def test_choose_app(self):
        s = self.s
        r = s.run("setupuser", [PW, "9", "1", lambda p: totp(shown(s.live)[0])])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Please answer with one of the numbers shown.", r.errors)

    def test_wrong_email_code(self):
        r = self.s.run("setupuser", [PW, "2", "setup@example.com", "000000", "000001",
                                     "000002"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts.count("Email code: "), 3)


if __name__ == "__main__":
    unittest.main()
