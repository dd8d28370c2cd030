#!/usr/bin/env bash
# Installs, checks, removes and purges the Debian package built by packaging/build-deb.sh, on this
# machine, as root (CI: a fresh Debian 12 machine; systemd installed but not running as PID 1 is
# fine). One PASS or FAIL line per check; exits 1 if any failed. Runs again on the same machine:
# it purges a previous installation of the package first, and purges it at the end.
#
#   bash packaging/check-deb.sh out/asterisk-cisco-bridge_<version>_amd64.deb
#
# Needs, besides what the package depends on: lintian and systemd (systemd-analyze); runuser
# (util-linux), getent and dpkg are on every Debian system.
set -euo pipefail

package=asterisk-cisco-bridge
conf=/etc/$package/acb.json
state=/var/lib/$package
unit=/usr/lib/systemd/system/$package.service

[ $# -eq 1 ] || { echo "usage: $0 DEB" >&2; exit 2; }
[ -f "$1" ] || { echo "check-deb.sh: no such file: $1" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "check-deb.sh: run as root (it installs the package)" >&2; exit 2; }
for tool in lintian systemd-analyze runuser apt-get; do
    command -v "$tool" >/dev/null || { echo "check-deb.sh: $tool not found (apt-get install lintian systemd)" >&2; exit 2; }
done
deb=$(realpath "$1")
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

failures=0
pass() { echo "PASS $1: $2"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }
# check NAME DETAIL COMMAND...: PASS when the command succeeds.
check() { local name=$1 detail=$2; shift 2; if "$@"; then pass "$name" "$detail"; else fail "$name" "$detail"; fi; }
# The lines of a file, indented, under a PASS or FAIL line.
show() { sed 's/^/    /' "$1"; }

mode_owner() { [ "$(stat -c '%a %U:%G' "$1" 2>/dev/null)" = "$2" ]; }
status() { dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null | tr -d ' '; }

# A previous run (or a failed one) leaves nothing behind.
if dpkg-query -W "$package" >/dev/null 2>&1; then
    dpkg --purge "$package" >/dev/null
fi

# lintian: no error; every other tag listed.
lintian --display-info --display-experimental --show-overrides "$deb" > "$log/lintian" 2>&1 || true
grep -v '^running with root privileges' "$log/lintian" > "$log/lintian.tags" || true
if grep -q '^E:' "$log/lintian.tags"; then
    fail lintian "errors in $(basename "$deb")"
else
    pass lintian "no errors ($(grep -c . "$log/lintian.tags" || true) other tags, listed below)"
fi
show "$log/lintian.tags"

# Install with apt, as an admin would: it brings in the Depends.
if apt-get install -y "$deb" > "$log/install" 2>&1 && [ "$(status)" = ii ]; then
    pass install "apt-get install $(basename "$deb")"
else
    fail install "apt-get install $(basename "$deb")"
    show "$log/install"
    exit 1
fi
check postinst.steps "postinst printed the next three steps (AMI user, acb doctor, systemctl enable --now)" \
    grep -q 'systemctl enable --now asterisk-cisco-bridge' "$log/install"

version=$(dpkg-deb -f "$deb" Version)
printed=$(acb --version 2>&1) || true
printed_version=${printed%%+*}
printed_version=${printed_version//-/\~}
check version "acb --version printed '$printed'; the package is $version" \
    [ "$printed_version" = "$version" ]

check files.link "/usr/bin/acb links to /usr/lib/$package/acb" \
    [ "$(readlink -f /usr/bin/acb)" = "/usr/lib/$package/acb" ]
check files.lib "/usr/lib/$package holds acb and libe_sqlite3.so only (no debug files)" \
    [ "$(ls -A "/usr/lib/$package" | tr '\n' ' ')" = "acb libe_sqlite3.so " ]
check files.modes "acb 755, libe_sqlite3.so 644, unit 644, all root:root" \
    eval 'mode_owner /usr/lib/$package/acb "755 root:root" && mode_owner /usr/lib/$package/libe_sqlite3.so "644 root:root" && mode_owner $unit "644 root:root"'
check conffile "$conf is a conffile, mode 640, owner root:acb" \
    eval 'dpkg-query -W -f="\${Conffiles}" $package | grep -q " $conf " && mode_owner $conf "640 root:acb"'
user=$(getent passwd acb || true)
check user "acb is a system user with home $state and no login shell ($user)" \
    eval '[ -n "$user" ] && [ "$(echo "$user" | cut -d: -f3)" -lt 1000 ] && [ "$(echo "$user" | cut -d: -f6)" = $state ] && [ "$(echo "$user" | cut -d: -f7)" = /usr/sbin/nologin ] && getent group acb >/dev/null'
check state "$state exists, mode 750, owner acb:acb" mode_owner "$state" "750 acb:acb"

if systemd-analyze verify "$unit" > "$log/verify" 2>&1; then
    pass systemd.verify "systemd-analyze verify $unit"
else
    fail systemd.verify "systemd-analyze verify $unit"
    show "$log/verify"
fi

# acb doctor with the example configuration as installed, as the service user: no Asterisk, no
# running service. It must fail (exit 1) with its one-line reasons, not a stack trace.
set +e
(cd / && runuser -u acb -- acb doctor --config "$conf" --timeout 00:00:01) > "$log/doctor" 2>&1
doctor=$?
set -e
if [ "$doctor" = 1 ] && grep -q '^FAIL  ' "$log/doctor" && grep -q '^[0-9]* checks: [0-9]* failed' "$log/doctor" \
    && ! grep -q 'Unhandled exception\|^ *at ' "$log/doctor"; then
    pass doctor "exit 1 with $(grep -c '^FAIL  ' "$log/doctor") failed checks, no stack trace"
else
    if grep -q 'Unhandled exception\|^ *at ' "$log/doctor"; then why="a stack trace"; else why="exit $doctor"; fi
    fail doctor "$why; expected exit 1 with one line per check (FAIL lines for AMI and the ports)"
fi
show "$log/doctor"
check store "acb doctor, started through /usr/bin/acb, opened SQLite and created $state/acb.db as acb" \
    eval '[ "$(stat -c %U "$state/acb.db" 2>/dev/null)" = acb ]'

# The admin's edit of the conffile survives a remove and a reinstall.
sed -i 's/change-me-to-a-long-random-secret/check-deb-secret/' "$conf"
if dpkg -r "$package" > "$log/remove" 2>&1 && [ "$(status)" = rc ]; then
    pass remove "dpkg -r: the package is removed, its configuration kept (status rc)"
else
    fail remove "dpkg -r"
    show "$log/remove"
fi
check remove.files "/usr/bin/acb, /usr/lib/$package and the unit are gone" \
    eval '[ ! -e /usr/bin/acb ] && [ ! -L /usr/bin/acb ] && [ ! -e /usr/lib/$package ] && [ ! -e $unit ]'
check remove.keeps "$conf (edited, 640 root:acb), $state and the user acb are kept" \
    eval 'grep -q check-deb-secret $conf && mode_owner $conf "640 root:acb" && [ -d $state ] && getent passwd acb >/dev/null'

if dpkg -i "$deb" > "$log/reinstall" 2>&1 && [ "$(status)" = ii ]; then
    pass reinstall "dpkg -i after dpkg -r"
else
    fail reinstall "dpkg -i after dpkg -r"
    show "$log/reinstall"
fi
check reinstall.conffile "the edited $conf is kept, 640 root:acb" \
    eval 'grep -q check-deb-secret $conf && mode_owner $conf "640 root:acb"'

if dpkg --purge "$package" > "$log/purge" 2>&1 && ! dpkg-query -W "$package" >/dev/null 2>&1; then
    pass purge "dpkg --purge: the package is gone"
else
    fail purge "dpkg --purge"
    show "$log/purge"
fi
check purge.files "/etc/$package and $state are gone" eval '[ ! -e /etc/$package ] && [ ! -e $state ]'
check purge.user "the user and the group acb are gone" eval '! getent passwd acb >/dev/null && ! getent group acb >/dev/null'

if [ "$failures" -gt 0 ]; then
    echo "$failures checks failed"
    exit 1
fi
echo "all checks passed"
