#!/usr/bin/env bash
# Debian packages the client tests need: boto3 (python3-boto3) and the AWS CLI v2 (awscli),
# called by absolute path (/usr/bin/python3, /usr/bin/aws) because the ones on PATH are other
# installs. Installed only when missing.
set -euo pipefail

have_boto3() { /usr/bin/python3 -c 'import boto3' >/dev/null 2>&1; }
have_cli() { [ -x /usr/bin/aws ]; }

if have_boto3 && have_cli; then exit 0; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "ensure-test-deps: installing python3-boto3 and awscli from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq python3-boto3 awscli >/dev/null
have_boto3 && have_cli
