#!/bin/sh
# mmdebstrap customize hook: make the root file system a cloud image (no network needed).
# Usage: customize-rootfs.sh ROOTDIR
set -eu
R="$1"
echo localhost > "$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
printf 'LABEL=rootfs\t/\text4\tdefaults,discard,errors=remount-ro\t0\t1\n' > "$R/etc/fstab"
# Every instance gets its own machine id, host keys and name (cloud-init, systemd at first boot).
: > "$R/etc/machine-id"
rm -f "$R/var/lib/dbus/machine-id" "$R"/etc/ssh/ssh_host_*
rm -f "$R/etc/resolv.conf"; : > "$R/etc/resolv.conf"
# cloud-init: OpenStack (config drive or metadata service), NoCloud, else nothing. The trims keep first boot
# short under emulation: no RSA/DSA host keys, no locale generation, no grub-pc debconf (GRUB is static here).
cat > "$R/etc/cloud/cloud.cfg.d/90-appliance.cfg" <<'EOC'
datasource_list: [ ConfigDrive, OpenStack, NoCloud, None ]
manage_etc_hosts: true
locale: C.UTF-8
ssh_genkeytypes: [ ed25519, ecdsa ]
grub_dpkg:
  enabled: false
EOC
echo 'LANG=C.UTF-8' > "$R/etc/default/locale"
mkdir -p "$R/etc/network/interfaces.d"
# Journal on disk, size-capped: the service's logs survive reboots (journalctl -u accomplishments-validator -b -1).
mkdir -p "$R/var/log/journal" "$R/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=persistent\nSystemMaxUse=200M\n' > "$R/etc/systemd/journald.conf.d/appliance.conf"
# HTTPS on 443 without a privileged service: the kernel redirects 443/tcp arriving from the network to the
# service's 8443 (cloud-init/60-tls.yaml). The client's address is kept (login throttling, audit log), nothing
# listens on 443, and the service keeps no capability at all (AmbientCapabilities=CAP_NET_BIND_SERVICE would
# hand it to every logic script it runs). Debian's nftables.service loads this file early in every boot.
cat > "$R/etc/nftables.conf" <<'EON'
#!/usr/sbin/nft -f
# accomplishments-validator appliance (image/customize-rootfs.sh): 443/tcp -> the service's HTTPS port 8443.
# No filtering here: that is the security group's job (docs/operations.md opens 22 and 443 only).
flush ruleset
table inet accomplishments_validator {
    chain prerouting {
        type nat hook prerouting priority dstnat; policy accept;
        tcp dport 443 redirect to :8443
    }
}
EON
chroot "$R" systemctl enable nftables.service
# Shrink: documentation, man pages, foreign locales, apt lists and caches.
rm -rf "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/info/*
find "$R/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'en*' ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
rm -rf "$R"/var/cache/apt/*.bin "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/* "$R"/var/log/*.log \
       "$R"/var/cache/accomplishments-validator/*.deb
