#!/usr/bin/env bash
# Runs the shared boot-storm harness (../shared/bench/tftp-storm) against `acb tftp serve` side by
# side with the anchors (tftpd-hpa, atftpd, dnsmasq) in one invocation, so the figures compare: the
# native executable as the package ships it ("acb") and the same code on the JIT ("acb-jit").
# Needs root (cgroups, port 69 for dnsmasq). Installs the anchors if they are missing.
# Usage: bench/tftp-storm.sh [REPS] [SCENARIOS]   e.g. bench/tftp-storm.sh 3 "a b c d e f g"
#        ANCHORS="dnsmasq" bench/tftp-storm.sh 3 "a c d g"   (fewer anchors)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
SCENARIOS=${2:-"a b c d e f g"}
ANCHORS=${ANCHORS:-"tftpd-hpa atftpd dnsmasq"}
HARNESS=${HARNESS:-../shared/bench/tftp-storm}

export DEBIAN_FRONTEND=noninteractive
command -v in.tftpd >/dev/null && command -v dnsmasq >/dev/null && command -v jq >/dev/null && command -v bc >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq tftpd-hpa dnsmasq-base jq bc python3 >/dev/null; }
if ! command -v atftpd >/dev/null && [ ! -x /opt/atftpd/usr/sbin/atftpd ]; then
  (cd /tmp && apt-get download atftpd >/dev/null && dpkg -x atftpd_*.deb /opt/atftpd)
fi
# tftpd-hpa's package starts a daemon on port 69; dnsmasq needs that port.
systemctl stop tftpd-hpa 2>/dev/null || pkill -x in.tftpd 2>/dev/null || true

rm -rf /tmp/acb-bench /tmp/acb-bench-jit
dotnet publish src/AsteriskCiscoBridge.Host -c Release -o /tmp/acb-bench >/dev/null
dotnet publish src/AsteriskCiscoBridge.Host -c Release -p:PublishAot=false -o /tmp/acb-bench-jit >/dev/null
WORK=$(mktemp -d /tmp/acb-storm.XXXXXX)
cp -r "$HARNESS"/. "$WORK"/
# The harness takes one extra server; this copy of it takes a second one (SERVER2_NAME/SERVER2_CMD,
# port 6972) so that both builds run in the same invocation, rotated with the anchors.
sed -i \
  -e 's|^\[ -n "\${SERVER_CMD:-}" \] && SERVERS="\$SERVERS \$SERVER_NAME"|&\n[ -n "${SERVER2_CMD:-}" ] \&\& SERVERS="$SERVERS $SERVER2_NAME"|' \
  -e 's|^    "\$SERVER_NAME")$|    "${SERVER2_NAME:-}")\n      SPORT=6972\n      local c2=${SERVER2_CMD//\\{PORT\\}/$SPORT}; c2=${c2//\\{HOST\\}/$HOST}; c2=${c2//\\{ROOT\\}/$ROOT}\n      CMD=(bash -c "exec $c2") ;;\n&|' \
  "$WORK/run-anchors.sh"
grep -q SERVER2_CMD "$WORK/run-anchors.sh" || { echo "bench/tftp-storm.sh: the harness changed; cannot add the second server" >&2; exit 2; }
# Every emulated phone comes from 127.0.0.1, so the per-address limit is lifted for the run.
ARGS='tftp serve --quiet --max-transfers-per-client 2000 --root {ROOT} --listen {HOST}:{PORT}'
SERVERS=$ANCHORS \
SERVER_CMD="/tmp/acb-bench/acb $ARGS" SERVER_NAME=acb \
SERVER2_CMD="dotnet /tmp/acb-bench-jit/acb.dll $ARGS" SERVER2_NAME=acb-jit \
REPS=$REPS SCENARIOS=$SCENARIOS "$WORK/run-anchors.sh"
