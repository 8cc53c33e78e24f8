#!/bin/bash
# Validates packer/appliance.pkr.hcl offline, both sources: `packer fmt -check`, then a full `packer validate`
# with the openstack source authenticating against fake-keystone.py on 127.0.0.1 (no network, no cloud).
set -euo pipefail
P=$(dirname "$(realpath "$0")"); cd "$P"
W=$(mktemp -d); KS=""
trap '[ -n "$KS" ] && kill $KS 2>/dev/null; rm -rf "$W"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 fake-keystone.py "$PORT" & KS=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/v3" && break; sleep 0.1; done
ssh-keygen -q -t ed25519 -N '' -f "$W/key"; mkdir -p "$W/cd"; : > "$W/base.qcow2"; : > "$W/x.deb"
packer fmt -check appliance.pkr.hcl
packer validate \
  -var deb="$W/x.deb" -var base_image="$W/base.qcow2" -var ssh_private_key_file="$W/key" \
  -var config_drive_dir="$W/cd" -var output_directory="$W/out" \
  -var identity_endpoint="http://127.0.0.1:$PORT/v3" -var password=unused \
  appliance.pkr.hcl
