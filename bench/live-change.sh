#!/usr/bin/env bash
# Measures how long a change made with the CLI while `acb run` runs takes to be served over TFTP
# (issue 10 item 4): from `acb bind` returning (and from its start: a dotnet process takes most of a second
# to start) to the first curl fetch that carries the bound line, and the same for `acb unbind`. The service runs without AMI, so the
# round is the store's own (recorded line data); curl asks every 20 ms (the per-address rate limit is
# lifted for that). Usage: bench/live-change.sh [REPS] [ACB_DLL]
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-5}
ACB=${2:-src/AsteriskCiscoBridge.Host/bin/Debug/net10.0/acb.dll}
PORT=${PORT:-16969}
MAC=0011223344F1
WORK=$(mktemp -d /tmp/acb-live.XXXXXX)
cat > "$WORK/acb.json" <<JSON
{
  "Storage": { "Database": "$WORK/acb.db" },
  "Firmware": { "Directory": "$WORK/firmware" },
  "Tftp": { "Listen": [ "127.0.0.1:$PORT" ] },
  "Http": { "Listen": [ "127.0.0.1:$((PORT + 1))" ] },
  "Dashboard": { "Listen": "" },
  "Security": { "RateLimit": { "RequestsPerSecond": 0 } },
  "Site": { "AsteriskHost": "192.0.2.10" }
}
JSON
echo '[{"endpoint": "6001", "password": "bench-secret", "displayName": "Bench"}]' > "$WORK/lines.json"
dotnet "$ACB" run --config "$WORK/acb.json" > "$WORK/run.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -s -o /dev/null "tftp://127.0.0.1:$PORT/SIP$MAC.cnf"; do sleep 0.1; done

fetch() { curl -s "tftp://127.0.0.1:$PORT/SIP$MAC.cnf" 2>/dev/null || true; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
for rep in $(seq "$REPS"); do
  called=$(date +%s%N)
  dotnet "$ACB" bind "$MAC" 6001 --model 7960 --line-data "$WORK/lines.json" --config "$WORK/acb.json" > /dev/null
  returned=$(date +%s%N)
  until fetch | grep -q 'line1_password: "bench-secret"'; do sleep 0.02; done
  bound="$(ms "$returned") ms after bind returned ($(ms "$called") ms after it started)"
  called=$(date +%s%N)
  dotnet "$ACB" unbind "$MAC" --config "$WORK/acb.json" > /dev/null
  returned=$(date +%s%N)
  while fetch | grep -q 'bench-secret'; do sleep 0.02; done
  echo "rep $rep: bind served $bound; unbind served $(ms "$returned") ms after it returned ($(ms "$called") ms after it started)"
done
grep -ciE 'fail|error' "$WORK/run.log" | sed 's/^/error or failure lines in the service log: /'
