#!/bin/bash
# Usage: mkdisk.sh ROOTDIR OUT.qcow2 [SIZE_MB]
# A bootable BIOS disk from a root directory, without loop devices or mounts: MBR with one bootable partition
# from 1 MiB, ext4 (LABEL=rootfs) filled from ROOTDIR by mkfs.ext4 -d, GRUB boot.img + core.img written with dd
# (grub-bios-setup would probe the host's disks), a static grub.cfg booting the /vmlinuz and /initrd.img symlinks
# that Debian's kernel package keeps current. Then a compressed qcow2 (what Glance gets).
# Needs: e2fsprogs, fdisk (sfdisk), grub-pc-bin, qemu-utils.
set -euo pipefail
R=$1 OUT=$2 SIZE_MB=${3:-2048}
G=/usr/lib/grub/i386-pc
mkdir -p "$R/boot/grub/i386-pc"
cp "$G"/*.mod "$G"/*.lst "$R/boot/grub/i386-pc/"
cat > "$R/boot/grub/grub.cfg" <<'EOC'
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry 'accomplishments-validator appliance' {
  search --no-floppy --label rootfs --set=root
  linux /vmlinuz root=LABEL=rootfs ro console=tty0 console=ttyS0,115200n8 net.ifnames=0
  initrd /initrd.img
}
EOC
RAW="${OUT%.qcow2}.raw"; rm -f "$RAW"; truncate -s "${SIZE_MB}M" "$RAW"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$RAW"
mkfs.ext4 -q -F -L rootfs -E offset=1048576 -d "$R" "$RAW" "$(( (SIZE_MB-1)*1024 ))k"
TMP=$(mktemp -d)
grub-mkimage -O i386-pc -d "$G" -o "$TMP/core.img" -p '(hd0,msdos1)/boot/grub' \
  biosdisk part_msdos ext2 normal search search_label linux echo test configfile boot serial terminal
[ "$(stat -c %s "$TMP/core.img")" -lt $((2047*512)) ]
dd if="$G/boot.img" of="$RAW" bs=440 count=1 conv=notrunc status=none
dd if="$TMP/core.img" of="$RAW" bs=512 seek=1 conv=notrunc status=none
rm -rf "$TMP"
qemu-img convert -c -O qcow2 "$RAW" "$OUT"
rm -f "$RAW"
