"""Drives Switchboard's user updates with Debian's boto3 for test/e2e/python-user-updates.test.ts.

Usage: /usr/bin/python3 boto3_user_updates.py ENDPOINT_URL INSTANCE_ALIAS

One flow through the real boto3 client: a user created in a hierarchy group, then
update_user_phone_config, update_user_routing_profile, update_user_security_profiles and
update_user_hierarchy (assign, then detach), each read back with describe_user, and the errors
botocore reports (a DESK_PHONE without its number, an unknown profile, a profile of another
instance, the delete of a held security profile). The script asserts nothing: it records each
answer (or the ClientError) and prints one JSON object on stdout.
"""

import json
import sys

from recording import attempt, client

ENDPOINT, ALIAS = sys.argv[1], sys.argv[2]
connect = client(ENDPOINT)
MISSING = "00000000-0000-4000-8000-000000000000"

out = {}


def new_instance(alias):
    inst = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED", InstanceAlias=alias, InboundCallsEnabled=True, OutboundCallsEnabled=True
    )
    profiles = connect.list_security_profiles(InstanceId=inst["Id"])["SecurityProfileSummaryList"]
    routing = connect.list_routing_profiles(InstanceId=inst["Id"])["RoutingProfileSummaryList"]
    return inst, {p["Name"]: p["Id"] for p in profiles}, routing[0]["Id"]


inst, sp, basic_routing = new_instance(ALIAS)
instance_id = inst["Id"]
other, other_sp, _ = new_instance(ALIAS + "-other")
queue_id = connect.list_queues(InstanceId=instance_id, QueueTypes=["STANDARD"])["QueueSummaryList"][0]["Id"]
out["instance"] = {"Id": instance_id, "Arn": inst["Arn"]}
out["profiles"] = sp

connect.update_user_hierarchy_structure(InstanceId=instance_id, HierarchyStructure={"LevelOne": {"Name": "Site"}})
group = connect.create_user_hierarchy_group(InstanceId=instance_id, Name="London")
out["group"] = {"Id": group["HierarchyGroupId"], "Arn": group["HierarchyGroupArn"]}
sales = connect.create_routing_profile(
    InstanceId=instance_id,
    Name="Sales",
    Description="Sales",
    DefaultOutboundQueueId=queue_id,
    MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}],
)
out["sales"] = {"Id": sales["RoutingProfileId"], "Arn": sales["RoutingProfileArn"]}
leads = connect.create_security_profile(InstanceId=instance_id, SecurityProfileName="Leads")
out["leads"] = {"Id": leads["SecurityProfileId"], "Arn": leads["SecurityProfileArn"]}

user = connect.create_user(
    InstanceId=instance_id,
    Username="py.agent",
    Password="Corr3ct-Horse",
    IdentityInfo={"FirstName": "Grace", "LastName": "Hopper"},
    PhoneConfig={"PhoneType": "SOFT_PHONE"},
    SecurityProfileIds=[sp["Agent"]],
    RoutingProfileId=basic_routing,
    HierarchyGroupId=group["HierarchyGroupId"],
)
user_id = user["UserId"]
out["user"] = {"Id": user_id, "Arn": user["UserArn"]}


def describe():
    return connect.describe_user(InstanceId=instance_id, UserId=user_id)["User"]


out["created"] = describe()

out["phone"] = attempt(
    connect.update_user_phone_config,
    InstanceId=instance_id,
    UserId=user_id,
    PhoneConfig={"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+14155550123", "AutoAccept": True, "AfterContactWorkTimeLimit": 60},
)
out["afterPhone"] = describe()
out["routing"] = attempt(connect.update_user_routing_profile, InstanceId=instance_id, UserId=user_id, RoutingProfileId=sales["RoutingProfileId"])
out["security"] = attempt(
    connect.update_user_security_profiles, InstanceId=instance_id, UserId=user_id, SecurityProfileIds=[leads["SecurityProfileId"], sp["Agent"]]
)
out["afterRoutingAndSecurity"] = describe()
out["detach"] = attempt(connect.update_user_hierarchy, InstanceId=instance_id, UserId=user_id)
out["afterDetach"] = describe()
out["attach"] = attempt(connect.update_user_hierarchy, InstanceId=instance_id, UserId=user_id, HierarchyGroupId=group["HierarchyGroupArn"])
out["afterAttach"] = describe()

# --- errors -----------------------------------------------------------------------------------
out["deskWithoutNumber"] = attempt(connect.update_user_phone_config, InstanceId=instance_id, UserId=user_id, PhoneConfig={"PhoneType": "DESK_PHONE"})
out["unknownRouting"] = attempt(connect.update_user_routing_profile, InstanceId=instance_id, UserId=user_id, RoutingProfileId=MISSING)
out["foreignSecurity"] = attempt(
    connect.update_user_security_profiles, InstanceId=instance_id, UserId=user_id, SecurityProfileIds=[other_sp["Admin"]]
)
out["unknownGroup"] = attempt(connect.update_user_hierarchy, InstanceId=instance_id, UserId=user_id, HierarchyGroupId=MISSING)
out["unknownUser"] = attempt(connect.update_user_routing_profile, InstanceId=instance_id, UserId=MISSING, RoutingProfileId=basic_routing)
out["deleteHeldProfile"] = attempt(connect.delete_security_profile, InstanceId=instance_id, SecurityProfileId=leads["SecurityProfileId"])
out["deleteHeldGroup"] = attempt(connect.delete_user_hierarchy_group, InstanceId=instance_id, HierarchyGroupId=group["HierarchyGroupId"])
out["afterErrors"] = describe()

json.dump(out, sys.stdout, default=str)
