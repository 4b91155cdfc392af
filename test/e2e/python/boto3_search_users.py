"""Drives Switchboard with Debian's boto3 for test/e2e/python-search-users.test.ts.

Usage: /usr/bin/python3 boto3_search_users.py ENDPOINT_URL INSTANCE_ALIAS

An HR-sync flow through the real boto3 client: an instance with five users, then SearchUsers as a
sync job calls it — one user by Username, every holder of a security profile through boto3's
paginator (ApproximateTotalCount is its non-aggregate key), nested criteria with a TagFilter, and
a refused FieldName. The script asserts nothing: it records each response (or the botocore
ClientError) and prints one JSON object on stdout, which the TypeScript test checks.
"""

import json
import sys

from recording import attempt, client

ENDPOINT, ALIAS = sys.argv[1], sys.argv[2]
connect = client(ENDPOINT)

out = {}

instance_id = connect.create_instance(
    IdentityManagementType="CONNECT_MANAGED", InstanceAlias=ALIAS, InboundCallsEnabled=True, OutboundCallsEnabled=True
)["Id"]
profiles = {p["Name"]: p["Id"] for p in connect.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]}
routing = connect.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"][0]["Id"]
out["profiles"] = {"agent": profiles["Agent"], "admin": profiles["Admin"], "routing": routing}

STAFF = [
    ("mrossi", "Marco", "Rossi", ["Agent", "Admin"], {"dept": "support"}),
    ("lchen", "Li", "Chen", ["Agent"], {"dept": "support", "site": "opo"}),
    ("kwalsh", "Kate", "Walsh", ["Agent"], {"dept": "sales"}),
    ("ppatel", "Priya", "Patel", ["Agent", "Admin"], {"site": "opo"}),
    ("tbauer", "Tom", "Bauer", ["Agent"], None),
]
ids = {}
for username, first, last, names, tags in STAFF:
    args = dict(
        InstanceId=instance_id,
        Username=username,
        Password="Passw0rd1",
        IdentityInfo={"FirstName": first, "LastName": last},
        PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 20},
        SecurityProfileIds=[profiles[n] for n in names],
        RoutingProfileId=routing,
    )
    if tags:
        args["Tags"] = tags
    ids[username] = connect.create_user(**args)["UserId"]
out["ids"] = ids

# --- one user by Username, as a sync job checks whether a person exists ------------------------
out["byUsername"] = attempt(
    connect.search_users,
    InstanceId=instance_id,
    SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": "LChen", "ComparisonType": "EXACT"}},
)
out["unknownUsername"] = attempt(
    connect.search_users,
    InstanceId=instance_id,
    SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": "nobody", "ComparisonType": "EXACT"}},
)

# --- every holder of a security profile, through the paginator --------------------------------
paginator = connect.get_paginator("search_users")
criteria = {"StringCondition": {"FieldName": "SecurityProfileId", "Value": profiles["Agent"], "ComparisonType": "EXACT"}}
pages = []
for page in paginator.paginate(InstanceId=instance_id, SearchCriteria=criteria, PaginationConfig={"PageSize": 2}):
    pages.append({"users": [u["Username"] for u in page["Users"]], "count": page.get("ApproximateTotalCount"), "token": "NextToken" in page})
out["pages"] = pages
full = paginator.paginate(InstanceId=instance_id, SearchCriteria=criteria, PaginationConfig={"PageSize": 2}).build_full_result()
out["full"] = {"users": [u["Username"] for u in full["Users"]], "count": full.get("ApproximateTotalCount")}

# --- nested criteria with a TagFilter --------------------------------------------------------------
out["nested"] = attempt(
    connect.search_users,
    InstanceId=instance_id,
    SearchCriteria={
        "OrConditions": [
            {"StringCondition": {"FieldName": "SecurityProfileId", "Value": profiles["Admin"], "ComparisonType": "EXACT"}},
            {
                "AndConditions": [
                    {"StringCondition": {"FieldName": "FirstName", "Value": "Li", "ComparisonType": "STARTS_WITH"}},
                    {"StringCondition": {"FieldName": "LastName", "Value": "he", "ComparisonType": "CONTAINS"}},
                ]
            },
        ]
    },
    SearchFilter={"TagFilter": {"OrConditions": [[{"TagKey": "dept", "TagValue": "support"}], [{"TagKey": "site", "TagValue": "opo"}]]}},
)

# --- refusals ----------------------------------------------------------------------------------
out["badField"] = attempt(
    connect.search_users,
    InstanceId=instance_id,
    SearchCriteria={"StringCondition": {"FieldName": "Email", "Value": "x@example.com", "ComparisonType": "EXACT"}},
)
out["twoMembers"] = attempt(
    connect.search_users,
    InstanceId=instance_id,
    SearchCriteria={
        "StringCondition": {"FieldName": "Username", "Value": "mrossi", "ComparisonType": "EXACT"},
        "HierarchyGroupCondition": {"Value": "x", "HierarchyGroupMatchType": "EXACT"},
    },
)

print(json.dumps(out, default=str))
