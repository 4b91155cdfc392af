"""Drives Switchboard with Debian's boto3 for test/e2e/clients-python-cli.test.ts.

Usage: /usr/bin/python3 boto3_identity_info.py ENDPOINT_URL INSTANCE_ALIAS

Every call goes through the real boto3 client, exactly as its documentation shows it. The script
asserts nothing: it records each response (or the botocore ClientError) and prints one JSON
object on stdout, which the TypeScript test checks. A failure outside a recorded call (a setup
step the server refused, say) ends the script with a traceback and a non-zero exit code.
"""

import json
import sys
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT, ALIAS = sys.argv[1], sys.argv[2]
REGION = "us-east-1"
# No retries: a 5xx or throttle would otherwise be retried with back-off and hide the first answer.
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=15)


def client(access_key="test", secret_key="test"):
    return boto3.client(
        "connect",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=CONFIG,
    )


def strip(resp):
    """The response without ResponseMetadata, plus the HTTP status it came with."""
    out = {k: v for k, v in resp.items() if k != "ResponseMetadata"}
    return {"status": resp["ResponseMetadata"]["HTTPStatusCode"], "body": out}


def attempt(fn, **kwargs):
    """Runs one call; returns {"ok": ...} or {"error": {code, message, status}}."""
    try:
        return {"ok": strip(fn(**kwargs))}
    except ClientError as e:
        return {
            "error": {
                "code": e.response.get("Error", {}).get("Code"),
                "message": e.response.get("Error", {}).get("Message"),
                "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            }
        }


connect = client()
out = {}

# --- setup: an instance, its default profiles, one user -----------------------------------
instance = connect.create_instance(
    IdentityManagementType="CONNECT_MANAGED",
    InstanceAlias=ALIAS,
    InboundCallsEnabled=True,
    OutboundCallsEnabled=True,
)
instance_id, instance_arn = instance["Id"], instance["Arn"]
out["instance"] = {"Id": instance_id, "Arn": instance_arn}

security = connect.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
routing = connect.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"]
out["securityProfiles"] = security
out["routingProfiles"] = routing
agent_id = next(p["Id"] for p in security if p["Name"] == "Agent")
routing_id = next(p["Id"] for p in routing if p["Name"] == "Basic Routing Profile")

username = "py-" + uuid.uuid4().hex[:12]
user = connect.create_user(
    Username=username,
    Password="Sw1tchboard-pass",
    IdentityInfo={"FirstName": "Ada", "LastName": "Initial"},
    PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0},
    SecurityProfileIds=[agent_id],
    RoutingProfileId=routing_id,
    InstanceId=instance_id,
)
user_id, user_arn = user["UserId"], user["UserArn"]
out["user"] = {"UserId": user_id, "UserArn": user_arn, "Username": username, "AgentProfileId": agent_id, "RoutingProfileId": routing_id}

# --- UpdateUserIdentityInfo as documented, then DescribeUser --------------------------------
# https://boto3.amazonaws.com/v1/documentation/api/1.26.27/reference/services/connect.html#Connect.Client.update_user_identity_info
out["update"] = attempt(
    connect.update_user_identity_info,
    IdentityInfo={
        "FirstName": "Grace",
        "LastName": "Hopper",
        "Email": "grace.hopper@example.com",
        "SecondaryEmail": "ghopper+alt@example.org",
        "Mobile": "+15555550123",
    },
    UserId=user_id,
    InstanceId=instance_id,
)
out["describeAfterUpdate"] = attempt(connect.describe_user, UserId=user_id, InstanceId=instance_id)

# The user addressed by its ARN.
out["updateByUserArn"] = attempt(
    connect.update_user_identity_info,
    IdentityInfo={
        "FirstName": "Katherine",
        "LastName": "Johnson",
        "Email": "kjohnson@example.com",
        "SecondaryEmail": "kj.second@example.net",
        "Mobile": "+447700900123",
    },
    UserId=user_arn,
    InstanceId=instance_id,
)
out["describeByUserArn"] = attempt(connect.describe_user, UserId=user_arn, InstanceId=instance_id)

# The instance addressed by its ARN.
out["updateByInstanceArn"] = attempt(
    connect.update_user_identity_info,
    IdentityInfo={
        "FirstName": "Dorothy",
        "LastName": "Vaughan",
        "Email": "dvaughan@example.com",
        "SecondaryEmail": "dv.second@example.net",
        "Mobile": "+61491570006",
    },
    UserId=user_id,
    InstanceId=instance_arn,
)
out["describeByInstanceArn"] = attempt(connect.describe_user, UserId=user_id, InstanceId=instance_arn)

# --- errors ---------------------------------------------------------------------------------
unknown_user = str(uuid.uuid4())
out["unknownUserId"] = unknown_user
out["updateUnknownUser"] = attempt(
    connect.update_user_identity_info,
    IdentityInfo={"FirstName": "No", "LastName": "Body", "Email": "nobody@example.com"},
    UserId=unknown_user,
    InstanceId=instance_id,
)
out["updateBadSecondaryEmail"] = attempt(
    connect.update_user_identity_info,
    IdentityInfo={"FirstName": "Bad", "LastName": "Mail", "Email": "bad.mail@example.com", "SecondaryEmail": "not-an-email"},
    UserId=user_id,
    InstanceId=instance_id,
)
# What the refused update left behind (it must have changed nothing).
out["describeAfterBadUpdate"] = attempt(connect.describe_user, UserId=user_id, InstanceId=instance_id)

# --- signatures -----------------------------------------------------------------------------
out["wrongSecret"] = attempt(client(secret_key="not-the-secret").list_instances)
# A wrongly signed write is refused before it reaches the user.
out["wrongSecretUpdate"] = attempt(
    client(secret_key="not-the-secret").update_user_identity_info,
    IdentityInfo={"FirstName": "Mallory", "LastName": "Forged", "Email": "mallory@example.com"},
    UserId=user_id,
    InstanceId=instance_id,
)
out["describeAfterWrongSecretUpdate"] = attempt(connect.describe_user, UserId=user_id, InstanceId=instance_id)
out["unknownAccessKey"] = attempt(client(access_key="AKIDNOSUCHKEY0000000").list_instances)
# Control: the same call, correctly signed, is accepted (so the two above fail for their keys).
out["rightKeys"] = attempt(connect.list_instances)

json.dump(out, sys.stdout, default=str)
