"""A pytest-style fixture for Switchboard, as README's "In your tests" shows it.

`switchboard serve --port 0 --memory --print-endpoint` prints the endpoint as stdout's first line
once it accepts requests, so the fixture blocks on one readline: no port to guess, no polling.
`--ready-file PATH` does the same through a file (for tools that cannot read a child's stdout).
`serve_endpoint` is the plain generator (a script drives it by hand); with pytest installed,
`switchboard_endpoint` is the same as a real fixture (`@pytest.fixture`), which pytest refuses to
see called directly. README's conftest.py itself runs under pytest in test-runners.test.ts.
"""

import os
import subprocess
import sys

try:
    import pytest
except ImportError:  # pytest is optional: the suite runs with Debian's python3 and boto3 only
    pytest = None

CLI = os.environ.get("SWITCHBOARD_CLI", "switchboard")


def serve_endpoint():
    proc = subprocess.Popen(
        ["node", CLI, "serve", "--port", "0", "--memory", "--print-endpoint", "--log-level", "off"],
        stdout=subprocess.PIPE,
        text=True,
    )
    endpoint = proc.stdout.readline().strip()
    if not endpoint:
        sys.exit(f"switchboard exited with {proc.wait()} before accepting requests")
    try:
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


switchboard_endpoint = pytest.fixture(scope="session")(serve_endpoint) if pytest is not None else serve_endpoint
