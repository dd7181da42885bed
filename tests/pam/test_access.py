"""Who may log in (issue: access control): system accounts are never
Cognito's, every ID token is verified, the login is bound to the verified
identity, allowed_users/allowed_groups hold in auth and in the account
stage, which also decides for logins this module did not authenticate (an
SSH key) from a root-only record. Real libpam stacks against the emulator."""
import glob
import json
import os
import pwd
import stat

from pamrun import CacheTest, POOL, Stack, base_config

PASSWORDS = {"alice": "Alice-Passw0rd!", "bob": "Bob-Passw0rd!"}
TOKEN_FAULTS = {
    "token_other_key": "signed with a key the pool does not publish",
    "token_other_key_known_kid": "bad signature",
    "token_alg_none": "not RS256",
    "token_alg_hs256": "not RS256",
    "token_bad_signature": "bad signature",
    "token_wrong_iss": "issuer is not https://cognito-idp.us-east-1.amazonaws.com/" + POOL,
    "token_wrong_aud": "audience is not this app client",
    "token_expired": "expired",
    "token_use_access": 'token_use is not "id"',
}


class AccessTest(CacheTest):
    def stack(self, **over):
        over.setdefault("cache_dir", self.cache)
        text = ("auth required @MODULE@ config=@CONFIG@\n"
                "account required @MODULE@ config=@CONFIG@\n"
                "password required @MODULE@ config=@CONFIG@\n"
                "session required @MODULE@ config=@CONFIG@\n"
                "session optional pam_permit.so\n")
        s = Stack(base_config(self.emu, **over), service_text=text)
        self.stacks.append(s)
        return s

    def ignore_probe(self, **over):
        """A stack that answers PAM_SUCCESS exactly when pam_cognito answers
        PAM_IGNORE in every stage: its success dies as PAM_PERM_DENIED and
        its errors as themselves, while an ignore falls through to
        pam_permit."""
        over.setdefault("cache_dir", self.cache)
        text = "".join(f"{t} [ignore=ignore default=die] @MODULE@ config=@CONFIG@\n"
                       f"{t} required pam_permit.so\n"
                       for t in ("auth", "account", "password", "session"))
        s = Stack(base_config(self.emu, **over), service_text=text)
        self.stacks.append(s)
        return s

    def login(self, s, user="alice", password=None, stages=("auth",)):
        return s.run(user, [password or PASSWORDS[user]], stages=stages)

    def requests(self):
        return self.emu.control("Stats")["Requests"]

    def make_pool_user(self, name, password="Root-Passw0rd!"):
        self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username=name,
                     MessageAction="SUPPRESS",
                     UserAttributes=[{"Name": "name", "Value": name}])
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username=name,
                     Password=password, Permanent=True)

    def group(self, user, name, add=True):
        try:
            self.emu.idp("CreateGroup", UserPoolId=POOL, GroupName=name)
        except Exception:  # exists already
            pass
        op = "AdminAddUserToGroup" if add else "AdminRemoveUserFromGroup"
        self.emu.idp(op, UserPoolId=POOL, Username=user, GroupName=name)

    def refused_by(self, r, text):
        return any(text in line for line in r.syslog)

    # -- system accounts ---------------------------------------------------
    def test_pool_user_named_root_is_ignored_without_a_request(self):
        self.make_pool_user("root")
        s = self.ignore_probe()
        self.emu.control("ResetStats")
        r = s.run("root", ["Root-Passw0rd!"],
                  stages=("auth", "acct", "setcred", "open", "chauthtok"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 5, r)
        self.assertEqual(r.prompts, [], "no password prompt for root")
        self.assertEqual(self.requests(), 0)
        self.assertEqual(self.emu.control("Stats")["JwksFetches"], 0)

    def test_uid_below_min_uid_is_ignored_without_a_request(self):
        s = self.ignore_probe(min_uid=self.alice.pw_uid + 1)
        self.emu.control("ResetStats")
        r = self.login(s, stages=("auth", "acct"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assertEqual(r.prompts, [])
        self.assertEqual(self.requests(), 0)
        # The probe's control: at min_uid itself the module decides, and its
        # success dies as PAM_PERM_DENIED in the probe.
        s = self.ignore_probe(min_uid=self.alice.pw_uid)
        self.assertEqual(self.login(s).code, "PAM_PERM_DENIED")
        self.assertEqual(self.login(self.stack(min_uid=self.alice.pw_uid)).code, "PAM_SUCCESS")

    def test_system_account_daemon_is_ignored(self):
        self.make_pool_user("daemon", "Daemon-Passw0rd!")
        s = self.ignore_probe()
        self.emu.control("ResetStats")
        r = s.run("daemon", ["Daemon-Passw0rd!"], stages=("auth",))
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(self.requests(), 0)

    def test_pool_user_nobody_is_ignored_without_a_request(self):
        # Issue 22, item 4: uid 65534 is above min_uid, yet nobody is never
        # a pool user's way in, in any stage.
        self.make_pool_user("nobody", "Nobody-Passw0rd!")
        self.assertEqual(pwd.getpwnam("nobody").pw_uid, 65534)
        s = self.ignore_probe()
        self.emu.control("ResetStats")
        r = s.run("nobody", ["Nobody-Passw0rd!"],
                  stages=("auth", "acct", "setcred", "open", "chauthtok"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 5, r)
        self.assertEqual(r.prompts, [], "no password prompt for nobody")
        self.assertEqual(self.requests(), 0)
        self.assertEqual(self.emu.control("Stats")["JwksFetches"], 0)
        # Alone in the stack, the module's answer is the stack's failure:
        # nobody never gets in through pam_cognito.
        r = self.stack().run("nobody", ["Nobody-Passw0rd!"])
        self.assertNotEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(self.requests(), 0)

    def test_uid_above_max_uid_is_ignored_without_a_request(self):
        s = self.ignore_probe(max_uid=self.alice.pw_uid - 1, min_uid=1)
        self.emu.control("ResetStats")
        r = self.login(s, stages=("auth", "acct"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assertEqual(r.prompts, [])
        self.assertEqual(self.requests(), 0)
        # At max_uid itself the module decides.
        s = self.ignore_probe(max_uid=self.alice.pw_uid)
        self.assertEqual(self.login(s).code, "PAM_PERM_DENIED")
        self.assertEqual(self.login(self.stack(max_uid=self.alice.pw_uid)).code, "PAM_SUCCESS")

    def test_max_uid_below_min_uid_is_a_configuration_error(self):
        r = self.login(self.stack(min_uid=2000, max_uid=1999))
        self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
        self.assertTrue(self.refused_by(r, "max_uid (1999) is below min_uid (2000)"), r.syslog)

    def test_sync_range_over_the_reserved_block_is_a_configuration_error(self):
        r = self.login(self.stack(uid_min=50000, uid_max=70000))
        self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
        self.assertTrue(self.refused_by(r, "overlaps the reserved uids 60000..65535"), r.syslog)

    # -- login_claim a user can write -------------------------------------------
    def set_attribute(self, user, name, value):
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username=user,
                     UserAttributes=[{"Name": name, "Value": value}])

    def test_writable_login_claim_needs_login_claim_trusted(self):
        # Issue 22, item 8: preferred_username is the user's to set (through
        # any app client with default write rights). Bound to it, a login
        # would be whatever name the user chose.
        self.set_attribute("alice", "preferred_username", "alice")
        self.emu.control("ResetStats")
        r = self.login(self.stack(login_claim="preferred_username"))
        self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
        self.assertTrue(self.refused_by(
            r, "login_claim: 'preferred_username' is an attribute users can change through "
               "an app client"), r.syslog)
        self.assertTrue(self.refused_by(r, "login_claim_trusted = true"), r.syslog)
        self.assertEqual(self.requests(), 0)
        # The administrator states that no app client can write it.
        s = self.stack(login_claim="preferred_username", login_claim_trusted=True)
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.set_attribute("alice", "preferred_username", "bob")
        r = self.login(s)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(self.refused_by(r, "token claim preferred_username does not match"),
                        r.syslog)

    def test_custom_login_claim_needs_login_claim_trusted(self):
        r = self.login(self.stack(login_claim="custom:login"))
        self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
        self.assertTrue(self.refused_by(r, "'custom:login' is an attribute users can change"),
                        r.syslog)

    def test_unverified_email_claim_is_not_bound(self):
        # email needs no login_claim_trusted: the binding takes it only
        # with email_verified true.
        s = self.stack(login_claim="email", username_suffix="@example.com")
        self.set_attribute("alice", "email", "alice@example.com")
        self.set_attribute("alice", "email_verified", "true")
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.set_attribute("alice", "email_verified", "false")
        r = self.login(s)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(self.refused_by(r, "email_verified is not true"), r.syslog)

    # -- token verification --------------------------------------------------
    def test_every_token_fault_is_refused(self):
        s = self.stack()
        for kind, why in TOKEN_FAULTS.items():
            with self.subTest(kind=kind):
                self.emu.control("SetFault", Operation="*", Kind=kind)
                r = self.login(s)
                self.assertEqual(r.code, "PAM_AUTH_ERR", r)
                self.assertTrue(self.refused_by(r, why), (kind, r.syslog))
                self.assertEqual(r.errors, [], "the user sees what a wrong password shows")
                self.emu.control("ClearFaults")
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")

    def test_jwks_fetched_once_for_many_logins_and_again_for_a_new_kid(self):
        s = self.stack()
        self.emu.control("ResetStats")
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        # The first login fetches the keys; twice when a scripted password
        # cuts the warm-up's GET short (the warm-up never makes a login wait
        # for its own requests) and the login fetches them itself.
        first = self.emu.control("Stats")["JwksFetches"]
        self.assertIn(first, (1, 2))
        for _ in range(3):
            self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.assertEqual(self.emu.control("Stats")["JwksFetches"], first)
        store = glob.glob(os.path.join(self.cache, ".private", "jwks-*.json"))
        self.assertEqual(len(store), 1)
        st = os.stat(store[0])
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (0, 0o600))
        self.emu.control("RotateSigningKey")
        # Within a minute of the last fetch an unknown kid is refused
        # without a new fetch (a forged kid cannot make logins hammer the
        # pool)...
        r = self.login(s)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(self.emu.control("Stats")["JwksFetches"], first)
        # ...a minute later it makes one fetch and the login succeeds.
        with open(store[0]) as f:
            doc = json.load(f)
        doc["fetched_at"] -= 61
        with open(store[0], "w") as f:
            json.dump(doc, f)
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.assertEqual(self.emu.control("Stats")["JwksFetches"], first + 1)

    def test_jwks_unreachable_is_unavailable_not_success(self):
        s = self.stack()
        self.emu.control("SetFault", Operation="*", Kind="token_other_key")
        os.makedirs(self.cache, exist_ok=True)
        r = self.login(s)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)

    # -- binding -------------------------------------------------------------
    def test_case_variant_of_the_name_is_not_the_user(self):
        s = self.stack()
        r = self.login(s, user="ALICE", password=PASSWORDS["alice"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(self.refused_by(r, "cognito:username does not match"), r.syslog)

    def test_username_suffix_with_email_claim(self):
        # alice signs in to the pool as alice@... only when the pool says so:
        # here the pool's user is "alice", so the suffix makes a name Cognito
        # does not know.
        s = self.stack(username_suffix="@example.com")
        r = self.login(s)
        self.assertNotEqual(r.code, "PAM_SUCCESS", r)

    # -- rules in auth ---------------------------------------------------------
    def test_allowed_groups(self):
        s = self.stack(allowed_groups=["ops"])
        r = self.login(s)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(self.refused_by(r, "none of allowed_groups"), r.syslog)
        self.assertEqual(r.errors, [])
        self.group("alice", "ops")
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")

    def test_allowed_users(self):
        s = self.stack(allowed_users=["bob"])
        self.assertEqual(self.login(s).code, "PAM_AUTH_ERR")
        self.assertEqual(self.login(s, "bob").code, "PAM_SUCCESS")

    def test_wrong_password_still_wrong_with_rules(self):
        s = self.stack(allowed_users=["alice"])
        self.assertEqual(self.login(s, password="Wrong-Passw0rd!").code, "PAM_AUTH_ERR")

    # -- account stage -------------------------------------------------------
    def account(self, s, user="alice"):
        """The account stage alone, in a new process: sshd after a key."""
        return s.run(user, [], stages=("acct",))

    def test_account_in_the_same_process_uses_auth_decision(self):
        s = self.stack(allowed_groups=["ops"])
        self.group("alice", "ops")
        self.emu.control("ResetStats")
        r = self.login(s, stages=("auth", "acct"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assertEqual(self.calls("InitiateAuth"), 1)

    def test_account_after_login_follows_the_pool(self):
        s = self.stack(allowed_groups=["ops"])
        self.group("alice", "ops")
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        record = os.path.join(self.cache, ".private", "alice", "account.json")
        st = os.stat(record)
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (0, 0o600))
        self.assertEqual(self.account(s).code, "PAM_SUCCESS")
        self.group("alice", "ops", add=False)
        r = self.account(s)
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)
        self.assertTrue(self.refused_by(r, "allowed_groups"), r.syslog)
        self.group("alice", "ops")
        self.assertEqual(self.account(s).code, "PAM_SUCCESS")
        self.emu.idp("AdminDisableUser", UserPoolId=POOL, Username="alice")
        r = self.account(s)
        self.assertEqual(r.code, "PAM_ACCT_EXPIRED", r)
        self.assertTrue(self.refused_by(r, "User is disabled"), r.syslog)
        # Cognito's "no" is final: enabling again needs a password login.
        self.emu.idp("AdminEnableUser", UserPoolId=POOL, Username="alice")
        self.assertEqual(self.account(s).code, "PAM_ACCT_EXPIRED")
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.assertEqual(self.account(s).code, "PAM_SUCCESS")

    def test_account_after_global_sign_out_is_expired(self):
        s = self.stack()
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.emu.idp("AdminUserGlobalSignOut", UserPoolId=POOL, Username="alice")
        r = self.account(s)
        self.assertEqual(r.code, "PAM_ACCT_EXPIRED", r)
        self.assertTrue(self.refused_by(r, "revoked"), r.syslog)

    def test_account_with_cognito_down_inside_and_beyond_grace(self):
        s = self.stack()
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.emu.control("SetFault", Operation="GetTokensFromRefreshToken", Kind="http500", Count=10)
        r = self.account(s)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(self.refused_by(r, "admitted by the decision verified"), r.syslog)
        self.emu.control("SetFault", Operation="GetTokensFromRefreshToken", Kind="http500", Count=10)
        s0 = self.stack(account_grace=0)
        r = self.account(s0)
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)
        self.assertTrue(self.refused_by(r, "account_grace is 0 s"), r.syslog)

    def test_account_grace_applies_todays_rules(self):
        s = self.stack()
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.emu.control("SetFault", Operation="GetTokensFromRefreshToken", Kind="http500", Count=10)
        r = self.account(self.stack(allowed_groups=["ops"]))
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)

    def test_account_for_a_user_never_seen(self):
        s = self.stack()
        r = self.account(s, "bob")
        self.assertEqual(r.code, "PAM_USER_UNKNOWN", r)
        r = self.account(self.stack(account_required=True), "bob")
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)

    def test_account_record_is_not_the_users_to_replace(self):
        s = self.stack(allowed_groups=["ops"])
        self.group("alice", "ops")
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        record = os.path.join(self.cache, ".private", "alice", "account.json")
        # The directory is root's and closed: alice cannot even look.
        st = os.stat(os.path.dirname(record))
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (0, 0o700))
        # A record owned by the user (planted by some other way) is refused:
        # an error, never PAM_USER_UNKNOWN (which stacks skip with
        # user_unknown=ignore).
        os.chown(record, self.alice.pw_uid, self.alice.pw_gid)
        r = self.account(s)
        self.assertEqual(r.code, "PAM_SYSTEM_ERR", r)
        self.assertTrue(self.refused_by(r, "account stage failed"), r.syslog)

    def test_account_record_of_a_deleted_uid_is_ignored(self):
        s = self.stack()
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        record = os.path.join(self.cache, ".private", "alice", "account.json")
        doc = json.load(open(record))
        doc["uid"] = doc["uid"] + 4242
        with open(record, "w") as f:
            json.dump(doc, f)
        self.assertEqual(self.account(s).code, "PAM_USER_UNKNOWN")
