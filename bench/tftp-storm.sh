#!/usr/bin/env bash
# Runs the shared boot-storm harness (../shared/bench/tftp-storm) against `acb tftp serve`
# side by side with tftpd-hpa, atftpd and dnsmasq, in one invocation, so the figures compare.
# Needs root (cgroups, port 69 for dnsmasq). Installs the anchors if they are missing.
# Usage: bench/tftp-storm.sh [REPS] [SCENARIOS]   e.g. bench/tftp-storm.sh 3 "a b c d e f g"
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
SCENARIOS=${2:-"a b c d e f g"}
HARNESS=${HARNESS:-../shared/bench/tftp-storm}

export DEBIAN_FRONTEND=noninteractive
command -v in.tftpd >/dev/null && command -v dnsmasq >/dev/null && command -v jq >/dev/null && command -v bc >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq tftpd-hpa dnsmasq-base jq bc python3 >/dev/null; }
if ! command -v atftpd >/dev/null && [ ! -x /opt/atftpd/usr/sbin/atftpd ]; then
  (cd /tmp && apt-get download atftpd >/dev/null && dpkg -x atftpd_*.deb /opt/atftpd)
fi
# tftpd-hpa's package starts a daemon on port 69; dnsmasq needs that port.
systemctl stop tftpd-hpa 2>/dev/null || pkill -x in.tftpd 2>/dev/null || true

dotnet publish src/AsteriskCiscoBridge.Host -c Release -o /tmp/acb-bench >/dev/null
WORK=$(mktemp -d /tmp/acb-storm.XXXXXX)
cp -r "$HARNESS"/. "$WORK"/
# Every emulated phone comes from 127.0.0.1, so the per-address limit is lifted for the run.
SERVER_CMD='dotnet /tmp/acb-bench/acb.dll tftp serve --quiet --max-transfers-per-client 2000 --root {ROOT} --listen {HOST}:{PORT}' \
SERVER_NAME=acb REPS=$REPS SCENARIOS=$SCENARIOS "$WORK/run-anchors.sh"
