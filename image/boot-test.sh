#!/bin/bash
# Boot test of the appliance image under QEMU (TCG here; ACCEL=kvm where KVM works), as on OpenStack:
#
#   image/boot-test.sh [IMAGE.qcow2] [USER_DATA]     (root not needed; qemu-system-x86, qemu-utils, genisoimage,
#                                                      openssh-client, curl, gpg, openssl, ansible-core)
#
# IMAGE defaults to image/out/accomplishments-validator.qcow2, USER_DATA to cloud-init/50-policy.yaml (it makes
# the service listen on the instance's address, so /health is reachable through the host forward).
# The VM gets an OpenStack config drive (config-2) with that user-data and a throwaway SSH key, 2 vCPU, 1 GiB,
# and a user-mode NIC with restrict=on (no guest traffic leaves the host) and two forwards bound to 127.0.0.1
# only: SSH and the service's port 8080. A throwaway overlay keeps IMAGE pristine; both boots use the overlay.
#
# Boot 1: waits for /health UP through the forward (time from qemu start), then over SSH: cloud-init status
#   done, systemctl --failed empty, the service runs as accomplishments-validator, its secret key files are 0600,
#   no listening port but 22 and 8080 (and DHCP's 68/udp); pushes the repository's example collection and
#   Alice's example share into the local share backend (SSH: the test needs a shell for the checks anyway, and
#   this is how an operator or a sync job gets files in; no extra disk or 9p driver in the image), waits for
#   the .trophy.asc and verifies it with gpg on the host against GET /api/keys/current.
# Boot 2 (same disk): the same key and the same .asc, cloud-init done again, nothing failed.
# Upgrade: the Ansible role (ansible/site.yml over SSH, as on any Debian host) installs a newer .deb (the given
#   one, version bumped) over the running one: key and data stay, the role's own /health check passes, and a
#   second run of the role changes nothing.
# Boot 3 (a new instance: fresh overlay and config drive): the examples 10-web-admin, 20-import-key and 60-tls
#   joined into one user-data, their placeholders filled with a key and a certificate made on the host
#   (image/compose-user-data.py). The first start must already use all of it, without a restart: /health UP over
#   HTTPS (verified against that certificate) through a third forward, the unit's health wait asked the HTTPS
#   URL, the imported key signs (its fingerprint is /api/keys/current's), the first admin can log in, and
#   nothing listens but 22 and 8443.
# BOOT_TEST_ONLY=3 runs boot 3 alone. Exit 0 only if every check passed. Logs (serial consoles, timings): image/out/boot-test/.
set -euo pipefail
H=$(dirname "$(realpath "$0")"); TOP=$(dirname "$H")
IMG=$(realpath "${1:-$H/out/accomplishments-validator.qcow2}")
UD=$(realpath "${2:-$TOP/cloud-init/50-policy.yaml}")
DEB=${DEB:-$(ls -t "$TOP"/deb/target/accomplishments-validator_*_all.deb 2>/dev/null | head -1)}
ACCEL=${ACCEL:-tcg}
L=$H/out/boot-test; rm -rf "$L"; mkdir -p "$L"
W=$(mktemp -d /var/tmp/boot-test.XXXXXX)
QPID=""; STPID=""
# QPID is the console's timestamping end of the pipeline; qemu itself is stopped by its pid file.
cleanup() { [ -n "$QPID" ] && kill "$QPID" 2>/dev/null; [ -s "$W/qemu.pid" ] && kill "$(cat "$W/qemu.pid")" 2>/dev/null
            [ -n "$STPID" ] && kill "$STPID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SSH_PORT=$(free_port); HTTP_PORT=$(free_port); HTTPS_PORT=$(free_port); SYNC_PORT=$(free_port)
LISTEN_OK='tcp/(22|8080)|udp/68'   # what may listen in the guest (boot 3: 8443 instead of 8080)
FAILS=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; FAILS=$((FAILS+1)); }
note() { echo "$*" | tee -a "$L/timings.txt"; }

ssh-keygen -q -t ed25519 -N '' -f "$W/key"
"$H/mkconfigdrive.sh" "$W/cd.iso" "$UD" "$W/key.pub" validator-test
qemu-img create -q -f qcow2 -F qcow2 -b "$IMG" "$W/disk.qcow2"
g() { ssh -q -i "$W/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
        -o ConnectTimeout=20 -o BatchMode=yes -p "$SSH_PORT" debian@127.0.0.1 "$@"; }

