"""What pam_cognito-sync sends, judged by the official AWS SDK for
JavaScript v3 (tests/pam/sdkjudge.py): every request of a run that pages
through a group is the SDK's input shape of its operation and is signed,
as the SDK's model says it must be."""
import unittest

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import SyncCase, run_sync, write_config
from sdkjudge import judge  # noqa: E402 (synccommon puts tests/pam on the path)


class SyncSdkRequestsTest(SyncCase):
    many = 70  # two pages of ListUsersInGroup for pcs-many

    def test_sync_requests_are_modeled_and_signed(self):
        # login_claim email: the run first checks no app client lets users
        # write email_verified (ListUserPoolClients, DescribeUserPoolClient).
        write_config(self.cfg, self.emu, nss_dir=self.nss, nss_groups=["pcs-staff", "pcs-many"],
                     login_claim="email")
        self.emu.control("Requests", Clear=True)
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        verdict = judge(self, self.emu, "ListUsersInGroup", "ListUserPoolClients",
                        "DescribeUserPoolClient")
        self.assertGreaterEqual(verdict["Operations"]["ListUsersInGroup"], 2, verdict)


if __name__ == "__main__":
    unittest.main()
