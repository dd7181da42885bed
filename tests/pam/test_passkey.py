"""Passkeys (first_factors WEB_AUTHN) through a real libpam stack: the
module opens its passkey plugin, libfido2 talks CTAP2 to a software
security key (tests/fido/authenticator.py, reached through libfido2's own
I/O hook in the check-only build of the plugin: no hardware can be attached
here), and the emulator checks the assertion as a relying party.

The module is run from a copy beside the test plugin, the layout an install
has (<dir>/pam_cognito.so, <dir>/pam_cognito/pam_cognito_passkey.so)."""
import fcntl
import json
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

from pamrun import BUILD, MODULE, EmulatorTest, Stack, base_config

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fido"))
import authenticator  # noqa: E402
import registration  # noqa: E402
import softkey  # noqa: E402
from registration import b64u  # noqa: E402

POOL = "us-east-1_PasskeyPool"
CLIENT = "passkeyclient000000000000001"
PASSWORDS = {"alice": "Alice-Passkey1!", "bob": "Bob-Passkey1!"}
TEST_PLUGIN = BUILD / "tests" / "fido" / ".libs" / "pam_cognito_passkey.so"
PW_KEY = "Password (or Enter for your security key): "
TOUCH = "Touch your security key."


@unittest.skipUnless(TEST_PLUGIN.exists(), "built without libfido2 (no test plugin)")
class PasskeyCase(EmulatorTest):
    config = {"user_pool_id": POOL, "client_id": CLIENT, "auth_flow": "USER_AUTH",
              "first_factors": ["PASSWORD_SRP", "WEB_AUTHN"]}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dir = Path(tempfile.mkdtemp(prefix="pc-passkey-"))
        (cls.dir / "pam_cognito").mkdir()
        shutil.copy(MODULE, cls.dir / "pam_cognito.so")
        shutil.copy(TEST_PLUGIN, cls.dir / "pam_cognito" / "pam_cognito_passkey.so")
        cls.module = cls.dir / "pam_cognito.so"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.sock = str(self.dir / ("key-%d.sock" % os.getpid()))
        self.store = softkey.SoftKey()
        self.key = authenticator.Authenticator(self.sock, store=self.store).start()
        self.addCleanup(self.key.stop)
        self.s = self.stack()

    def stack(self, **over):
        cfg = dict(self.config, **over)
        s = Stack(base_config(self.emu, **cfg))
        s.write_service(s.service, f"auth required {self.module} config={s.config_path}\n"
                                   f"account required pam_permit.so\n"
                                   f"session required {self.module} config={s.config_path}\n")
        self.addCleanup(s.cleanup)
        return s

    def run_pam(self, user, answers, stack=None, **kw):
        env = {"PAM_COGNITO_TEST_FIDO_SOCKET": self.sock}
        return (stack or self.s).run(user, answers, extra_env=env, **kw)

    def register(self, user="alice"):
        """A passkey on the software key, registered in the pool."""
        token = registration.sign_in_with_password(self.emu, CLIENT, user, PASSWORDS[user])
        return registration.register(self.emu, self.store, token)


