#!/bin/bash
# CI for the appliance: static checks, then the image build and the boot test. Exit non-zero on any failure.
#
#   image/ci.sh              everything (root: installs the Debian packages it needs when missing)
#   IMAGE_CI_STATIC_ONLY=1 image/ci.sh     static checks only (seconds)
#
# Static: cloud-init schema of every cloud-init/*.yaml; lintian of the .deb (errors fail); systemd-analyze
# verify of every unit against the package's file tree and `security --offline=true` at most 1.5 for each;
# ansible-playbook --syntax-check and ansible-lint --offline; packer fmt + validate of both sources (offline).
# Then image/build-image.sh and image/boot-test.sh. Prints the time of every step.
set -uo pipefail
H=$(dirname "$(realpath "$0")"); TOP=$(dirname "$H"); cd "$TOP" || exit 1
T_ALL=$SECONDS; FAILED=(); TIMES=()
step() {  # step NAME COMMAND...: runs it, records its time and result
    local name=$1; shift; local t=$SECONDS
    echo "=== $name"
    if "$@"; then TIMES+=("$(printf '%-44s %5d s  ok' "$name" $((SECONDS-t)))")
    else TIMES+=("$(printf '%-44s %5d s  FAILED' "$name" $((SECONDS-t)))"); FAILED+=("$name"); fi
}

# --- tools, from Debian packages only
need=()
for t in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils mmdebstrap:mmdebstrap sfdisk:fdisk \
         grub-mkimage:grub-pc-bin genisoimage:genisoimage packer:packer cloud-init:cloud-init \
         ansible-playbook:ansible-core ansible-lint:ansible-lint lintian:lintian ssh:openssh-client \
         ssh-keygen:openssh-client curl:curl gpg:gpg mkfs.ext4:e2fsprogs systemd-analyze:systemd \
         dpkg-deb:dpkg perl:perl python3:python3 openssl:openssl; do
    command -v "${t%%:*}" >/dev/null 2>&1 || need+=("${t#*:}")
done
[ -d /usr/lib/grub/i386-pc ] || need+=(grub-pc-bin)
# build-image.sh runs the role through the community.general.chroot connection: Debian's `ansible` package (the
# collections), which ansible-core alone lacks.
[ -d /usr/lib/python3/dist-packages/ansible_collections/community/general ] || need+=(ansible)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "image/ci.sh: installing ${need[*]}"
        t=$SECONDS
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
            || { echo "image/ci.sh: apt-get install failed"; exit 1; }
        TIMES+=("$(printf '%-44s %5d s  ok' "install ${#need[@]} tool packages" $((SECONDS-t)))")
    else
        echo "image/ci.sh: please install (as root): ${need[*]}"; exit 1
    fi
fi

# --- the .deb (mvn package at the root makes it; test.sh's `mvn verify` already did)
DEB=$(ls -t deb/target/accomplishments-validator_*_all.deb 2>/dev/null | head -1)
if [ -z "$DEB" ] || [ app/target/accomplishments-validator.jar -nt "$DEB" ]; then
    step "mvn package (jar + .deb)" mvn -B -ntp -q -DskipTests package
    DEB=$(ls -t deb/target/accomplishments-validator_*_all.deb | head -1)
fi
echo "package: $DEB"

check_schema() { local rc=0 f; for f in cloud-init/*.yaml; do cloud-init schema --config-file "$f" >/dev/null 2>&1 \
    && echo "valid: $f" || { echo "INVALID: $f"; cloud-init schema --config-file "$f"; rc=1; }; done; return $rc; }
check_lintian() { local out; out=$(lintian --tag-display-limit 0 "$DEB" 2>&1 | grep -v 'root privileges'); echo "$out"
    ! grep -q '^E:' <<<"$out"; }
check_units() {
    local R rc=0 u s; R=$(mktemp -d)
    dpkg-deb -x "$DEB" "$R"
    local units=("$R"/lib/systemd/system/*.service)
    # the standard units and targets they refer to (sysinit.target, network-online.target...) from the host
    cp -rn /lib/systemd/system/. "$R/lib/systemd/system/" 2>/dev/null || true
    # executables the units name that the package does not ship (dependencies, an operator-installed daemon)
    for x in /usr/bin/dbus-daemon /usr/lib/ubuntuone-client/ubuntuone-syncdaemon /usr/bin/java /usr/bin/syncthing; do
        mkdir -p "$R$(dirname $x)"; printf '#!/bin/sh\n' > "$R$x"; chmod 755 "$R$x"; done
    for u in "${units[@]}"; do
        if systemd-analyze verify --root="$R" "/lib/systemd/system/$(basename "$u")" 2>&1 | grep -v 'Cannot add dependency job' ; then :; fi
        systemd-analyze verify --root="$R" "/lib/systemd/system/$(basename "$u")" >/dev/null 2>&1 || { echo "verify FAILED: $(basename "$u")"; rc=1; }
        s=$(systemd-analyze security --offline=true "$u" 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
        if systemd-analyze security --offline=true --threshold=15 "$u" >/dev/null 2>&1; then echo "security $(basename "$u"): $s (<= 1.5)"
        else echo "security FAILED $(basename "$u"): $s (> 1.5)"; rc=1; fi
    done
    rm -rf "$R"; return $rc
}
check_ansible() { ( cd ansible && export ANSIBLE_CONFIG=$PWD/ansible.cfg &&
    for p in site.yml image.yml provision.yml; do ansible-playbook -i localhost, --syntax-check "$p" >/dev/null || exit 1; echo "syntax ok: $p"; done &&
    ansible-lint --offline --nocolor site.yml image.yml provision.yml ); }

step "cloud-init schema (cloud-init/*.yaml)" check_schema
step "lintian (.deb)" check_lintian
step "systemd-analyze verify + security <= 1.5" check_units
step "ansible syntax-check + ansible-lint --offline" check_ansible
step "packer fmt + validate (qemu, openstack)" packer/validate.sh

if [ -z "${IMAGE_CI_STATIC_ONLY:-}" ]; then
    if [ ${#FAILED[@]} -eq 0 ]; then
        step "image build (mmdebstrap + role + disk)" image/build-image.sh "$H/out/accomplishments-validator.qcow2" "$DEB"
        [ -f "$H/out/accomplishments-validator.qcow2" ] && \
        step "boot test (TCG: 3 boots + upgrade)" env DEB="$DEB" image/boot-test.sh "$H/out/accomplishments-validator.qcow2"
    else
        echo "image/ci.sh: static checks failed; image build and boot test not run"
    fi
fi

echo "=== image/ci.sh timings"
printf '%s\n' "${TIMES[@]}"
printf '%-44s %5d s\n' "total" $((SECONDS-T_ALL))
if [ ${#FAILED[@]} -gt 0 ]; then echo "image/ci.sh: FAILED: ${FAILED[*]}"; exit 1; fi
echo "image/ci.sh: all passed"
