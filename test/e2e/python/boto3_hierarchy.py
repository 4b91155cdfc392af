"""Drives Switchboard with Debian's boto3 for test/e2e/python-hierarchy.test.ts.

Usage: /usr/bin/python3 boto3_hierarchy.py ENDPOINT_URL INSTANCE_ALIAS

One flow of the hierarchy family and of the instance attributes, through the real boto3 client:
CreateInstance twice with one ClientToken, instance attributes, the hierarchy structure, groups
with a parent and tags, their paths, renames, the errors, and the clean-up Terraform does. The
script asserts nothing: it records each response (or the botocore ClientError) and prints one
JSON object on stdout, which the TypeScript test checks. A failure outside a recorded call ends
the script with a traceback and a non-zero exit code.
"""

import json
import sys
import uuid

from recording import attempt, client

ENDPOINT, ALIAS = sys.argv[1], sys.argv[2]
connect = client(ENDPOINT)

out = {}

# --- CreateInstance with a ClientToken, retried -----------------------------------------------
token = str(uuid.uuid4())
create = dict(
    ClientToken=token,
    IdentityManagementType="CONNECT_MANAGED",
    InstanceAlias=ALIAS,
    InboundCallsEnabled=True,
    OutboundCallsEnabled=True,
)
first = connect.create_instance(**create)
instance_id, instance_arn = first["Id"], first["Arn"]
out["instance"] = {"Id": instance_id, "Arn": instance_arn}
out["retry"] = attempt(connect.create_instance, **create)
out["tokenReusedOtherwise"] = attempt(connect.create_instance, **{**create, "OutboundCallsEnabled": False})

# --- instance attributes ----------------------------------------------------------------------
out["updateAttribute"] = attempt(connect.update_instance_attribute, InstanceId=instance_id, AttributeType="CONTACT_LENS", Value="true")
out["describeAttribute"] = attempt(connect.describe_instance_attribute, InstanceId=instance_id, AttributeType="CONTACT_LENS")
out["updateInbound"] = attempt(connect.update_instance_attribute, InstanceId=instance_id, AttributeType="INBOUND_CALLS", Value="false")
out["describeInstance"] = attempt(connect.describe_instance, InstanceId=instance_id)
out["badValue"] = attempt(connect.update_instance_attribute, InstanceId=instance_id, AttributeType="EARLY_MEDIA", Value="maybe")
attributes = []
for page in connect.get_paginator("list_instance_attributes").paginate(InstanceId=instance_id, PaginationConfig={"PageSize": 4}):
    attributes.extend(page["Attributes"])
out["attributes"] = attributes

# --- the structure ----------------------------------------------------------------------------
out["emptyStructure"] = attempt(connect.describe_user_hierarchy_structure, InstanceId=instance_id)
out["groupWithoutLevel"] = attempt(connect.create_user_hierarchy_group, Name="Too early", InstanceId=instance_id)
out["setStructure"] = attempt(
    connect.update_user_hierarchy_structure,
    HierarchyStructure={"LevelOne": {"Name": "Company"}, "LevelTwo": {"Name": "Division"}, "LevelThree": {"Name": "Team"}},
    InstanceId=instance_id,
)
out["structure"] = attempt(connect.describe_user_hierarchy_structure, InstanceId=instance_id)
out["gap"] = attempt(
    connect.update_user_hierarchy_structure,
    HierarchyStructure={"LevelOne": {"Name": "Company"}, "LevelThree": {"Name": "Team"}},
    InstanceId=instance_id,
)

# --- groups -----------------------------------------------------------------------------------
top = connect.create_user_hierarchy_group(Name="Example Corp", InstanceId=instance_id, Tags={"env": "test"})
division = connect.create_user_hierarchy_group(Name="Services", ParentGroupId=top["HierarchyGroupId"], InstanceId=instance_id)
team = connect.create_user_hierarchy_group(
    Name="EU Site", ParentGroupId=division["HierarchyGroupArn"], InstanceId=instance_arn, Tags={"team": "eu"}
)
out["groups"] = {"top": top, "division": division, "team": team}
for g in out["groups"].values():
    g.pop("ResponseMetadata", None)
out["describeTeam"] = attempt(connect.describe_user_hierarchy_group, HierarchyGroupId=team["HierarchyGroupId"], InstanceId=instance_id)
out["duplicate"] = attempt(connect.create_user_hierarchy_group, Name="Services", ParentGroupId=top["HierarchyGroupId"], InstanceId=instance_id)
out["rename"] = attempt(
    connect.update_user_hierarchy_group_name, Name="Services Division", HierarchyGroupId=division["HierarchyGroupId"], InstanceId=instance_id
)
out["describeTeamAfterRename"] = attempt(
    connect.describe_user_hierarchy_group, HierarchyGroupId=team["HierarchyGroupArn"], InstanceId=instance_arn
)
listed = []
for page in connect.get_paginator("list_user_hierarchy_groups").paginate(InstanceId=instance_id, PaginationConfig={"PageSize": 2}):
    listed.extend(page["UserHierarchyGroupSummaryList"])
out["listed"] = listed
out["deleteParent"] = attempt(connect.delete_user_hierarchy_group, HierarchyGroupId=top["HierarchyGroupId"], InstanceId=instance_id)
out["removeOccupiedLevel"] = attempt(
    connect.update_user_hierarchy_structure, HierarchyStructure={"LevelOne": {"Name": "Company"}}, InstanceId=instance_id
)
out["unknownGroup"] = attempt(connect.describe_user_hierarchy_group, HierarchyGroupId=str(uuid.uuid4()), InstanceId=instance_id)

# --- clean-up, as Terraform's Delete does it --------------------------------------------------
out["deletes"] = [
    attempt(connect.delete_user_hierarchy_group, HierarchyGroupId=g["HierarchyGroupId"], InstanceId=instance_id)
    for g in (team, division, top)
]
out["describeDeleted"] = attempt(connect.describe_user_hierarchy_group, HierarchyGroupId=top["HierarchyGroupId"], InstanceId=instance_id)
out["removeStructure"] = attempt(connect.update_user_hierarchy_structure, HierarchyStructure={}, InstanceId=instance_id)
out["structureAfterRemove"] = attempt(connect.describe_user_hierarchy_structure, InstanceId=instance_id)

json.dump(out, sys.stdout, default=str)
