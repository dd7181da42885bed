"""A missing, unsafe or malformed configuration never lets anyone in, and
the syslog line names the file, the line and the problem."""
import os
import unittest

from pamrun import EmulatorTest, base_config, write_config


class ConfigTest(EmulatorTest):
    def refused(self, *needles, args=None):
        if args is not None:
            self.s.write_service(self.s.service, f"auth required @MODULE@ {args}\n")
        r = self.s.run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
        log = "\n".join(r.syslog)
        for n in needles:
            self.assertIn(n, log)
        return r

    def test_good_config_works(self):
        self.assertEqual(self.s.run("alice", ["Alice-Passw0rd!"]).code, "PAM_SUCCESS")

    def test_missing_file(self):
        os.unlink(self.cfg)
        self.refused(self.cfg, "No such file")

    def test_syntax_error_names_file_and_line(self):
        with open(self.cfg, "a") as f:
            f.write("timeout = = 3;\n")
        lines = open(self.cfg).read().count("\n")
        self.refused(f"{self.cfg}:{lines}")

    def test_unknown_key(self):
        with open(self.cfg, "a") as f:
            f.write('client_idd = "x";\n')
        self.refused(self.cfg, "client_idd")

    def test_missing_required_key(self):
        keys = base_config(self.emu)
        del keys["client_id"]
        write_config(self.cfg, keys)
        self.refused("client_id")

    def test_world_readable_file(self):
        os.chmod(self.cfg, 0o644)
        self.refused(self.cfg)

    def test_group_writable_file(self):
        os.chmod(self.cfg, 0o620)
        self.refused(self.cfg)

    def test_symlink_refused(self):
        real = self.cfg + ".real"
        os.rename(self.cfg, real)
        os.symlink(real, self.cfg)
        self.refused(self.cfg)

    def test_not_owned_by_root(self):
        os.chown(self.cfg, 65534, 65534)
        self.refused(self.cfg)

    def test_plain_http_to_a_remote_host_is_refused(self):
        write_config(self.cfg, base_config(self.emu, idp_endpoint="http://cognito.example.com/"))
        self.refused("idp_endpoint")

    def test_string_key_of_the_wrong_format(self):
        # Checked when the file loads, naming the file, the line and the key
        # (issue 23, item 9); the same check for a module argument.
        write_config(self.cfg, base_config(self.emu, identity_pool_id="us-east-1/pool"))
        lines = open(self.cfg).read().splitlines()
        line = next(i for i, l in enumerate(lines, 1) if l.startswith("identity_pool_id"))
        r = self.refused(f"configuration: {self.cfg}:{line}: identity_pool_id: expected an identity pool id")
        self.assertFalse(any("us-east-1/pool" in l for l in r.syslog), r.syslog)
        write_config(self.cfg, base_config(self.emu))
        self.refused("module argument: role_arn: expected an IAM role ARN",
                     args=f"config={self.cfg} role_arn=arn:aws:iam::1:role/x")

    def test_fips_where_aws_has_none_fails_closed(self):
        # GovCloud us-gov-east-1 has no FIPS host of Cognito (botocore's
        # endpoint data): use_fips there is a configuration error, never a
        # login sent to a host that does not exist or to a non-FIPS one.
        write_config(self.cfg, base_config(self.emu, region="us-gov-east-1",
                                           user_pool_id="us-gov-east-1_AbC123",
                                           use_fips=True, idp_endpoint=None))
        r = self.refused("use_fips: AWS offers no FIPS endpoint of Cognito user pools in "
                         "region 'us-gov-east-1'")
        self.assertEqual(self.calls("InitiateAuth"), 0)

    def test_bad_auth_flow(self):
        write_config(self.cfg, base_config(self.emu, auth_flow="CUSTOM_AUTH"))
        self.refused("auth_flow")

    def test_unknown_module_argument(self):
        self.refused("nosuchoption", args=f"config={self.cfg} nosuchoption")

    def test_client_secret_refused_as_argument(self):
        self.refused("client_secret", args=f"config={self.cfg} client_secret=abc")

    def test_argument_overrides_file(self):
        write_config(self.cfg, base_config(self.emu, client_id="wrongclient"))
        self.s.write_service(self.s.service,
                             "auth required @MODULE@ config=@CONFIG@ client_id=publicclient0000000000000001\n")
        self.assertEqual(self.s.run("alice", ["Alice-Passw0rd!"]).code, "PAM_SUCCESS")

    def test_bare_boolean_argument_means_true(self):
        # credentials_required alone: with an identity pool that cannot be
        # reached, the login must now fail instead of going on.
        write_config(self.cfg, base_config(self.emu, identity_pool_id="us-east-1:11111111-2222-3333-4444-555555555555",
                                           identity_endpoint="http://127.0.0.1:9"))
        self.s.write_service(self.s.service,
                             "auth required @MODULE@ config=@CONFIG@ credentials_required\n")
        self.assertEqual(self.s.run("alice", ["Alice-Passw0rd!"]).code, "PAM_AUTHINFO_UNAVAIL")
        self.s.write_service(self.s.service, "auth required @MODULE@ config=@CONFIG@ timeout\n")
        self.assertEqual(self.s.run("alice", ["Alice-Passw0rd!"]).code, "PAM_SERVICE_ERR")

    def test_unknown_client_is_not_success(self):
        write_config(self.cfg, base_config(self.emu, client_id="nosuchclient"))
        r = self.s.run("alice", ["Alice-Passw0rd!"])
        self.assertNotEqual(r.code, "PAM_SUCCESS", r)


if __name__ == "__main__":
    unittest.main()
