"""ListUserPoolClients and DescribeUserPoolClient, as pam_cognito-sync asks
them, driven through botocore (the AWS SDK for Python; it parses the
replies with its own service model, so a reply of the wrong shape fails here): pages,
WriteAttributes present only when set, AWS's errors, and the signature."""
import os
import sys
import unittest

import botocore.config
import botocore.exceptions
import botocore.session

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import sigv4  # noqa: E402
from control import Emulator, EmulatorError, default_fixture  # noqa: E402

POOL = "us-east-1_Emul4tor"


class AdminClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(fixture=default_fixture()).start()
        key = sigv4.DEFAULT_KEYS[0]
        session = botocore.session.get_session()

        def client(**extra):
            return session.create_client(
                "cognito-idp", region_name="us-east-1", endpoint_url=cls.emu.url,
                aws_access_key_id=key["AccessKeyId"],
                aws_secret_access_key=key["SecretAccessKey"],
                config=botocore.config.Config(retries={"max_attempts": 1}, **extra))
        cls.idp = client()
        # Parameters the SDK would refuse before sending, to see the server's answer.
        cls.raw = client(parameter_validation=False)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.control("Reset")

    def error(self, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        return cm.exception.response["Error"]

    def test_every_listed_error_of_the_signed_calls(self):
        """The sync tool's calls answer each error type of the model, as the
        SDK reads it (code and HTTP status)."""
        import error_catalog
        calls = {"ListGroups": lambda: self.idp.list_groups(UserPoolId=POOL),
                 "ListUsersInGroup": lambda: self.idp.list_users_in_group(
                     UserPoolId=POOL, GroupName="admins"),
                 "ListUserPoolClients": lambda: self.idp.list_user_pool_clients(
                     UserPoolId=POOL),
                 "DescribeUserPoolClient": lambda: self.idp.describe_user_pool_client(
                     UserPoolId=POOL, ClientId="publicclient0000000000000001")}
        self.assertEqual(sorted(calls), sorted(sigv4.SIGNED_OPERATIONS))
        for op, call in calls.items():
            for kind in error_catalog.ERRORS[op]:
                with self.subTest(op=op, kind=kind):
                    # botocore retries a 500 (max_attempts 1: one retry)
                    self.emu.control("ClearFaults")
                    self.emu.control("SetFault", Operation=op, Kind="error", ErrorType=kind,
                                     Message="injected " + kind, Count=2)
                    with self.assertRaises(botocore.exceptions.ClientError) as cm:
                        call()
                    err = cm.exception.response
                    self.assertEqual(err["Error"]["Code"], kind)
                    self.assertEqual(err["Error"]["Message"], "injected " + kind)
                    self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"],
                                     error_catalog.STATUS.get(kind, 400))

    def test_pages_of_clients(self):
        fixture_ids = {c["ClientId"] for c in default_fixture()["UserPools"][0]["Clients"]}
        first = self.idp.list_user_pool_clients(UserPoolId=POOL, MaxResults=3)
        self.assertEqual(len(first["UserPoolClients"]), 3)
        self.assertIn("NextToken", first)
        for c in first["UserPoolClients"]:
            self.assertEqual(sorted(c), ["ClientId", "ClientName", "UserPoolId"])
        pages = self.idp.get_paginator("list_user_pool_clients").paginate(
            UserPoolId=POOL, PaginationConfig={"PageSize": 1})
        ids = [c["ClientId"] for p in pages for c in p["UserPoolClients"]]
        self.assertEqual(set(ids), fixture_ids)
        self.assertEqual(len(ids), len(fixture_ids))
        whole = self.idp.list_user_pool_clients(UserPoolId=POOL)
        self.assertNotIn("NextToken", whole)

    def test_write_attributes_only_when_set(self):
        plain = self.idp.describe_user_pool_client(
            UserPoolId=POOL, ClientId="publicclient0000000000000001")["UserPoolClient"]
        self.assertEqual(plain["ClientName"], "public")
        self.assertNotIn("WriteAttributes", plain)
        self.assertNotIn("ReadAttributes", plain)
        made = self.idp.create_user_pool_client(
            UserPoolId=POOL, ClientName="narrow",
            WriteAttributes=["email", "custom:uid"])["UserPoolClient"]
        got = self.idp.describe_user_pool_client(
            UserPoolId=POOL, ClientId=made["ClientId"])["UserPoolClient"]
        self.assertEqual(got["WriteAttributes"], ["email", "custom:uid"])
        listed = self.idp.list_user_pool_clients(UserPoolId=POOL)["UserPoolClients"]
        self.assertIn({"ClientId": made["ClientId"], "UserPoolId": POOL,
                       "ClientName": "narrow"}, listed)

    def test_errors_as_aws_gives_them(self):
        e = self.error(self.idp.describe_user_pool_client, UserPoolId=POOL,
                       ClientId="nosuchclient0000000000000001")
        self.assertEqual(e["Code"], "ResourceNotFoundException")
        self.assertEqual(e["Message"],
                         "User pool client nosuchclient0000000000000001 does not exist.")
        e = self.error(self.idp.list_user_pool_clients, UserPoolId="us-east-1_Nope")
        self.assertEqual(e["Code"], "ResourceNotFoundException")
        e = self.error(self.raw.list_user_pool_clients, UserPoolId=POOL, MaxResults=0)
        self.assertEqual(e["Code"], "InvalidParameterException")
        self.assertIn("at 'maxResults' failed to satisfy constraint: Member must have value "
                      "greater than or equal to 1", e["Message"])
        e = self.error(self.raw.list_user_pool_clients, UserPoolId=POOL, MaxResults=61)
        self.assertIn("less than or equal to 60", e["Message"])
        e = self.error(self.idp.list_user_pool_clients, UserPoolId=POOL, NextToken="bogus")
        self.assertEqual(e["Code"], "InvalidParameterException")
        e = self.error(self.raw.describe_user_pool_client, UserPoolId=POOL)
        self.assertEqual(e["Code"], "InvalidParameterException")

    def test_signature_required(self):
        for op, body in (("ListUserPoolClients", {"UserPoolId": POOL}),
                         ("DescribeUserPoolClient",
                          {"UserPoolId": POOL, "ClientId": "publicclient0000000000000001"})):
            with self.subTest(op):
                with self.assertRaises(EmulatorError) as cm:
                    self.emu.idp(op, **body)
                self.assertEqual(cm.exception.type, "MissingAuthenticationTokenException")


