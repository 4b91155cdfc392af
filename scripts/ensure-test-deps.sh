#!/usr/bin/env bash
# Debian packages the client tests need: boto3 (python3-boto3), pytest (python3-pytest: README's
# fixture runs under it) and the AWS CLI v2 (awscli),
# called by absolute path (/usr/bin/python3, /usr/bin/aws) because the ones on PATH are other
# installs, and Chromium (/usr/bin/chromium) for the console's browser tests (driven by
# playwright-core), and valgrind (the counted bench, `npm run bench -- --instructions`, and its
# test). Installed only when missing.
set -euo pipefail

have_boto3() { /usr/bin/python3 -c 'import boto3' >/dev/null 2>&1; }
have_pytest() { /usr/bin/python3 -c 'import pytest' >/dev/null 2>&1; }
have_cli() { [ -x /usr/bin/aws ]; }
have_chromium() { [ -x /usr/bin/chromium ]; }
have_valgrind() { command -v valgrind >/dev/null 2>&1 && command -v callgrind_control >/dev/null 2>&1; }

if have_boto3 && have_pytest && have_cli && have_chromium && have_valgrind; then exit 0; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
packages=()
have_boto3 || packages+=(python3-boto3)
have_pytest || packages+=(python3-pytest)
have_cli || packages+=(awscli)
have_chromium || packages+=(chromium)
have_valgrind || packages+=(valgrind)
echo "ensure-test-deps: installing ${packages[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
have_boto3 && have_pytest && have_cli && have_chromium && have_valgrind
