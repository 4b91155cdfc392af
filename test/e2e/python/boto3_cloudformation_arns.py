"""Replays what CloudFormation's AWS::Connect::User handler sends, through Debian's boto3, for
test/e2e/cloudformation-arns.test.ts.

Usage: /usr/bin/python3 boto3_cloudformation_arns.py ENDPOINT_URL INSTANCE_ALIAS

The handler passes ARNs wherever the API says Id (InstanceId and UserId percent-encoded in the
path, RoutingProfileId, SecurityProfileIds and HierarchyGroupId in the body), sends all five
IdentityInfo members with null where unset, and updates in the order IdentityInfo, PhoneConfig,
RoutingProfile, Hierarchy, SecurityProfiles, Untag, Tag. botocore refuses None in a request
unless its parameter validation is off: the handler's client is one with it off (so the nulls
reach the wire as JSON null). The script asserts nothing: it records each answer (or the
ClientError) and prints one JSON object on stdout.
"""

import json
import sys

import boto3
from botocore.config import Config
from recording import CONFIG, attempt, client

ENDPOINT, ALIAS = sys.argv[1], sys.argv[2]
setup = client(ENDPOINT)
cfn = boto3.client(
    "connect",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=CONFIG.merge(Config(parameter_validation=False)),
)

out = {}

# --- what the stack references, made with bare ids -----------------------------------------------
inst = setup.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias=ALIAS, InboundCallsEnabled=True, OutboundCallsEnabled=True)
instance_id, instance_arn = inst["Id"], inst["Arn"]
other = setup.create_instance(
    IdentityManagementType="CONNECT_MANAGED", InstanceAlias=ALIAS + "-other", InboundCallsEnabled=True, OutboundCallsEnabled=True
)
profiles = {p["Name"]: p for p in setup.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]}
other_admin = [p for p in setup.list_security_profiles(InstanceId=other["Id"])["SecurityProfileSummaryList"] if p["Name"] == "Admin"][0]
basic = setup.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"][0]
queue_id = setup.list_queues(InstanceId=instance_id, QueueTypes=["STANDARD"])["QueueSummaryList"][0]["Id"]
sales = setup.create_routing_profile(
    InstanceId=instance_id, Name="Sales", Description="Sales", DefaultOutboundQueueId=queue_id, MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}]
)
leads = setup.create_security_profile(InstanceId=instance_id, SecurityProfileName="Leads")
setup.update_user_hierarchy_structure(InstanceId=instance_id, HierarchyStructure={"LevelOne": {"Name": "Site"}, "LevelTwo": {"Name": "Team"}})
site = setup.create_user_hierarchy_group(InstanceId=instance_id, Name="London")
team = setup.create_user_hierarchy_group(InstanceId=instance_id, Name="Nights", ParentGroupId=site["HierarchyGroupId"])
out["refs"] = {
    "instance": {"Id": instance_id, "Arn": instance_arn},
    "agent": {"Id": profiles["Agent"]["Id"], "Arn": profiles["Agent"]["Arn"]},
    "basic": {"Id": basic["Id"], "Arn": basic["Arn"]},
    "sales": {"Id": sales["RoutingProfileId"], "Arn": sales["RoutingProfileArn"]},
    "leads": {"Id": leads["SecurityProfileId"], "Arn": leads["SecurityProfileArn"]},
    "site": {"Id": site["HierarchyGroupId"], "Arn": site["HierarchyGroupArn"]},
    "team": {"Id": team["HierarchyGroupId"], "Arn": team["HierarchyGroupArn"]},
    "otherAdmin": {"Id": other_admin["Id"], "Arn": other_admin["Arn"]},
}

# --- CreateHandler ----------------------------------------------------------------------------
out["create"] = attempt(
    cfn.create_user,
    InstanceId=instance_arn,
    Username="cfn.agent",
    Password="Corr3ct-Horse",
    IdentityInfo={"FirstName": "Cloud", "LastName": "Formation", "Email": None, "SecondaryEmail": None, "Mobile": None},
    PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": None, "AfterContactWorkTimeLimit": None, "DeskPhoneNumber": None},
    SecurityProfileIds=[profiles["Agent"]["Arn"]],
    RoutingProfileId=basic["Arn"],
    HierarchyGroupId=site["HierarchyGroupArn"],
    DirectoryUserId=None,
    Tags={"stack": "cfn", "env": "test"},
)
user_arn = out["create"]["ok"]["body"]["UserArn"] if "ok" in out["create"] else None
user_id = out["create"]["ok"]["body"]["UserId"] if "ok" in out["create"] else None
# ReadHandler: DescribeUser with the ARNs.
out["readCreated"] = attempt(cfn.describe_user, InstanceId=instance_arn, UserId=user_arn)

