"""Recording boto3 calls for the TypeScript tests that check them (imported by the boto3_*.py scripts).

A script records each call's answer, or the botocore ClientError it raised, and prints them all
as one JSON object; the test asserts on that. The scripts themselves assert nothing.
"""

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

# No retries: a 5xx or throttle would otherwise be retried with back-off and hide the first answer.
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=15)


def client(endpoint, access_key="test", secret_key="test", region="us-east-1"):
    return boto3.client(
        "connect",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=CONFIG,
    )


def strip(resp):
    """The response without ResponseMetadata, plus the HTTP status it came with."""
    out = {k: v for k, v in resp.items() if k != "ResponseMetadata"}
    return {"status": resp["ResponseMetadata"]["HTTPStatusCode"], "body": out}


def attempt(fn, **kwargs):
    """Runs one call; returns {"ok": ...} or {"error": {code, message, status, extra}} (extra: the error's other members)."""
    try:
        return {"ok": strip(fn(**kwargs))}
    except ClientError as e:
        return {
            "error": {
                "code": e.response.get("Error", {}).get("Code"),
                "message": e.response.get("Error", {}).get("Message"),
                "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                "extra": {k: v for k, v in e.response.items() if k not in ("Error", "ResponseMetadata")},
            }
        }
