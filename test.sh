#!/usr/bin/env bash
# Runs every test of accomplishments-validator: unit tests, and the integration and interop tests that use the
# real programs a user has (gpg, sqop, python3, setsid). Installs the Debian packages they need when missing
# and running as root; otherwise names them and stops.
#
#   ./test.sh                 all tests
#   ./test.sh -Dtest=Name     any further arguments go to Maven
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
command -v sqop >/dev/null 2>&1 || missing+=(sqop)
command -v setsid >/dev/null 2>&1 || missing+=(util-linux)
[ -x /usr/bin/python3 ] || missing+=(python3)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "test.sh: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "test.sh: please install these Debian packages first: ${missing[*]}" >&2
        exit 1
    fi
fi

exec mvn -B -ntp verify "$@"
