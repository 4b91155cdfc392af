"""Drives Switchboard with Debian's boto3 for test/e2e/python-security-profiles.test.ts.

Usage: /usr/bin/python3 boto3_security_profiles.py ENDPOINT_URL INSTANCE_ALIAS

A security profile's life through the real boto3 client, as its documentation shows the calls:
create (with permissions and tags), describe, the permissions paginator, update, tag / list tags
/ untag, delete, and the errors on the way. The script asserts nothing: it records each response
(or the botocore ClientError) and prints one JSON object on stdout, which the TypeScript test
checks. A failure outside a recorded call ends the script with a traceback and a non-zero exit.
"""

import json
import sys

import boto3
from botocore.config import Config
from recorded_calls import attempt

ENDPOINT, ALIAS = sys.argv[1], sys.argv[2]
# No retries: a 5xx or throttle would otherwise be retried with back-off and hide the first answer.
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=15)

connect = boto3.client(
    "connect",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=CONFIG,
)


def default(o):
    return o.timestamp() if hasattr(o, "timestamp") else str(o)


out = {}
instance = connect.create_instance(
    IdentityManagementType="CONNECT_MANAGED", InstanceAlias=ALIAS, InboundCallsEnabled=True, OutboundCallsEnabled=True
)
iid = instance["Id"]
profiles = connect.list_security_profiles(InstanceId=iid)["SecurityProfileSummaryList"]
admin = next(p for p in profiles if p["Name"] == "Admin")
out["instance"] = {"Id": iid, "Arn": instance["Arn"]}

created = connect.create_security_profile(
    InstanceId=iid,
    SecurityProfileName="Py Supervisors",
    Description="made by boto3",
    Permissions=["BasicAgentAccess", "Users.View", "AccessMetrics"],
    Tags={"team": "red"},
)
pid, parn = created["SecurityProfileId"], created["SecurityProfileArn"]
out["created"] = {"SecurityProfileId": pid, "SecurityProfileArn": parn}
out["describe"] = attempt(connect.describe_security_profile, InstanceId=iid, SecurityProfileId=pid)

paginator = connect.get_paginator("list_security_profile_permissions")
out["permissions"] = [
    p
    for page in paginator.paginate(InstanceId=iid, SecurityProfileId=pid, PaginationConfig={"PageSize": 2})
    for p in page["Permissions"]
]
out["adminPermissions"] = [
    p for page in paginator.paginate(InstanceId=iid, SecurityProfileId=admin["Id"]) for p in page["Permissions"]
]
out["duplicate"] = attempt(connect.create_security_profile, InstanceId=iid, SecurityProfileName="Py Supervisors")

out["update"] = attempt(
    connect.update_security_profile, InstanceId=iid, SecurityProfileId=parn, Permissions=["OutboundCallAccess"]
)
out["permissionsAfterUpdate"] = connect.list_security_profile_permissions(InstanceId=iid, SecurityProfileId=pid)[
    "Permissions"
]
out["describeAfterUpdate"] = attempt(connect.describe_security_profile, InstanceId=iid, SecurityProfileId=pid)

out["tag"] = attempt(connect.tag_resource, resourceArn=parn, tags={"floor": "2", "team": "blue"})
out["tagsAfterTag"] = attempt(connect.list_tags_for_resource, resourceArn=parn)
out["untag"] = attempt(connect.untag_resource, resourceArn=parn, tagKeys=["floor", "absent"])
out["tagsAfterUntag"] = attempt(connect.list_tags_for_resource, resourceArn=parn)
out["tagReserved"] = attempt(connect.tag_resource, resourceArn=parn, tags={"aws:owner": "x"})

user = connect.create_user(
    InstanceId=iid,
    Username="py.holder",
    Password="Passw0rd1",
    IdentityInfo={"FirstName": "Py", "LastName": "Holder"},
    PhoneConfig={"PhoneType": "SOFT_PHONE"},
    SecurityProfileIds=[pid],
    RoutingProfileId=connect.list_routing_profiles(InstanceId=iid)["RoutingProfileSummaryList"][0]["Id"],
)
out["deleteInUse"] = attempt(connect.delete_security_profile, InstanceId=iid, SecurityProfileId=pid)
connect.delete_user(InstanceId=iid, UserId=user["UserId"])
out["deleteDefault"] = attempt(connect.delete_security_profile, InstanceId=iid, SecurityProfileId=admin["Id"])
out["delete"] = attempt(connect.delete_security_profile, InstanceId=iid, SecurityProfileId=pid)
out["describeAfterDelete"] = attempt(connect.describe_security_profile, InstanceId=iid, SecurityProfileId=pid)

print(json.dumps(out, default=default))