class PasskeyTest(PasskeyCase):
    def test_passkey_login(self):
        self.register()
        self.emu.control("ResetStats")
        r = self.run_pam("alice", [""])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", PW_KEY)])
        self.assertIn(TOUCH, r.infos)
        # InitiateAuth (PREFERRED_CHALLENGE WEB_AUTHN) and the CREDENTIAL
        self.assertEqual((self.calls("InitiateAuth"), self.calls("RespondToAuthChallenge")),
                         (1, 1))
        self.assertIn(0x02, self.key.seen)      # CTAP2 GetAssertion reached the key
        self.assertEqual(self.key.opened, 1)    # opened once for the whole ceremony

    def test_passkey_session_has_aws_credentials(self):
        from pamrun import IDENTITY_POOL, ensure_user
        ensure_user("alice")
        self.register()
        s = self.stack(identity_pool_id=IDENTITY_POOL)
        r = self.run_pam("alice", [""], stack=s, stages=("auth", "acct", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 4, r)
        self.assertIn("AWS_ACCESS_KEY_ID", r.env)

    def test_password_still_works(self):
        self.register()
        r = self.run_pam("alice", [PASSWORDS["alice"]])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(self.key.seen, [])     # the key was never asked

    def test_no_credential_on_the_key_then_password(self):
        self.register()
        self.store.creds = []                   # a different key: nothing for alice
        r = self.run_pam("alice", ["", PASSWORDS["alice"]])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("This security key holds no passkey for your account.", r.errors)
        self.assertEqual(r.prompts, [PW_KEY, "Password: "])

    def test_no_passkey_registered(self):
        r = self.run_pam("alice", ["", "Wrong-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("No passkey is registered for your account.", r.errors)

    def test_no_key_attached(self):
        self.register()
        r = self.s.run("alice", ["", PASSWORDS["alice"]],
                       extra_env={"PAM_COGNITO_TEST_FIDO_SOCKET": str(self.dir / "none")})
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("No security key is attached.", r.errors)
        self.assertEqual(r.prompts, [PW_KEY, "Password: "])

    def test_timeout(self):
        self.register()
        self.key.touch = False
        r = self.run_pam("alice", ["", "Wrong-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("The security key was not touched in time.", r.errors)

    def test_pin_when_user_verification_is_required(self):
        self.register()
        self.key.pin = "4321"
        self.emu.control("SetPoolWebAuthn", UserPoolId=POOL, UserVerification="required")
        r = self.run_pam("alice", ["", "4321"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", PW_KEY),
                                           ("echo_off", "Security key PIN: ")])

    def test_wrong_pin(self):
        self.register()
        self.key.pin = "4321"
        self.emu.control("SetPoolWebAuthn", UserPoolId=POOL, UserVerification="required")
        r = self.run_pam("alice", ["", "1111", "Wrong-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("Wrong PIN for the security key.", r.errors)
        self.assertEqual(self.key.retries, 7)

    def test_ssh_is_refused_with_its_reason(self):
        self.register()
        r = self.run_pam("alice", [PASSWORDS["alice"]], rhost="198.51.100.7")
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Security keys (passkeys) cannot be used over a remote login: the key "
                      "is attached to your own computer.", r.infos)
        self.assertEqual(r.prompts, ["Password: "])
        r = self.run_pam("alice", [""], rhost="198.51.100.7")
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(self.key.seen, [])

    def test_sshd_service_is_refused_too(self):
        self.register()
        s = Stack(base_config(self.emu, **self.config), service="sshd")
        self.addCleanup(s.cleanup)
        s.write_service("sshd", f"auth required {self.module} config={s.config_path}\n")
        r = self.run_pam("alice", [PASSWORDS["alice"]], stack=s)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Password: "])
        self.assertIn("Security keys (passkeys) cannot be used over a remote login: the key "
                      "is attached to your own computer.", r.infos)

    def test_refused_assertion_fails_closed(self):
        # a cloned key: its counter is behind the pool's, which refuses it
        self.register()
        self.store.counter = 0
        r = self.run_pam("alice", ["", "Wrong-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("The user pool refused the security key's answer.", r.errors)
        self.assertTrue(any("The signature counter did not increase." in line
                            for line in r.syslog), r.syslog)
        self.assertEqual(r.prompts, [PW_KEY])

class PasswordLoadTest(unittest.TestCase):
    """Issue 26 item 3: a password login loads nothing more than before.
    libfido2 is reached only through the passkey plugin, which the module
    opens when Enter asks for the key (lib/login/passkey.c)."""

    def test_module_does_not_link_libfido2(self):
        import subprocess
        dyn = subprocess.run(["readelf", "-d", str(MODULE)], capture_output=True, text=True,
                             check=True).stdout
        needed = [line.split("[")[1].rstrip("]") for line in dyn.splitlines()
                  if "(NEEDED)" in line]
        self.assertIn("libcurl.so.4", needed)          # the listing is read right
        self.assertFalse([n for n in needed if "fido" in n or "passkey" in n], needed)
        ldd = subprocess.run(["ldd", str(MODULE)], capture_output=True, text=True,
                             check=True).stdout
        self.assertIn("libcrypto.so.3", ldd)
        self.assertNotIn("libfido2", ldd)                # nor through another library


class LoadedObjectsTest(PasskeyCase):
    """Which shared objects the pam-run process loads, from the dynamic
    loader's own record (LD_DEBUG=files: every object mapped, dlopen'd ones
    included, even if closed again before the process ends)."""

    def loaded(self, answers):
        out = Path(tempfile.mkdtemp(prefix="pc-lddebug-"))
        self.addCleanup(shutil.rmtree, out, True)
        r = self.s.run("alice", answers, extra_env={
            "PAM_COGNITO_TEST_FIDO_SOCKET": self.sock, "LD_DEBUG": "files",
            "LD_DEBUG_OUTPUT": str(out / "ld")})
        text = "".join(f.read_text() for f in out.glob("ld.*"))
        names = {line.split("file=")[1].split()[0] for line in text.splitlines()
                 if "file=" in line}
        return r, {Path(n).name for n in names}

    def test_password_login_loads_no_passkey_code(self):
        self.register()
        r, names = self.loaded([PASSWORDS["alice"]])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("pam_cognito.so", names)            # the record sees dlopen
        self.assertIn("libcurl.so.4", names)
        self.assertFalse([n for n in names if "fido" in n or "passkey" in n], sorted(names))

    def test_passkey_login_loads_them(self):
        # the same record shows the plugin and libfido2 when they are used
        self.register()
        r, names = self.loaded([""])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("pam_cognito_passkey.so", names)
        self.assertIn("libfido2.so.1", names)


class SilentPasskeyTest(PasskeyCase):
    """sudo authenticates with pam_authenticate(pamh, PAM_SILENT) by default
    (sudoers' pam_silent flag, plugins/sudoers/auth/pam.c): pam-run -q is
    that call. The touch prompt and why a passkey was refused are shown
    even so; information stays silent."""
    REMOTE_NOTE = ("Security keys (passkeys) cannot be used over a remote login: the key "
                   "is attached to your own computer.")

    def silent(self, answers, **kw):
        return self.run_pam("alice", answers, silent=True, **kw)

    def test_touch_prompt_is_shown(self):
        self.register()
        r = self.silent([""])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual((r.infos, r.errors), ([TOUCH], []))

    def test_each_refusal_reason_is_shown(self):
        self.register()
        self.key.touch = False
        r = self.silent(["", "Wrong-Passw0rd!"])
        self.assertEqual((r.code, r.errors),
                         ("PAM_AUTH_ERR", ["The security key was not touched in time."]))
        self.key.touch = True
        self.store.counter = 0                  # a cloned key: the pool refuses it
        r = self.silent(["", "Wrong-Passw0rd!"])
        self.assertEqual(r.errors, ["The user pool refused the security key's answer."], r)
        self.key.pin = "4321"
        self.emu.control("SetPoolWebAuthn", UserPoolId=POOL, UserVerification="required")
        r = self.silent(["", "1111", "Wrong-Passw0rd!"])
        self.assertEqual(r.errors, ["Wrong PIN for the security key."], r)
        self.store.creds = []                   # a different key: nothing for alice
        r = self.silent(["", "4321", "Wrong-Passw0rd!"])
        self.assertEqual(r.errors, ["This security key holds no passkey for your account."], r)
        r = self.run_pam("bob", ["", "Wrong-Passw0rd!"], silent=True)
        self.assertEqual(r.errors, ["No passkey is registered for your account."], r)
        r = self.s.run("alice", ["", "Wrong-Passw0rd!"], silent=True,
                       extra_env={"PAM_COGNITO_TEST_FIDO_SOCKET": str(self.dir / "none")})
        self.assertEqual((r.code, r.errors), ("PAM_AUTH_ERR", ["No security key is attached."]))

    def test_no_plugin_reason_is_shown(self):
        bare = Path(tempfile.mkdtemp(prefix="pc-noplugin-"))
        self.addCleanup(shutil.rmtree, bare, True)
        shutil.copy(MODULE, bare / "pam_cognito.so")
        s = Stack(base_config(self.emu, **self.config))
        self.addCleanup(s.cleanup)
        s.write_service(s.service, f"auth required {bare / 'pam_cognito.so'} "
                                   f"config={s.config_path}\n")
        r = self.run_pam("alice", ["", "Wrong-Passw0rd!"], stack=s, silent=True)
        self.assertEqual((r.code, r.errors),
                         ("PAM_AUTH_ERR", ["Security keys cannot be used on this host."]))

    def test_information_stays_silent(self):
        self.register()
        r = self.silent([PASSWORDS["alice"]], rhost="198.51.100.7")
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual((r.infos, r.errors), ([], []))
        r = self.run_pam("alice", [PASSWORDS["alice"]], rhost="198.51.100.7")
        self.assertEqual(r.infos, [self.REMOTE_NOTE])     # shown without PAM_SILENT


class SudoRhostTest(PasskeyCase):
    """sudo's pam_rhost flag sets PAM_RHOST to this host's own name
    (sudoers_sethost: gethostname(), else "localhost"): not a remote login,
    so the passkey is offered. Any other name stays remote (fail safe)."""

    def test_own_host_name_is_local(self):
        import socket
        self.register()
        for rhost in (socket.gethostname(), "localhost"):
            r = self.run_pam("alice", [""], rhost=rhost)
            self.assertEqual(r.code, "PAM_SUCCESS", (rhost, r))
            self.assertEqual(r.prompts, [PW_KEY], rhost)
            self.assertIn(TOUCH, r.infos)

    def test_other_names_stay_remote(self):
        import socket
        self.register()
        me = socket.gethostname()
        for rhost in (me + ".example.net", "x" + me, "127.0.0.2", "localhost.example.net"):
            r = self.run_pam("alice", [""], rhost=rhost)
            self.assertEqual(r.code, "PAM_AUTH_ERR", (rhost, r))
            self.assertEqual(r.prompts, ["Password: "], rhost)
        self.assertEqual(self.key.seen, [])


def unb64u(text):
    import base64
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


try:
    from fido2.server import Fido2Server
    from fido2.client import ClientData
    from fido2.ctap2 import AttestationObject, AuthenticatorData
    HAVE_FIDO2 = True
except ImportError:  # pragma: no cover - reported as a skip
    HAVE_FIDO2 = False


@unittest.skipUnless(TEST_PLUGIN.exists(), "built without libfido2 (no test plugin)")
class OnTheWireTest(PasskeyCase):
    """What the module and pam_cognito-passkey send, seen between them and
    the pool (tests/pam/answerproxy.py): python-fido2's own relying party
    (Debian's python3-fido2, Fido2Server) must accept the registration and
    the assertion, not only the project's emulator; and an assertion
    changed on its way fails the login closed."""

    def setUp(self):
        super().setUp()
        from answerproxy import AnswerProxy
        self.proxy = AnswerProxy(self.emu.url).start()
        self.addCleanup(self.proxy.stop)
        self.sp = self.stack(idp_endpoint=self.proxy.url)

    def register_with_tool(self):
        import subprocess
        env = dict(os.environ, PAM_COGNITO_PASSKEY_PLUGIN=str(TEST_PLUGIN),
                   PAM_COGNITO_TEST_FIDO_SOCKET=self.sock)
        p = subprocess.run([str(TOOL), "--config", str(self.sp.config_path), "--register",
                            "--user", "alice"], input=PASSWORDS["alice"] + "\n",
                           capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)

    @unittest.skipUnless(HAVE_FIDO2, "python3-fido2 is not installed")
    def test_python_fido2_accepts_registration_and_assertion(self):
        self.register_with_tool()
        _, started = self.proxy.call("StartWebAuthnRegistration")
        opts = started["CredentialCreationOptions"]
        sent, _ = self.proxy.call("CompleteWebAuthnRegistration")
        cred = sent["Credential"]
        cred = json.loads(cred) if isinstance(cred, str) else cred
        server = Fido2Server({"id": opts["rp"]["id"], "name": opts["rp"]["name"]})
        auth_data = server.register_complete(
            {"challenge": opts["challenge"], "user_verification": None},
            ClientData(unb64u(cred["response"]["clientDataJSON"])),
            AttestationObject(unb64u(cred["response"]["attestationObject"])))
        registered = auth_data.credential_data
        self.assertEqual(registered.credential_id, unb64u(cred["rawId"]))

        r = self.run_pam("alice", [""], stack=self.sp)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        _, challenged = self.proxy.call("InitiateAuth")
        self.assertEqual(challenged["ChallengeName"], "WEB_AUTHN")
        options = json.loads(challenged["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
        answer, _ = self.proxy.call("RespondToAuthChallenge")
        got = json.loads(answer["ChallengeResponses"]["CREDENTIAL"])
        server = Fido2Server({"id": options["rpId"], "name": "pool"})
        state = {"challenge": options["challenge"], "user_verification": None}
        verify = lambda g: server.authenticate_complete(  # noqa: E731
            state, [registered], unb64u(g["rawId"]),
            ClientData(unb64u(g["response"]["clientDataJSON"])),
            AuthenticatorData(unb64u(g["response"]["authenticatorData"])),
            unb64u(g["response"]["signature"]))
        self.assertIs(verify(got), registered)
        # and it says no to what the pool says no to (the tampering below)
        for name, change in self.TAMPER.items():
            bad = json.loads(json.dumps(got))
            change(bad)
            with self.subTest(tamper=name):
                self.assertRaises(ValueError, verify, bad)

    def client_data(cred, **fields):
        data = json.loads(unb64u(cred["response"]["clientDataJSON"]))
        data.update(fields)
        cred["response"]["clientDataJSON"] = b64u(json.dumps(data).encode())

    def flip(cred, field, at):
        raw = bytearray(unb64u(cred["response"][field]))
        raw[at] ^= 1
        cred["response"][field] = b64u(bytes(raw))

    # each a change to the module's CREDENTIAL and the pool's reason
    TAMPER = {
        "origin": lambda c: OnTheWireTest.client_data(c, origin="https://evil.example"),
        "challenge": lambda c: OnTheWireTest.client_data(c, challenge=b64u(b"x" * 32)),
        "type": lambda c: OnTheWireTest.client_data(c, type="webauthn.create"),
        "signature": lambda c: OnTheWireTest.flip(c, "signature", -1),
        "rpIdHash": lambda c: OnTheWireTest.flip(c, "authenticatorData", 0),
        "user present flag": lambda c: OnTheWireTest.flip(c, "authenticatorData", 32),
    }
    REASON = {
        "origin": "The origin is not allowed for this relying party.",
        "challenge": "The challenge does not match.",
        "type": "clientDataJSON type is not webauthn.get.",
        "signature": "The passkey signature does not verify.",
        "rpIdHash": "The relying party ID hash does not match.",
        "user present flag": "User presence was not asserted.",
    }

    def test_tampered_assertion_fails_closed(self):
        self.register()
        for name, change in self.TAMPER.items():
            with self.subTest(tamper=name):
                self.proxy.rewrite = change
                r = self.run_pam("alice", ["", "Wrong-Passw0rd!"], stack=self.sp)
                self.assertEqual(r.code, "PAM_AUTH_ERR", r)
                self.assertEqual(r.errors, ["The user pool refused the security key's answer."])
                self.assertEqual(r.prompts, [PW_KEY])
                self.assertTrue(any(self.REASON[name] in line for line in r.syslog), r.syslog)
        # the same key, untouched, still logs in: it was the change that was refused
        self.proxy.rewrite = None
        r = self.run_pam("alice", [""], stack=self.sp)
        self.assertEqual(r.code, "PAM_SUCCESS", r)


SUDO = Path("/usr/bin/sudo")


@unittest.skipUnless(TEST_PLUGIN.exists() and SUDO.exists() and os.geteuid() == 0,
                     "needs the test plugin, sudo and root")
class RealSudoTest(PasskeyCase):
    """The real sudo (real libpam, no pam_wrapper) with its defaults: it
    authenticates with PAM_SILENT (pam_silent). A sudoers drop-in for alice
    alone points sudo at a PAM service of this test (pam_service) and turns
    on pam_rhost (PAM_RHOST = this host's name), so nothing else of the
    machine's sudo changes."""
    SERVICE = "pc-passkey-sudo-test"

    # tests/checks/run (the other lane of tests/run) compares /etc/pam.d
    # before and after its package checks: it holds this lock meanwhile.
    SYSTEM_PAM_LOCK = "/tmp/pam_cognito-tests-system-pam.lock"

    def setUp(self):
        super().setUp()
        from pamrun import ensure_user
        ensure_user("alice")
        lock = open(self.SYSTEM_PAM_LOCK, "a")
        self.addCleanup(lock.close)  # runs last: after the files are gone
        fcntl.flock(lock, fcntl.LOCK_EX)
        cfg = Path(self.s.config_path)
        pamd = Path("/etc/pam.d") / self.SERVICE
        pamd.write_text(f"auth required {self.module} config={cfg}\n"
                        "account required pam_permit.so\n"
                        "session required pam_permit.so\n")
        self.addCleanup(pamd.unlink)
        # written beside and renamed: a sudo running meanwhile never reads
        # half a file (sudoers' includedir skips names with a dot)
        drop = Path("/etc/sudoers.d/pc-passkey-sudo-test")
        part = drop.with_name(".pc-passkey-sudo-test.part")
        part.write_text(f"Defaults:alice pam_service={self.SERVICE}, pam_rhost, !lecture\n"
                        # sudoers answers a plugin's getenv from the command's
                        # environment: the test key's socket is let through
                        "Defaults:alice env_keep += PAM_COGNITO_TEST_FIDO_SOCKET\n"
                        "alice ALL=(root) /usr/bin/true\n")
        os.chmod(part, 0o440)
        os.rename(part, drop)
        self.addCleanup(drop.unlink)

    def sudo(self, answer):
        import subprocess
        env = dict(os.environ, PAM_COGNITO_TEST_FIDO_SOCKET=self.sock)
        env.pop("LD_PRELOAD", None)
        return subprocess.run(["runuser", "-u", "alice", "--", str(SUDO), "-S", "-k",
                               "/usr/bin/true"], input=answer + "\n", capture_output=True,
                              text=True, env=env, timeout=60)

    def test_sudo_with_the_passkey(self):
        self.register()
        p = self.sudo("")
        self.assertEqual(p.returncode, 0, (p.stdout, p.stderr))
        # sudo -S: prompts on stderr, PAM_TEXT_INFO on stdout
        self.assertEqual((p.stderr, p.stdout), (PW_KEY, TOUCH + "\n"))
        self.assertIn(0x02, self.key.seen)      # the key was asked

    def test_sudo_says_why_the_key_was_refused(self):
        self.register()
        self.key.touch = False
        p = self.sudo("")
        self.assertEqual(p.returncode, 1)
        self.assertIn(PW_KEY + "The security key was not touched in time.\n", p.stderr)
        self.assertEqual(p.stdout, TOUCH + "\n")


TOOL = BUILD / "pam_cognito-passkey"


@unittest.skipUnless(TEST_PLUGIN.exists(), "built without libfido2 (no test plugin)")
class RegistrationToolTest(PasskeyCase):
    """pam_cognito-passkey against the emulator, making the credential on
    the software key through libfido2 (MakeCredential)."""

    def tool(self, *args, answers=(), env=None):
        import subprocess
        e = dict(os.environ, PAM_COGNITO_PASSKEY_PLUGIN=str(TEST_PLUGIN),
                 PAM_COGNITO_TEST_FIDO_SOCKET=self.sock)
        e.update(env or {})
        return subprocess.run([str(TOOL), "--config", str(self.s.config_path)] + list(args),
                              input="".join(a + "\n" for a in answers), capture_output=True,
                              text=True, env=e, timeout=60)

    def test_register_list_delete_then_log_in(self):
        p = self.tool("--register", "--user", "alice", answers=[PASSWORDS["alice"]])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "Passkey registered.\n")
        self.assertIn(TOUCH, p.stderr)
        self.assertIn(0x01, self.key.seen)              # CTAP2 MakeCredential
        self.assertEqual(self.key.opened, 1)            # opened once
        self.assertEqual(len(self.store.creds), 1)
        cred_id = b64u(self.store.creds[0].id)
        p = self.tool("--list", "--user", "alice", answers=[PASSWORDS["alice"]])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "%s\tPasskey 1\tauth.example.com\n" % cred_id)
        # the passkey the tool registered logs in through PAM
        r = self.run_pam("alice", [""])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        p = self.tool("--delete", cred_id, "--user", "alice", answers=[PASSWORDS["alice"]])
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.tool("--list", "--user", "alice", answers=[PASSWORDS["alice"]])
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)
        self.assertIn("No passkeys are registered.", p.stderr)

    def test_mfa_and_pin_when_required(self):
        from otp_reference import totp
        self.key.pin = "2468"
        self.emu.control("SetPoolWebAuthn", UserPoolId=POOL, UserVerification="required")
        p = self.tool("--register", "--user", "carol",
                      answers=["Carol-Passkey1!", totp("JBSWY3DPEHPK3PXP"), "2468"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Security key PIN: ", p.stderr)
        self.assertEqual(len(self.store.creds), 1)

    def test_refusals(self):
        p = self.tool("--register", "--user", "alice", answers=["Wrong-Passw0rd!"])
        self.assertEqual(p.returncode, 1)
        self.assertIn("sign-in failed", p.stderr)
        p = self.tool("--register", "--user", "alice", answers=[PASSWORDS["alice"]],
                      env={"PAM_COGNITO_TEST_FIDO_SOCKET": str(self.dir / "none")})
        self.assertEqual(p.returncode, 1)
        self.assertIn("No security key is attached.", p.stderr)

    def test_over_long_answers_are_refused(self):
        # the password: refused before anything is sent
        p = self.tool("--list", "--user", "alice", answers=["x" * 1024])
        self.assertEqual((p.returncode, p.stdout), (1, ""), p.stderr)
        self.assertEqual(p.stderr, "Password: pam_cognito-passkey: the password is longer "
                                   "than 1023 characters: refused\n")
        self.assertEqual(self.calls("InitiateAuth"), 0)
        # 1023 characters are read whole (the pool then says no)
        p = self.tool("--list", "--user", "alice", answers=["x" * 1023])
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("sign-in failed", p.stderr)
        self.assertNotIn("longer than", p.stderr)
        # the PIN: refused, and the key is never asked with it
        self.key.pin = "2468"
        self.emu.control("SetPoolWebAuthn", UserPoolId=POOL, UserVerification="required")
        p = self.tool("--register", "--user", "alice",
                      answers=[PASSWORDS["alice"], "7" * 5000])
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("Security key PIN: pam_cognito-passkey: the answer is longer than "
                      "1023 characters: refused\n", p.stderr)
        self.assertIn("The security key's PIN is needed for this sign-in.", p.stderr)
        self.assertEqual(self.store.creds, [])
        self.assertEqual(self.key.retries, 8)

    def test_password_and_pin_are_not_echoed(self):
        import io
        import pexpect
        self.key.pin = "2468"
        self.emu.control("SetPoolWebAuthn", UserPoolId=POOL, UserVerification="required")
        env = dict(os.environ, PAM_COGNITO_PASSKEY_PLUGIN=str(TEST_PLUGIN),
                   PAM_COGNITO_TEST_FIDO_SOCKET=self.sock)
        child = pexpect.spawn(str(TOOL), ["--config", str(self.s.config_path), "--register",
                                          "--user", "alice"],
                              env=env, encoding="utf-8", timeout=60)
        self.addCleanup(child.close, force=True)
        child.logfile_read = io.StringIO()     # all the terminal shows
        child.expect_exact("Password: ")
        child.sendline(PASSWORDS["alice"])
        child.expect_exact("Security key PIN: ")
        child.sendline("2468")
        child.expect(pexpect.EOF)
        child.close()
        seen = child.logfile_read.getvalue()
        self.assertEqual(child.exitstatus, 0, seen)
        self.assertIn("Passkey registered.", seen)
        self.assertNotIn(PASSWORDS["alice"], seen)
        self.assertNotIn("2468", seen)
        self.assertEqual(len(self.store.creds), 1)

    def test_no_token_written(self):
        before = {str(x) for x in Path(self.s.dir).rglob("*")}
        p = self.tool("--register", "--user", "alice", answers=[PASSWORDS["alice"]])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual({str(x) for x in Path(self.s.dir).rglob("*")}, before)


if __name__ == "__main__":
    unittest.main()
