#!/bin/bash
# Runs the packer qemu build: provisions BASE (a local Debian 12 cloud qcow2; default: the output of
# image/build-image.sh) with the Ansible role and the .deb, and writes packer/out/qemu/accomplishments-validator.qcow2.
#   packer/build-qemu.sh [BASE.qcow2] [DEB]        (ACCEL=kvm where KVM works; default tcg)
set -euo pipefail
P=$(dirname "$(realpath "$0")"); TOP=$(dirname "$P")
BASE=$(realpath "${1:-$TOP/image/out/accomplishments-validator.qcow2}")
DEB=$(realpath "${2:-$(ls -t "$TOP"/deb/target/accomplishments-validator_*_all.deb | head -1)}")
O=$P/out; rm -rf "$O/qemu" "$O/configdrive"; mkdir -p "$O/configdrive/openstack/latest"
[ -f "$O/build_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$O/build_key"
# The config drive: the build key for the default user, nothing else (the service keeps its defaults).
cat > "$O/configdrive/openstack/latest/meta_data.json" <<EOJ
{"uuid": "$(cat /proc/sys/kernel/random/uuid)", "name": "packer-build", "hostname": "packer-build",
 "public_keys": {"build": "$(cat "$O/build_key.pub")"}}
EOJ
printf '#cloud-config\n{}\n' > "$O/configdrive/openstack/latest/user_data"
cd "$P"
packer build -only=qemu.appliance -var deb="$DEB" -var base_image="$BASE" -var accelerator="${ACCEL:-tcg}" \
  -var ssh_private_key_file="$O/build_key" -var config_drive_dir="$O/configdrive" -var output_directory="$O/qemu" \
  appliance.pkr.hcl