# --- UpdateHandler, in its order --------------------------------------------------------------
out["updates"] = [
    [
        "UpdateUserIdentityInfo",
        attempt(
            cfn.update_user_identity_info,
            InstanceId=instance_arn,
            UserId=user_arn,
            IdentityInfo={"FirstName": "Cloud", "LastName": "Formed", "Email": "cfn@example.com", "SecondaryEmail": None, "Mobile": "+14155550100"},
        ),
    ],
    [
        "UpdateUserPhoneConfig",
        attempt(
            cfn.update_user_phone_config,
            InstanceId=instance_arn,
            UserId=user_arn,
            PhoneConfig={"PhoneType": "DESK_PHONE", "AutoAccept": True, "AfterContactWorkTimeLimit": 45, "DeskPhoneNumber": "+442071838750"},
        ),
    ],
    ["UpdateUserRoutingProfile", attempt(cfn.update_user_routing_profile, InstanceId=instance_arn, UserId=user_arn, RoutingProfileId=sales["RoutingProfileArn"])],
    ["UpdateUserHierarchy", attempt(cfn.update_user_hierarchy, InstanceId=instance_arn, UserId=user_arn, HierarchyGroupId=team["HierarchyGroupArn"])],
    [
        "UpdateUserSecurityProfiles",
        attempt(
            cfn.update_user_security_profiles,
            InstanceId=instance_arn,
            UserId=user_arn,
            SecurityProfileIds=[leads["SecurityProfileArn"], profiles["Agent"]["Arn"]],
        ),
    ],
    ["UntagResource", attempt(cfn.untag_resource, resourceArn=user_arn, tagKeys=["env"])],
    ["TagResource", attempt(cfn.tag_resource, resourceArn=user_arn, tags={"stack": "cfn-2", "owner": "ops"})],
]
out["readUpdated"] = attempt(cfn.describe_user, InstanceId=instance_arn, UserId=user_arn)
# Describe* still answers bare IDs.
out["readBare"] = attempt(setup.describe_user, InstanceId=instance_id, UserId=user_id)
out["readRoutingByArn"] = attempt(cfn.describe_routing_profile, InstanceId=instance_arn, RoutingProfileId=sales["RoutingProfileArn"])
out["readGroupByArn"] = attempt(cfn.describe_user_hierarchy_group, InstanceId=instance_arn, HierarchyGroupId=team["HierarchyGroupArn"])

# --- ARNs that name nothing here ----------------------------------------------------------------
west = lambda arn: arn.replace(":us-east-1:", ":eu-west-2:")  # noqa: E731
foreign_account = lambda arn: arn.replace(":000000000000:", ":111122223333:")  # noqa: E731
out["refused"] = {
    "userOtherRegion": attempt(cfn.describe_user, InstanceId=instance_arn, UserId=west(user_arn)),
    "instanceOtherAccount": attempt(cfn.describe_user, InstanceId=foreign_account(instance_arn), UserId=user_arn),
    "userUnderOtherInstance": attempt(cfn.describe_user, InstanceId=other["Arn"], UserId=user_arn),
    "routingOtherRegion": attempt(cfn.update_user_routing_profile, InstanceId=instance_arn, UserId=user_arn, RoutingProfileId=west(basic["Arn"])),
    "securityOtherInstance": attempt(
        cfn.update_user_security_profiles, InstanceId=instance_arn, UserId=user_arn, SecurityProfileIds=[other_admin["Arn"]]
    ),
    "groupOtherAccount": attempt(cfn.update_user_hierarchy, InstanceId=instance_arn, UserId=user_arn, HierarchyGroupId=foreign_account(site["HierarchyGroupArn"])),
}
out["readAfterRefusals"] = attempt(cfn.describe_user, InstanceId=instance_arn, UserId=user_arn)

# --- DeleteHandler ----------------------------------------------------------------------------
out["delete"] = attempt(cfn.delete_user, InstanceId=instance_arn, UserId=user_arn)
out["readDeleted"] = attempt(cfn.describe_user, InstanceId=instance_arn, UserId=user_arn)

json.dump(out, sys.stdout, default=str)