boot() {  # boot N: start the VM in the background, serial console with timestamps to $L/serial-N.log
    # shellcheck disable=SC2054 # the commas are qemu's option syntax, inside one argument
    case $ACCEL in
        kvm) A=(-accel kvm -cpu host,-arch-capabilities) ;;
        *)   A=(-accel tcg,thread=multi -cpu qemu64) ;;
    esac
    T0=$(date +%s.%N); CPU0=$(head -1 /proc/stat)
    qemu-system-x86_64 "${A[@]}" -smp 2 -m 1024 -display none -nodefaults -no-user-config \
        -serial stdio -monitor none -qmp unix:"$W/qmp",server=on,wait=off -pidfile "$W/qemu.pid" -no-reboot \
        -drive file="$W/disk.qcow2",if=virtio,format=qcow2,discard=unmap \
        -drive file="$W/cd.iso",if=virtio,readonly=on,format=raw \
        -netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$SSH_PORT-:22,hostfwd=tcp:127.0.0.1:$HTTP_PORT-:8080,hostfwd=tcp:127.0.0.1:$HTTPS_PORT-:443,hostfwd=tcp:127.0.0.1:$SYNC_PORT-:22000 \
        -device virtio-net-pci,netdev=n0 </dev/null 2>&1 \
      | perl -MTime::HiRes=time -e '$|=1; $t0=shift; while(<STDIN>){ s/\r//g; printf "[%8.3f] %s", time-$t0, $_ }' "$T0" \
        > "$L/serial-$1.log" &
    QPID=$!
}
since() { python3 -c "import time; print(f'{time.time()-$T0:.1f}')"; }
# The host's CPU time stolen by its hypervisor since the boot began, in %: this machine is itself a VM, and
# steal is what makes TCG boot times vary from run to run.
steal() { python3 -c "
a=[int(x) for x in '$CPU0'.split()[1:9]]; b=[int(x) for x in open('/proc/stat').readline().split()[1:9]]
d=[y-x for x,y in zip(a,b)]; print(f'host CPU steal {100*d[7]/max(1,sum(d)):.0f} %')"; }
wait_health() {  # wait_health SECONDS [CURL_ARGS... URL]: HTTP 200 from /health (default: plain HTTP forward)
    local end=$((SECONDS+$1)); shift
    [ $# -gt 0 ] || set -- "http://127.0.0.1:$HTTP_PORT/health"
    while [ $SECONDS -lt $end ]; do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@")" = 200 ] && return 0
        kill -0 "$QPID" 2>/dev/null || return 1
        sleep 1
    done
    return 1
}
wait_ssh() { local end=$((SECONDS+$1)); while [ $SECONDS -lt $end ]; do g true 2>/dev/null && return 0; sleep 2; done; return 1; }
poweroff() {
    python3 "$H/qmp.py" "$W/qmp" system_powerdown >/dev/null || true
    local end=$((SECONDS+120)); while kill -0 "$QPID" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 1; done
    kill "$QPID" 2>/dev/null || true; wait "$QPID" 2>/dev/null || true; QPID=""
}
# Checks run inside the guest (one SSH round trip: each costs seconds under TCG).
guest_checks() {
    g sudo bash -s <<'EOS'
set -u
u=accomplishments-validator
echo "cloud-init: $(cloud-init status --wait 2>&1 | tr '\n' ' ')"
echo "failed-units: [$(systemctl --failed --no-legend --plain | tr '\n' ';')]"
pid=$(systemctl show -p MainPID --value $u.service)
echo "service-user: $(ps -o user= -p "$pid" 2>/dev/null) pid=$pid"
echo "secret-keys: $(find /var/lib/$u/keys -name '*.secret.asc' -printf '%m:%u ' 2>/dev/null)"
echo "keys-dir: $(stat -c '%a:%U' /var/lib/$u/keys 2>/dev/null)"
# the JVM maps the class archive build-class-archive made when the package was installed (a stale one is ignored)
echo "class-archive: $(grep -c /var/cache/$u/classes.jsa /proc/$pid/maps 2>/dev/null || echo 0) mappings"
echo "listening: $(ss -Hlntu | awk '{print $1 "/" $5}' | sed -E 's#/.*:#/#' | sort -u | tr '\n' ' ')"
echo "version: $(dpkg-query -W -f='${Version}' $u)"
m() { systemctl show -p "$1" --value $u.service; }
echo "unit-activating-us: $(m InactiveExitTimestampMonotonic) unit-active-us: $(m ActiveEnterTimestampMonotonic) userspace-done-us: $(systemctl show -p FinishTimestampMonotonic --value)"
echo "startup-line: $(journalctl -b -u $u.service -o cat --no-pager | grep -o 'Startup completed in [0-9]*ms' | tail -1)"
echo "health-wait: $(journalctl -b -u $u.service -o cat --no-pager | grep -o 'healthy after [0-9]* s: [^ ]*' | tail -1)"
echo "restarts: $(m NRestarts)"
echo "asc: $(find /var/lib/$u/shares -name '*.trophy.asc' -exec sha256sum {} + 2>/dev/null | cut -c1-16 | tr '\n' ' ')"
EOS
}
journal() {  # journal N: the boot's timeline (kernel-monotonic seconds) and the service's log, for the figures
    g "sudo sh -c 'systemd-analyze; systemd-analyze critical-chain accomplishments-validator.service; \
        journalctl -b -o short-monotonic --no-pager -u accomplishments-validator -u cloud-init -u cloud-config -u cloud-final'" \
        > "$L/journal-boot$1.txt" 2>&1 || true
}
check_common() {  # check_common OUTPUT LABEL
    local o=$1 b=$2
    grep -Eq '^cloud-init: [. ]*status: done' <<<"$o" && pass "$b: cloud-init status done" || fail "$b: cloud-init: $(grep '^cloud-init' <<<"$o")"
    grep -q '^failed-units: \[\]' <<<"$o" && pass "$b: systemctl --failed empty" || fail "$b: $(grep '^failed-units' <<<"$o")"
    grep -q '^service-user: accomplishments-validator ' <<<"$o" && pass "$b: service runs as accomplishments-validator" || fail "$b: $(grep '^service-user' <<<"$o")"
    local k; k=$(sed -n 's/^secret-keys: //p' <<<"$o")
    if [ -n "$k" ] && ! tr ' ' '\n' <<<"$k" | grep -v '^$' | grep -qv '^600:accomplishments-validator$'; then
        pass "$b: secret key files 0600 ($k)"; else fail "$b: secret key files: '$k'"; fi
    grep -Eq '^class-archive: [1-9][0-9]* mappings' <<<"$o" && pass "$b: the JVM uses the class archive (AppCDS)" \
        || fail "$b: the JVM does not map /var/cache/accomplishments-validator/classes.jsa: $(grep '^class-archive' <<<"$o")"
    local extra; extra=$(sed -n 's/^listening: //p' <<<"$o" | tr ' ' '\n' | grep -v '^$' | grep -vxE "$LISTEN_OK" || true)
    [ -z "$extra" ] && pass "$b: listening only on $(sed -n 's/^listening: //p' <<<"$o")" || fail "$b: unexpected listeners: $extra"
}
us() { sed -n "s/.*$1: \([0-9]*\).*/\1/p" <<<"$2"; }

# BOOT_TEST_ONLY=3: only the walk-through's new instance (boot 3), e.g. after changing the OpenStack examples.
if [ "${BOOT_TEST_ONLY:-}" != 3 ]; then
# ---------------- boot 1
echo "boot 1: $IMG with $(basename "$UD"), accel $ACCEL, ssh 127.0.0.1:$SSH_PORT, http 127.0.0.1:$HTTP_PORT"
boot 1
if wait_health 600; then note "boot 1: /health UP $(since) s after qemu start ($(steal))"; else fail "boot 1: /health not UP in 600 s"; tail -30 "$L/serial-1.log"; exit 1; fi
wait_ssh 300 || { fail "boot 1: no SSH"; exit 1; }
O=$(guest_checks); echo "$O" > "$L/guest-boot1.txt"; echo "$O" | sed 's/^/  guest: /'
journal 1
check_common "$O" "boot 1"
a=$(us unit-activating-us "$O"); b=$(us unit-active-us "$O")
note "boot 1: service unit activating at $(awk "BEGIN{printf \"%.1f\", $a/1e6}") s of kernel time, healthy (active) at $(awk "BEGIN{printf \"%.1f\", $b/1e6}") s: its own start took $(awk "BEGIN{printf \"%.1f\", ($b-$a)/1e6}") s; $(grep -o 'Startup completed in [0-9]*ms' <<<"$O")"

# push a trophy through the local share backend
ALICE="alice-trophies (Alice, 7f3c9a52-2f0e-4d5e-9c1b-2a3f4e5d6c7b)"
t=$SECONDS
tar -C "$TOP/examples" -cf - collections "shares/$ALICE" | g 'sudo sh -ec "
  D=/var/lib/accomplishments-validator
  tar -xf - -C \$D --no-same-owner
  chown -R accomplishments-validator:accomplishments-validator \$D/collections \$D/shares
  systemctl restart accomplishments-validator.service"'
note "restart after installing the collection (blocks until /health UP): $((SECONDS-t)) s"
ASC=""; end=$((SECONDS+300))
while [ $SECONDS -lt $end ]; do
    ASC=$(g "sudo find /var/lib/accomplishments-validator/shares -name registered-email.trophy.asc" 2>/dev/null || true)
    [ -n "$ASC" ] && break; sleep 5
done
if [ -n "$ASC" ]; then
    note "trophy signed $((SECONDS-t)) s after the push"
    g "sudo cat '$ASC'" > "$L/registered-email.trophy.asc"
    curl -sf "http://127.0.0.1:$HTTP_PORT/api/keys/current" > "$L/key1.asc"
    mkdir -m 700 "$W/gnupg"
    gpg -q --homedir "$W/gnupg" --import "$L/key1.asc" 2>/dev/null
    if gpg --homedir "$W/gnupg" --status-fd 1 --verify < "$L/registered-email.trophy.asc" 2>/dev/null | grep -q '^\[GNUPG:\] VALIDSIG'; then
        pass "boot 1: the .trophy.asc verifies with gpg on the host against /api/keys/current"
    else fail "boot 1: gpg --verify of the .trophy.asc"; fi
else
    fail "boot 1: no registered-email.trophy.asc within 300 s"; g "sudo journalctl -u accomplishments-validator --no-pager | tail -30" || true
fi
poweroff

# ---------------- boot 2: same disk
boot 2
if wait_health 600; then note "boot 2: /health UP $(since) s after qemu start ($(steal))"; else fail "boot 2: /health not UP"; exit 1; fi
wait_ssh 300 || { fail "boot 2: no SSH"; exit 1; }
O2=$(guest_checks); echo "$O2" > "$L/guest-boot2.txt"; echo "$O2" | sed 's/^/  guest: /'
check_common "$O2" "boot 2"
curl -sf "http://127.0.0.1:$HTTP_PORT/api/keys/current" > "$L/key2.asc"
cmp -s "$L/key1.asc" "$L/key2.asc" && pass "boot 2: same signing key" || fail "boot 2: the key changed"
[ "$(sed -n 's/^asc: //p' <<<"$O2")" = "$(sed -n 's/^asc: //p' <<<"$O")" ] || true
A1=$(g "sudo sha256sum '$ASC'" | cut -c1-64); A0=$(sha256sum < "$L/registered-email.trophy.asc" | cut -c1-64)
[ -n "$ASC" ] && [ "$A1" = "$A0" ] && pass "boot 2: the signed trophy is still there, unchanged" || fail "boot 2: the .asc changed or vanished"

# ---------------- upgrade: a newer version of the same package over the installed one
if [ -n "$DEB" ] && [ -f "$DEB" ]; then
    mkdir "$W/deb"; dpkg-deb -R "$DEB" "$W/deb/root"
    V=$(sed -n 's/^Version: //p' "$W/deb/root/DEBIAN/control"); NV="$V+upgradetest1"
    sed -i "s/^Version: .*/Version: $NV/" "$W/deb/root/DEBIAN/control"
    dpkg-deb -Zxz --root-owner-group -b "$W/deb/root" "$W/deb/new.deb" >/dev/null
    # Reading the ledger needs a token since the web UI; the upgrade restarts the service, which picks this up.
    TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    g "printf 'validator:\n  api:\n    token: %s\n' '$TOKEN' | sudo tee /etc/accomplishments-validator/conf.d/90-boot-test.yml >/dev/null"
    cat > "$W/inventory" <<EOI
[validators]
vm ansible_host=127.0.0.1 ansible_port=$SSH_PORT ansible_user=debian ansible_ssh_private_key_file=$W/key
EOI
    role() {  # role LOG: ansible/site.yml against the VM with the bumped package
        ( cd "$TOP/ansible" && ANSIBLE_CONFIG=$PWD/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=False \
          ANSIBLE_SSH_ARGS='-o UserKnownHostsFile=/dev/null -o ControlMaster=auto -o ControlPersist=120s' \
          ansible-playbook -i "$W/inventory" site.yml -e accomplishments_validator_deb="$W/deb/new.deb" ) > "$1" 2>&1
    }
    t=$SECONDS
    role "$L/upgrade-role-1.log" && pass "upgrade: the Ansible role installed $NV over $V (its /health check passed)" \
        || { fail "upgrade: the Ansible role failed"; tail -20 "$L/upgrade-role-1.log"; }
    note "upgrade (Ansible role: copy + install + restart until healthy + /health check): $((SECONDS-t)) s"
    t=$SECONDS
    role "$L/upgrade-role-2.log"; R2=$(grep -E '^vm +:' "$L/upgrade-role-2.log" || true)
    grep -Eq 'changed=0 +unreachable=0 +failed=0' <<<"$R2" && pass "upgrade: a second run of the role changes nothing" \
        || fail "upgrade: second run of the role: ${R2:-no recap}"
    note "second run of the role: $((SECONDS-t)) s"
    O3=$(guest_checks); echo "$O3" > "$L/guest-upgrade.txt"
    grep -q "^version: $NV\$" <<<"$O3" && pass "upgrade: version $NV installed" || fail "upgrade: $(grep '^version' <<<"$O3")"
    wait_health 300 && pass "upgrade: /health UP after the upgrade" || fail "upgrade: /health not UP"
    curl -sf "http://127.0.0.1:$HTTP_PORT/api/keys/current" > "$L/key3.asc"
    cmp -s "$L/key1.asc" "$L/key3.asc" && pass "upgrade: same signing key" || fail "upgrade: the key changed"
    A2=$(g "sudo sha256sum '$ASC'" | cut -c1-64)
    [ "$A2" = "$A0" ] && pass "upgrade: the signed trophy is still there" || fail "upgrade: the .asc changed or vanished"
    curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/api/trophies?state=signed" | grep -q 'registered-email' \
        && pass "upgrade: the ledger still lists the signed trophy" || fail "upgrade: the ledger lost the signed trophy"
    check_common "$O3" "upgrade"
fi
poweroff

fi  # BOOT_TEST_ONLY

# ---------------- boot 3: a new instance booted as docs/operations.md's OpenStack walk-through says
# Its user-data is made by exactly the walk-through's command (image/compose-user-data.py over the cloud-init/
# examples it names), with the optional imported key; the host plays the operator (console log, SSH, browser on
# the 443 port) and a user with a Syncthing of their own.
T=$W/boot3; mkdir -m 700 "$T" "$T/gnupg" "$T/gnupg-check"
gpg -q --batch --homedir "$T/gnupg" --pinentry-mode loopback --passphrase '' \
    --quick-gen-key 'Imported key <import@boot-test>' ed25519 sign never
gpg -q --batch --homedir "$T/gnupg" --pinentry-mode loopback --passphrase '' --export-secret-keys --armor > "$T/old-key.asc"
IMPORTED=$(gpg --homedir "$T/gnupg" --with-colons --list-keys | awk -F: '$1=="fpr"{print $10; exit}')
# --- the walk-through's step "user-data" (keep these lines and docs/operations.md the same)
( cd "$TOP" && image/compose-user-data.py "$T/user-data.yaml" \
    cloud-init/60-tls.yaml cloud-init/42-share-backend-syncthing.yaml cloud-init/30-collection.yaml \
    cloud-init/20-import-key.yaml --file /etc/accomplishments-validator/import-key.asc="$T/old-key.asc" )
cloud-init schema --config-file "$T/user-data.yaml" >/dev/null 2>&1 && pass "boot 3: the walk-through's user-data passes cloud-init schema" \
    || fail "boot 3: the walk-through's user-data fails cloud-init schema"
sed '/BEGIN PGP PRIVATE KEY BLOCK/,/END PGP PRIVATE KEY BLOCK/d' "$T/user-data.yaml" > "$L/user-data-boot3.yaml"
"$H/mkconfigdrive.sh" "$W/cd.iso" "$T/user-data.yaml" "$W/key.pub" validator-test
rm -f "$W/disk.qcow2"; qemu-img create -q -f qcow2 -F qcow2 -b "$IMG" "$W/disk.qcow2"
LISTEN_OK='tcp/(22|8443|8384|22000)|udp/68'   # 8384 must be on loopback: checked on its own below
boot 3
# The operator's first look: the console log names the certificate's fingerprint (walk-through: console log show).
FP_CONSOLE=""; end=$((SECONDS+900))
while [ $SECONDS -lt $end ] && kill -0 "$QPID" 2>/dev/null; do
    FP_CONSOLE=$(grep -ao 'cert.pem SHA-256 fingerprint [0-9A-F:]*' "$L/serial-3.log" | head -1 | awk '{print $4}' || true)
    [ -n "$FP_CONSOLE" ] && break; sleep 2
done
[ -n "$FP_CONSOLE" ] && note "boot 3: the console shows the certificate's fingerprint $(since) s after qemu start" \
    || { fail "boot 3: no certificate fingerprint on the console"; tail -30 "$L/serial-3.log"; exit 1; }
# Then the browser: what port 443 serves must be that certificate.
end=$((SECONDS+900))
while [ $SECONDS -lt $end ] && kill -0 "$QPID" 2>/dev/null; do
    openssl s_client -connect "127.0.0.1:$HTTPS_PORT" -servername validator-test </dev/null 2>/dev/null \
        | openssl x509 > "$T/served.pem" 2>/dev/null && break
    sleep 2
done
FP_SERVED=$(openssl x509 -in "$T/served.pem" -noout -fingerprint -sha256 2>/dev/null | sed 's/^[^=]*=//')
[ -n "$FP_SERVED" ] && [ "$FP_SERVED" = "$FP_CONSOLE" ] \
    && pass "boot 3: port 443 serves the self-signed certificate whose fingerprint the console shows ($FP_SERVED)" \
    || fail "boot 3: port 443 serves '${FP_SERVED:-nothing}', the console says $FP_CONSOLE"
HTTPS=(--cacert "$T/served.pem" --resolve "validator-test:$HTTPS_PORT:127.0.0.1")
BASE=https://validator-test:$HTTPS_PORT
if wait_health 900 "${HTTPS[@]}" "$BASE/health"; then note "boot 3 (walk-through: TLS, Syncthing, collection, imported key): /health UP over HTTPS on 443 $(since) s after qemu start ($(steal))"
else fail "boot 3: /health not UP over HTTPS (verified against the served certificate) in 900 s"; tail -30 "$L/serial-3.log"; exit 1; fi
wait_ssh 300 || { fail "boot 3: no SSH"; exit 1; }
O4=$(guest_checks); echo "$O4" > "$L/guest-boot3.txt"; echo "$O4" | sed 's/^/  guest: /'
journal 3
check_common "$O4" "boot 3"
grep -q '^health-wait: healthy after [0-9]* s: https://127.0.0.1:8443/health' <<<"$O4" \
    && pass "boot 3: the unit's health wait asked https://127.0.0.1:8443/health (/etc/default/accomplishments-validator)" \
    || fail "boot 3: $(grep '^health-wait' <<<"$O4")"
grep -q '^restarts: 0$' <<<"$O4" && pass "boot 3: no start failed (no automatic restart)" || fail "boot 3: $(grep '^restarts' <<<"$O4")"
# What the walk-through has the operator read over SSH (the same commands as docs/operations.md).
O5=$(g sudo bash -s <<'EOS'
set -u
echo "gui-8384: $(ss -Hltn 'sport = :8384' | awk '{print $4}' | sort -u | tr '\n' ' ')"
echo "redirect: $(nft list ruleset 2>/dev/null | grep -c 'tcp dport 443 redirect to :8443')"
echo "journal-fingerprint: $(journalctl -b -u accomplishments-validator -o cat | grep -o 'SHA-256 fingerprint [0-9A-F:]*' | tail -1)"
echo "setup-token: $(journalctl -b -u accomplishments-validator -o cat | sed -n 's/.*one-time setup token: \([^ ]*\).*/\1/p' | tail -1)"
echo "device-id: $(journalctl -u accomplishments-validator -o cat | sed -n "s/.*the appliance's Syncthing device id is \([A-Z0-9-]*\).*/\1/p" | tail -1)"
echo "syncthing-unit: $(systemctl is-active accomplishments-validator-syncthing.service)"
EOS
)
echo "$O5" | sed 's/^/  guest: /'; echo "$O5" >> "$L/guest-boot3.txt"
[ "$(sed -n 's/^gui-8384: //p' <<<"$O5")" = "127.0.0.1:8384 " ] && pass "boot 3: Syncthing's GUI/REST listens on 127.0.0.1:8384 only" \
    || fail "boot 3: Syncthing's GUI/REST: $(grep '^gui-8384' <<<"$O5")"
grep -q '^redirect: 1$' <<<"$O5" && pass "boot 3: nftables redirects 443 to 8443" || fail "boot 3: $(grep '^redirect' <<<"$O5")"
grep -q "^journal-fingerprint: SHA-256 fingerprint $FP_CONSOLE\$" <<<"$O5" \
    && pass "boot 3: the service's log names the same fingerprint" || fail "boot 3: $(grep '^journal-fingerprint' <<<"$O5")"
curl -sf "${HTTPS[@]}" "$BASE/api/keys/current" > "$L/key-boot3.asc"
SIGNING=$(gpg -q --homedir "$T/gnupg-check" --import "$L/key-boot3.asc" 2>/dev/null; \
    gpg --homedir "$T/gnupg-check" --with-colons --list-keys | awk -F: '$1=="fpr"{print $10; exit}')
[ -n "$IMPORTED" ] && [ "$SIGNING" = "$IMPORTED" ] && pass "boot 3: the imported key signs ($IMPORTED)" \
    || fail "boot 3: /api/keys/current is $SIGNING, not the imported $IMPORTED"
# The first admin, as the walk-through says: the setup token from the journal, /setup over HTTPS on 443, log in.
SETUP_TOKEN=$(sed -n 's/^setup-token: //p' <<<"$O5")
ADMIN_PW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
J=$T/cookies; csrf_of() { sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }
CSRF=$(curl -sf "${HTTPS[@]}" -c "$J" "$BASE/setup" | csrf_of)
scode=$(curl -s "${HTTPS[@]}" -b "$J" -c "$J" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$CSRF" \
    --data-urlencode "token=$SETUP_TOKEN" --data-urlencode username=admin --data-urlencode "password=$ADMIN_PW" "$BASE/setup")
CSRF=$(curl -sf "${HTTPS[@]}" -b "$J" -c "$J" "$BASE/login" | csrf_of)
code=$(curl -s "${HTTPS[@]}" -b "$J" -c "$J" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$CSRF" \
    --data-urlencode username=admin --data-urlencode "password=$ADMIN_PW" "$BASE/login")
page=$(curl -s "${HTTPS[@]}" -b "$J" -o /dev/null -w '%{http_code}' "$BASE/")
[ -n "$SETUP_TOKEN" ] && [ "$scode" = 303 ] && [ "$code" = 303 ] && [ "$page" = 200 ] \
    && pass "boot 3: the first admin is made with the setup token from the journal and logs in over HTTPS on 443 (dashboard 200)" \
    || fail "boot 3: setup token '${SETUP_TOKEN:0:4}…': /setup answered $scode, /login $code, the dashboard $page"

# Issue 11: a user's Syncthing (on the host: a throwaway home, loopback only) shares a folder with a trophy with
# the appliance's Syncthing through the forwarded sync port; the appliance accepts it by its policy, validates
# it, and the signed .trophy.asc syncs back into the user's folder, where gpg verifies it.
DEVICE=$(sed -n 's/^device-id: //p' <<<"$O5")
if [ "$(sed -n 's/^syncthing-unit: //p' <<<"$O5")" = active ] && [ -n "$DEVICE" ]; then
    pass "boot 3: the appliance's Syncthing runs; the journal names its device id ($DEVICE)"
    S=$T/syncthing; mkdir -p "$S/home" "$S/folder/mysite"
    printf '[trophy]\nversion = 0.2\nid = mysite/joined\ndate-accomplished = %s\nneeds-signing = true\n' \
        "$(date -u '+%Y-%m-%d %H:%M')" > "$S/folder/mysite/joined.trophy"
    printf 'a file the appliance never pulls\n' > "$S/folder/notes.txt"
    ST_GUI=$(free_port); ST_LISTEN=$(free_port); ST_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    syncthing generate --home="$S/home" --no-default-folder --skip-port-probing > "$S/generate.log" 2>&1
    python3 - "$S/home/config.xml" "$ST_GUI" "$ST_LISTEN" "$ST_KEY" <<'EOP'
import sys, xml.etree.ElementTree as ET
path, gui, listen, key = sys.argv[1:]
t = ET.parse(path); r = t.getroot(); o = r.find('options')
def opt(name, value):
    e = o.find(name)
    if e is None: e = ET.SubElement(o, name)
    e.text = value
for e in o.findall('listenAddress'): o.remove(e)
ET.SubElement(o, 'listenAddress').text = f'tcp://127.0.0.1:{listen}'
for k, v in [('globalAnnounceEnabled', 'false'), ('localAnnounceEnabled', 'false'), ('relaysEnabled', 'false'),
             ('natEnabled', 'false'), ('urAccepted', '-1'), ('crashReportingEnabled', 'false'),
             ('startBrowser', 'false'), ('setLowPriority', 'false'), ('autoUpgradeIntervalH', '0'),
             ('reconnectionIntervalS', '2')]:
    opt(k, v)
g = r.find('gui'); g.find('address').text = f'127.0.0.1:{gui}'; g.find('apikey').text = key
t.write(path)
EOP
    STNODEFAULTFOLDER=1 syncthing serve --home="$S/home" --no-browser --no-restart --no-upgrade > "$S/serve.log" 2>&1 &
    STPID=$!
    st() { curl -sf --max-time 10 -H "X-API-Key: $ST_KEY" "$@"; }
    STAPI=http://127.0.0.1:$ST_GUI/rest
    end=$((SECONDS+60)); until st "$STAPI/system/ping" >/dev/null 2>&1 || [ $SECONDS -ge $end ]; do sleep 1; done
    MYID=$(st "$STAPI/system/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["myID"])')
    FOLDER="accomplishments-$(cat /proc/sys/kernel/random/uuid)"
    t=$SECONDS
    st -X POST -H 'Content-Type: application/json' "$STAPI/config/devices" -d "{\"deviceID\": \"$DEVICE\",
        \"name\": \"validator-test\", \"addresses\": [\"tcp://127.0.0.1:$SYNC_PORT\"], \"introducer\": false,
        \"autoAcceptFolders\": false}" >/dev/null
    st -X POST -H 'Content-Type: application/json' "$STAPI/config/folders" -d "{\"id\": \"$FOLDER\",
        \"label\": \"trophies\", \"path\": \"$S/folder\", \"type\": \"sendreceive\",
        \"devices\": [{\"deviceID\": \"$MYID\"}, {\"deviceID\": \"$DEVICE\"}], \"fsWatcherEnabled\": true,
        \"rescanIntervalS\": 5}" >/dev/null
    SASC=$S/folder/mysite/joined.trophy.asc; end=$((SECONDS+300))
    while [ ! -s "$SASC" ] && [ $SECONDS -lt $end ]; do sleep 1; done
    if [ -s "$SASC" ]; then
        note "boot 3: the user's trophy came back signed through Syncthing $((SECONDS-t)) s after the user shared the folder"
        cp "$SASC" "$L/syncthing-joined.trophy.asc"
        if gpg --homedir "$T/gnupg-check" --status-fd 1 --verify < "$SASC" 2>/dev/null | grep -q "^\[GNUPG:\] VALIDSIG $IMPORTED"; then
            pass "boot 3: the .trophy.asc synced back to the user's folder verifies with gpg against /api/keys/current"
        else fail "boot 3: gpg --verify of the synced .trophy.asc"; fi
        grep -q "$MYID" "$SASC" && pass "boot 3: the signature binds the trophy to the user's device id" \
            || fail "boot 3: the synced .trophy.asc does not name the user's device id $MYID"
        g "sudo find /var/lib/accomplishments-validator/syncthing/shares -name notes.txt" 2>/dev/null | grep -q . \
            && fail "boot 3: the appliance pulled notes.txt (the .stignore allow-list did not hold)" \
            || pass "boot 3: only the trophy layout was pulled (notes.txt stayed on the user's side)"
    else
        fail "boot 3: no mysite/joined.trophy.asc in the user's Syncthing folder within 300 s"
        g "sudo journalctl -u accomplishments-validator -u accomplishments-validator-syncthing --no-pager | tail -40" || true
        tail -20 "$S/serve.log"
    fi
    kill "$STPID" 2>/dev/null || true; wait "$STPID" 2>/dev/null || true; STPID=""
else
    fail "boot 3: the appliance's Syncthing: $(grep -E '^(syncthing-unit|device-id)' <<<"$O5" | tr '\n' ' ')"
fi
poweroff
echo "boot-test: $FAILS failure(s); logs in $L"
[ "$FAILS" = 0 ]
