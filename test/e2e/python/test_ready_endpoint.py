"""pytest-style tests over the fixture, runnable without pytest: `python3 test_ready_endpoint.py`.

Prints one JSON object with what each test saw; the TypeScript test asserts on it.
"""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from recording import client  # noqa: E402
from switchboard_fixture import CLI, serve_endpoint  # noqa: E402


def test_print_endpoint(endpoint):
    connect = client(endpoint)
    made = connect.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias="pytest-fixture",
                                   InboundCallsEnabled=True, OutboundCallsEnabled=True)
    listed = connect.list_instances()["InstanceSummaryList"]
    return {"endpoint": endpoint, "created": made["Id"], "listed": [i["Id"] for i in listed]}


def test_ready_file(path):
    """--ready-file: the file appears (complete) once the server accepts requests, and goes at stop."""
    started = time.monotonic()
    proc = subprocess.Popen(["node", CLI, "serve", "--port", "0", "--memory", "--ready-file", path, "--log-level", "off"])
    try:
        while not os.path.exists(path):
            if proc.poll() is not None:
                sys.exit(f"switchboard exited with {proc.returncode}")
            time.sleep(0.02)
        with open(path) as f:
            endpoint = f.read().strip()
        # The first request right after the file appears must succeed.
        first = client(endpoint).list_instances()["InstanceSummaryList"]
        ready_ms = round((time.monotonic() - started) * 1000)
    finally:
        proc.terminate()
        code = proc.wait(timeout=10)
    return {"endpoint": endpoint, "first": first, "exit": code, "removed": not os.path.exists(path), "readyMs": ready_ms}


if __name__ == "__main__":
    fixture = serve_endpoint()
    endpoint = next(fixture)
    try:
        result = {"printEndpoint": test_print_endpoint(endpoint)}
    finally:
        fixture.close()
    result["readyFile"] = test_ready_file(sys.argv[1])
    print(json.dumps(result))
