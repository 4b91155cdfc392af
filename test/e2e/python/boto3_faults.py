"""One call of Debian's boto3 against injected faults, for test/e2e/python-faults.test.ts.

Usage: /usr/bin/python3 boto3_faults.py ENDPOINT_URL INSTANCE_ID USER_ID FIRST_NAME MAX_ATTEMPTS

Calls update_user_identity_info with botocore's standard retry mode and prints one JSON object:
{"ok": true, "retryAttempts": N} or {"error": CODE, "status": S, "retryAttempts": N}, or
{"connectionError": NAME} when the connection failed on the last attempt. The retry decisions are
botocore's own; only its back-off waits are shortened (to 10 ms) so the test does not sleep.
"""

import json
import sys

import boto3
import botocore.retries.standard as standard
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

ENDPOINT, INSTANCE, USER, FIRST, ATTEMPTS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
standard.ExponentialBackoff.delay_amount = lambda self, context: 0.01

connect = boto3.client(
    "connect",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=Config(retries={"mode": "standard", "total_max_attempts": ATTEMPTS}, connect_timeout=5, read_timeout=15),
)

try:
    resp = connect.update_user_identity_info(
        InstanceId=INSTANCE, UserId=USER, IdentityInfo={"FirstName": FIRST, "LastName": "Doe"}
    )
    print(json.dumps({"ok": True, "retryAttempts": resp["ResponseMetadata"].get("RetryAttempts", 0)}))
except ClientError as e:
    meta = e.response.get("ResponseMetadata", {})
    print(
        json.dumps(
            {
                "error": e.response["Error"]["Code"],
                "status": meta.get("HTTPStatusCode"),
                "retryAttempts": meta.get("RetryAttempts", 0),
            }
        )
    )
except (ConnectionClosedError, EndpointConnectionError) as e:
    print(json.dumps({"connectionError": type(e).__name__}))
