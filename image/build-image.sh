#!/bin/bash
# Builds the appliance image from Debian packages only: one command, run as root.
#
#   image/build-image.sh [OUT.qcow2] [DEB]
#
# OUT defaults to image/out/accomplishments-validator.qcow2; DEB to the newest deb/target/*.deb (build it with
# `mvn -B -DskipTests package` at the repository root). Steps: mmdebstrap (Debian 12 minbase + kernel,
# cloud-init, OpenSSH, the JRE, nftables, Syncthing) into a directory; the Ansible role installs the .deb into it through the chroot
# connection (the same role as on any other host), and runs again to prove that a second run changes nothing;
# mkdisk.sh makes the bootable compressed qcow2.
# Nothing but Debian packages is downloaded (MIRROR, default http://deb.debian.org/debian).
# Prints the size and sha256 of the qcow2 (also written to OUT.sha256).
# Needs: mmdebstrap, e2fsprogs, fdisk, grub-pc-bin, qemu-utils, ansible-core (image/ci.sh installs them).
set -euo pipefail
H=$(dirname "$(realpath "$0")"); TOP=$(dirname "$H")
OUT=$(realpath -m "${1:-$H/out/accomplishments-validator.qcow2}")
DEB=${2:-$(ls -t "$TOP"/deb/target/accomplishments-validator_*_all.deb 2>/dev/null | head -1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
[ -n "$DEB" ] && [ -f "$DEB" ] || { echo "build-image.sh: no .deb (run mvn -B -DskipTests package first)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "build-image.sh: run as root (mmdebstrap, chroot)" >&2; exit 1; }
DEB=$(realpath "$DEB")
mkdir -p "$(dirname "$OUT")"
T0=$SECONDS
# Kernel, boot and cloud plumbing as Debian's cloud images; the service's dependencies (JRE, curl, python3 for
# logic scripts, dbus-daemon for the sync daemon backend); python3-apt for Ansible's apt module.
PKGS=linux-image-cloud-amd64,systemd-sysv,udev,dbus,cloud-init,cloud-guest-utils,ifupdown,isc-dhcp-client
PKGS=$PKGS,openssh-server,sudo,ca-certificates,openjdk-17-jre-headless,curl,python3,python3-apt,iproute2,gpg
# openssl: the self-signed certificate (tls-self-signed); nftables: 443 -> 8443; syncthing: the syncthing backend
# (cloud-init/42-share-backend-syncthing.yaml), so switching to it needs no mirror at boot.
PKGS=$PKGS,openssl,nftables,syncthing
ROOT=$(mktemp -d /var/tmp/appliance-root.XXXXXX)
trap 'rm -rf "$ROOT" "$ROOT.idem"' EXIT
export ANSIBLE_CONFIG="$TOP/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1
mmdebstrap --variant=minbase --include="$PKGS" \
  --customize-hook="ansible-playbook -i \"\$1,\" -c community.general.chroot '$TOP/ansible/image.yml' -e accomplishments_validator_deb='$DEB'" \
  --customize-hook="ansible-playbook -i \"\$1,\" -c community.general.chroot '$TOP/ansible/image.yml' -e accomplishments_validator_deb='$DEB' | tee '$ROOT.idem' | tail -3; grep -Eq 'changed=0 +unreachable=0 +failed=0' '$ROOT.idem' || { echo 'the role is not idempotent: its second run changed something' >&2; exit 1; }" \
  --customize-hook="'$H/customize-rootfs.sh' \"\$1\"" \
  bookworm "$ROOT" "$MIRROR"
T1=$SECONDS
echo "root file system: $(du -sh "$ROOT" | cut -f1) in $((T1-T0)) s"
"$H/mkdisk.sh" "$ROOT" "$OUT" 2048
( cd "$(dirname "$OUT")" && sha256sum "$(basename "$OUT")" > "$(basename "$OUT").sha256" )
echo "image: $OUT"
echo "size: $(stat -c %s "$OUT") bytes ($(( $(stat -c %s "$OUT") / 1048576 )) MiB compressed qcow2, $(qemu-img info "$OUT" | sed -n 's/^virtual size: //p') virtual)"
echo "sha256: $(cut -d' ' -f1 "$OUT.sha256")"
echo "build time: $((SECONDS-T0)) s (mmdebstrap + role $((T1-T0)) s, disk $((SECONDS-T1)) s)"