if __name__ == "__main__":
    unittest.main()


class CustomAttributesTest(AdminClientsTest):
    """AddCustomAttributes and the schema it declares, and UpdateUserAttributes
    held to the app client's WriteAttributes (what pam_cognito-sync's
    ssh_keys_attribute relies on: a user cannot write their own keys
    through a client that does not list the attribute)."""

    def login(self, client_id):
        res = self.idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "alice",
                                                     "PASSWORD": "Alice-Passw0rd!"})
        return res["AuthenticationResult"]["AccessToken"]

    def client(self, **extra):
        return self.idp.create_user_pool_client(
            UserPoolId=POOL, ClientName="self-service",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            **extra)["UserPoolClient"]["ClientId"]

    def keys(self):
        attrs = self.idp.admin_get_user(UserPoolId=POOL, Username="alice")["UserAttributes"]
        return {a["Name"]: a["Value"] for a in attrs}.get("custom:ssh_keys")

    def test_a_declared_schema_refuses_other_custom_attributes(self):
        self.assertEqual(self.idp.add_custom_attributes(
            UserPoolId=POOL, CustomAttributes=[{
                "Name": "ssh_keys", "AttributeDataType": "String", "Mutable": True,
                "StringAttributeConstraints": {"MaxLength": "2048"}}])["ResponseMetadata"]
            ["HTTPStatusCode"], 200)
        self.idp.admin_update_user_attributes(
            UserPoolId=POOL, Username="alice",
            UserAttributes=[{"Name": "custom:ssh_keys", "Value": "ssh-ed25519 AAAA\nsecond"}])
        self.assertEqual(self.keys(), "ssh-ed25519 AAAA\nsecond")
        err = self.error(self.idp.admin_update_user_attributes, UserPoolId=POOL,
                         Username="alice",
                         UserAttributes=[{"Name": "custom:nope", "Value": "1"}])
        self.assertEqual((err["Code"], err["Message"]),
                         ("InvalidParameterException",
                          "Attribute does not exist in the schema."))
        err = self.error(self.idp.add_custom_attributes, UserPoolId=POOL,
                         CustomAttributes=[{"Name": "ssh_keys", "AttributeDataType": "String"}])
        self.assertEqual(err["Code"], "InvalidParameterException")

    def test_update_user_attributes_follows_write_attributes(self):
        self.idp.add_custom_attributes(UserPoolId=POOL, CustomAttributes=[
            {"Name": "ssh_keys", "AttributeDataType": "String"}])
        narrow = self.login(self.client(WriteAttributes=["email", "name"]))
        err = self.error(self.idp.update_user_attributes, AccessToken=narrow,
                         UserAttributes=[{"Name": "custom:ssh_keys", "Value": "ssh-ed25519 X"}])
        self.assertEqual((err["Code"], err["Message"]),
                         ("NotAuthorizedException",
                          "A client attempted to write unauthorized attribute"))
        self.assertIsNone(self.keys())
        self.idp.update_user_attributes(AccessToken=narrow,
                                        UserAttributes=[{"Name": "name", "Value": "Al"}])
        # A client without the list lets its users write every attribute.
        wide = self.login(self.client())
        self.idp.update_user_attributes(
            AccessToken=wide, UserAttributes=[{"Name": "custom:ssh_keys", "Value": "k"}])
        self.assertEqual(self.keys(), "k")
