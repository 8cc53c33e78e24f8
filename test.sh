#!/usr/bin/env bash
# Runs every test of accomplishments-validator: unit tests, the integration and interop tests that use the real
# programs a user has (gpg, sqop, python3, setsid, dbus-daemon, syncthing), and the appliance image's static checks, build and
# boot test (image/ci.sh). Installs the Debian packages they need when missing and running as root; otherwise names
# them and stops.
#
#   ./test.sh                 all tests
#   ./test.sh -Dtest=Name     any further arguments go to Maven (and skip the image build and boot test)
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
command -v sqop >/dev/null 2>&1 || missing+=(sqop)
command -v setsid >/dev/null 2>&1 || missing+=(util-linux)
[ -x /usr/bin/python3 ] || missing+=(python3)
# The sync daemon backend's tests: a private dbus-daemon, the test sync daemon (Python, dbus-python + GLib)
# and the command-line D-Bus clients that check that fixture against the documented interface.
command -v dbus-daemon >/dev/null 2>&1 || missing+=(dbus-daemon)
command -v dbus-send >/dev/null 2>&1 || missing+=(dbus-bin)
command -v busctl >/dev/null 2>&1 || missing+=(systemd)
/usr/bin/python3 -c 'import dbus' >/dev/null 2>&1 || missing+=(python3-dbus)
/usr/bin/python3 -c 'from gi.repository import GLib' >/dev/null 2>&1 || missing+=(python3-gi)
# The web UI's browser tests: Debian's Chromium and its driver (Selenium never downloads a browser here).
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# The syncthing backend's tests: real Syncthing instances on loopback (Debian 12 ships 1.19.2)
command -v syncthing >/dev/null 2>&1 || missing+=(syncthing)
# The alert rules in docs/monitoring: promtool check rules / test rules, and check metrics on a live scrape
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
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

mvn -B -ntp verify "$@"

# The appliance (issue 5): static checks of cloud-init, units, Ansible and Packer, then the image built from the
# .deb just packaged and booted under QEMU. Only on a full run: `./test.sh -Dtest=Name` stays a quick Maven run.
if [ $# -eq 0 ]; then
    exec image/ci.sh
fi
