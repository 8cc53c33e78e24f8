#!/bin/bash
# Usage: mkconfigdrive.sh OUT.iso USER_DATA_FILE SSH_PUBKEY_FILE [HOSTNAME]
# An OpenStack config drive as Nova writes it (ISO 9660, label config-2, openstack/latest/{meta_data.json,user_data}):
# the same data source the appliance sees on a real cloud with --config-drive true.
set -euo pipefail
OUT=$1 UD=$2 KEY=$(cat "$3") HN=${4:-validator-test}
D=$(mktemp -d); mkdir -p "$D/openstack/latest"
cat > "$D/openstack/latest/meta_data.json" <<EOJ
{"uuid": "$(cat /proc/sys/kernel/random/uuid)", "name": "$HN", "hostname": "$HN",
 "availability_zone": "nova", "launch_index": 0,
 "public_keys": {"test": "$KEY"}, "keys": [{"name": "test", "type": "ssh", "data": "$KEY"}]}
EOJ
cp "$UD" "$D/openstack/latest/user_data"
cp -r "$D/openstack/latest" "$D/openstack/2012-08-10"
genisoimage -quiet -o "$OUT" -V config-2 -J -R "$D"
rm -rf "$D"
