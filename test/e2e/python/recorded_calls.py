"""What the boto3 scripts of the Python tests share: one call recorded as data.

`attempt(fn, **kwargs)` runs one real boto3 call and returns {"ok": {status, body}} or
{"error": {code, message, status, …modeled members}}, so a script prints what happened and the
TypeScript test asserts on it.
"""

from botocore.exceptions import ClientError

# Members of a botocore error response that are not the error shape's own.
_NOT_MODELED = {"Error", "ResponseMetadata"}


def strip(resp):
    """The response without ResponseMetadata, plus the HTTP status it came with."""
    out = {k: v for k, v in resp.items() if k != "ResponseMetadata"}
    return {"status": resp["ResponseMetadata"]["HTTPStatusCode"], "body": out}


def attempt(fn, **kwargs):
    """Runs one call; returns {"ok": ...} or {"error": {code, message, status, members}}."""
    try:
        return {"ok": strip(fn(**kwargs))}
    except ClientError as e:
        return {
            "error": {
                "code": e.response.get("Error", {}).get("Code"),
                "message": e.response.get("Error", {}).get("Message"),
                "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                "members": {k: v for k, v in e.response.items() if k not in _NOT_MODELED},
            }
        }
