"""Drives Switchboard's routing profiles and queues with Debian's boto3 for test/e2e/python-routing.test.ts.

Usage: /usr/bin/python3 boto3_routing.py ENDPOINT_URL INSTANCE_ALIAS

The flow Terraform's aws_connect_routing_profile makes, through boto3's own client and
paginators: find BasicQueue, create a profile with queue configs and tags, read it back, update
each part, and the errors of a refused create and a refused association. Debian's boto3 (1.26)
has no delete_routing_profile, so the flow ends with the profile in place. The script asserts
nothing: it records each answer (or the botocore ClientError) in one JSON object on stdout.
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT, ALIAS = sys.argv[1], sys.argv[2]
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=15)
connect = boto3.client(
    "connect",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=CONFIG,
)


def body(resp):
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


def error_of(fn, **kwargs):
    """The ClientError a call ends with, as {code, message, status}; None when it succeeds."""
    try:
        fn(**kwargs)
    except ClientError as e:
        return {
            "code": e.response.get("Error", {}).get("Code"),
            "message": e.response.get("Error", {}).get("Message"),
            "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
        }
    return None


def pages(operation, key, **kwargs):
    """Every item of a paginated listing, through boto3's paginator."""
    items = []
    for page in connect.get_paginator(operation).paginate(**kwargs):
        items.extend(page.get(key, []))
    return items


def profile_queues(instance_id, profile_id):
    return pages(
        "list_routing_profile_queues",
        "RoutingProfileQueueConfigSummaryList",
        InstanceId=instance_id,
        RoutingProfileId=profile_id,
        PaginationConfig={"PageSize": 2},
    )


out = {}
instance = connect.create_instance(
    IdentityManagementType="CONNECT_MANAGED", InstanceAlias=ALIAS, InboundCallsEnabled=True, OutboundCallsEnabled=True
)
instance_id = instance["Id"]
out["instance"] = {"Id": instance_id, "Arn": instance["Arn"]}

# aws_connect_queue data source: ListQueues (MaxResults 60), exact name, then DescribeQueue
queues = pages("list_queues", "QueueSummaryList", InstanceId=instance_id, PaginationConfig={"PageSize": 60})
out["queues"] = queues
basic_id = next(q["Id"] for q in queues if q["Name"] == "BasicQueue")
out["basicQueue"] = body(connect.describe_queue(InstanceId=instance_id, QueueId=basic_id))["Queue"]
out["agentQueues"] = pages("list_queues", "QueueSummaryList", InstanceId=instance_id, QueueTypes=["AGENT"])

# the default profile, as the aws_connect_routing_profile data source reads it
profiles = pages("list_routing_profiles", "RoutingProfileSummaryList", InstanceId=instance_id, PaginationConfig={"PageSize": 60})
default_id = next(p["Id"] for p in profiles if p["Name"] == "Basic Routing Profile")
out["defaultProfile"] = body(connect.describe_routing_profile(InstanceId=instance_id, RoutingProfileId=default_id))["RoutingProfile"]
out["defaultProfileQueues"] = profile_queues(instance_id, default_id)

# aws_connect_routing_profile: create, read
created = connect.create_routing_profile(
    InstanceId=instance_id,
    Name="Support",
    Description="Support agents",
    DefaultOutboundQueueId=basic_id,
    MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}, {"Channel": "CHAT", "Concurrency": 3}],
    QueueConfigs=[{"QueueReference": {"QueueId": basic_id, "Channel": "VOICE"}, "Priority": 1, "Delay": 5}],
    Tags={"team": "support"},
)
profile_id = created["RoutingProfileId"]
out["created"] = body(created)
out["createdProfile"] = body(connect.describe_routing_profile(InstanceId=instance_id, RoutingProfileId=profile_id))["RoutingProfile"]

# update each part, in the resource's order
connect.update_routing_profile_concurrency(
    InstanceId=instance_id,
    RoutingProfileId=profile_id,
    MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}, {"Channel": "CHAT", "Concurrency": 5}, {"Channel": "TASK", "Concurrency": 2}],
)
connect.update_routing_profile_default_outbound_queue(InstanceId=instance_id, RoutingProfileId=profile_id, DefaultOutboundQueueId=basic_id)
connect.update_routing_profile_name(InstanceId=instance_id, RoutingProfileId=profile_id, Name="Support 2", Description="Second line")
connect.disassociate_routing_profile_queues(
    InstanceId=instance_id, RoutingProfileId=profile_id, QueueReferences=[{"QueueId": basic_id, "Channel": "VOICE"}]
)
connect.associate_routing_profile_queues(
    InstanceId=instance_id,
    RoutingProfileId=profile_id,
    QueueConfigs=[
        {"QueueReference": {"QueueId": basic_id, "Channel": "CHAT"}, "Priority": 2, "Delay": 0},
        {"QueueReference": {"QueueId": instance["Arn"] + "/queue/" + basic_id, "Channel": "TASK"}, "Priority": 3, "Delay": 10},
    ],
)
out["updatedProfile"] = body(connect.describe_routing_profile(InstanceId=instance_id, RoutingProfileId=profile_id))["RoutingProfile"]
out["updatedQueues"] = profile_queues(instance_id, profile_id)

# errors
base = dict(InstanceId=instance_id, Description="d", DefaultOutboundQueueId=basic_id, MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}])
out["duplicateName"] = error_of(connect.create_routing_profile, Name="Support 2", **base)
out["voiceTwo"] = error_of(
    connect.create_routing_profile, **{**base, "Name": "Voice two", "MediaConcurrencies": [{"Channel": "VOICE", "Concurrency": 2}]}
)
out["unknownQueue"] = error_of(connect.create_routing_profile, **{**base, "Name": "Nowhere", "DefaultOutboundQueueId": "00000000-0000-4000-8000-000000000000"})
out["alreadyAssociated"] = error_of(
    connect.associate_routing_profile_queues,
    InstanceId=instance_id,
    RoutingProfileId=profile_id,
    QueueConfigs=[{"QueueReference": {"QueueId": basic_id, "Channel": "CHAT"}, "Priority": 1, "Delay": 0}],
)
out["unknownProfile"] = error_of(connect.describe_routing_profile, InstanceId=instance_id, RoutingProfileId="00000000-0000-4000-8000-000000000000")
out["profilesAfter"] = [p["Name"] for p in pages("list_routing_profiles", "RoutingProfileSummaryList", InstanceId=instance_id)]

print(json.dumps(out, default=str))
