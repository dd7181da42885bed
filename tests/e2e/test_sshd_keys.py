"""SSH-key logins through a real sshd: pam_cognito's account stage decides
for a user it did not authenticate, from the root-only record of their last
password login, refreshed against the pool."""
import os
import shutil
import subprocess
import tempfile

from cognito import MODULE, POOL, SshdCase, config_file

USER = "alice"


def account_stack(config):
    """pam_cognito in the account stage too: it decides key logins."""
    return (f"auth required {MODULE} config={config}\n"
            f"account required {MODULE} config={config}\n"
            f"session required {MODULE} config={config}\n"
            "session required pam_permit.so\n")


class SshdKeyTest(SshdCase):
    users = (USER,)
    sshd_debug = 2

    @classmethod
    def make_config(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pc-e2e-keys-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        os.chmod(cls.tmp, 0o755)
        cls.key = os.path.join(cls.tmp, "id_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", cls.key],
                       check=True, capture_output=True, timeout=30)
        keys = os.path.join(cls.tmp, "authorized_keys")
        shutil.copy(cls.key + ".pub", keys)
        os.chmod(keys, 0o644)
        cls.cache = os.path.join(cls.tmp, "cache")
        cls.config = config_file(cls.emu, allowed_groups=["ops"], cache_dir=cls.cache)
        # Either a key or keyboard-interactive (the password login that
        # leaves the account record).
        cls.sshd_config = ("PubkeyAuthentication yes\n"
                           f"AuthorizedKeysFile {keys}\n"
                           "AuthenticationMethods publickey keyboard-interactive\n")

    @classmethod
    def stack(cls, config):
        return account_stack(config)

    def setUp(self):
        super().setUp()
        try:
            self.emu.idp("CreateGroup", UserPoolId=POOL, GroupName="ops")
        except Exception:
            pass
        self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username=USER, GroupName="ops")
        shutil.rmtree(self.cache, ignore_errors=True)

    def key_login(self):
        opts = ("PreferredAuthentications=publickey", f"IdentityFile={self.key}",
                "IdentitiesOnly=yes")
        return self.sshd.login(USER, [], command="echo key-shell-$(id -un)", ssh_options=opts)

    def password_login(self):
        return self.sshd.login(USER, [(r"Password: ", "Alice-Passw0rd!")],
                               command="echo password-shell")

    def test_key_login_follows_the_allowed_group(self):
        r = self.key_login()
        self.assertNotEqual(r.exit_status, 0, "never seen here: account_required "
                            "is off, but pam_cognito is 'required' in this stack")
        self.assertEqual(self.password_login().exit_status, 0)
        r = self.key_login()
        self.assertEqual(r.exit_status, 0, r.transcript + self.sshd.log[-3000:])
        self.assertIn("key-shell-alice", r.output)
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username=USER, GroupName="ops")
        r = self.key_login()
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertNotIn("key-shell", r.output)
        self.assertIn("allowed_groups", self.sshd.log)

    def test_key_login_of_a_disabled_user_is_refused(self):
        self.assertEqual(self.password_login().exit_status, 0)
        self.emu.idp("AdminDisableUser", UserPoolId=POOL, Username=USER)
        r = self.key_login()
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertNotIn("key-shell", r.output)
        self.emu.idp("AdminEnableUser", UserPoolId=POOL, Username=USER)


class SshdDeviceKeyTest(SshdCase):
    """Issue 24 item 2: in a pool that tracks devices, with remember_device
    = false, the key of the device Cognito bound the password login's
    tokens to is kept with the refresh token, so the account stage of a
    later key login renews them (before, Cognito refused the refresh without
    the key and every key login was refused)."""
    users = ("devplain",)
    sshd_debug = 2

    @classmethod
    def make_config(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pc-e2e-devkeys-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        os.chmod(cls.tmp, 0o755)
        cls.key = os.path.join(cls.tmp, "id_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", cls.key],
                       check=True, capture_output=True, timeout=30)
        keys = os.path.join(cls.tmp, "authorized_keys")
        shutil.copy(cls.key + ".pub", keys)
        os.chmod(keys, 0o644)
        cls.cache = os.path.join(cls.tmp, "cache")
        cls.config = config_file(cls.emu, user_pool_id="us-east-1_DevAlways",
                                 client_id="devicesclient000000000000001",
                                 remember_device=False, cache_dir=cls.cache)
        cls.sshd_config = ("PubkeyAuthentication yes\n"
                           f"AuthorizedKeysFile {keys}\n"
                           "AuthenticationMethods publickey keyboard-interactive\n")

    @classmethod
    def stack(cls, config):
        return account_stack(config)

    def test_key_login_renews_with_the_kept_device_key(self):
        r = self.sshd.login("devplain", [(r"Password: ", "DevPlain-Passw0rd1!")],
                            command="echo password-shell")
        self.assertEqual(r.exit_status, 0, r.transcript)
        devs = self.emu.control("GetUserState", UserPoolId="us-east-1_DevAlways",
                                Username="devplain")["Devices"]
        self.assertEqual([d["Confirmed"] for d in devs], [False])   # not registered
        opts = ("PreferredAuthentications=publickey", f"IdentityFile={self.key}",
                "IdentitiesOnly=yes")
        r = self.sshd.login("devplain", [], command="echo key-shell-$(id -un)",
                            ssh_options=opts)
        self.assertEqual(r.exit_status, 0, r.transcript + self.sshd.log[-3000:])
        self.assertIn("key-shell-devplain", r.output)
        sent = self.emu.control("RefreshRequests")["Requests"]
        self.assertEqual([(q["Operation"], q["DeviceKey"]) for q in sent],
                         [("GetTokensFromRefreshToken", devs[0]["DeviceKey"])])
