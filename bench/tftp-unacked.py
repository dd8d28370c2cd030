#!/usr/bin/env python3
"""Memory under unacknowledged reads: N phones ask `acb tftp serve` for a 4 MiB file in netascii
and N in octet, acknowledge block 1, and never acknowledge again (docs/benchmarks.md).

Usage: bench/tftp-unacked.py ACB_DLL [PHONES_PER_MODE] [FILE_MIB] [serve|run]
`serve` (default) runs the TFTP server alone; `run` runs the whole service (`acb run`, no AMI) with
the file in its firmware folder and `Tftp:MaxTransfersPerClient` lifted.
Prints the server's RSS before the storm and its peak (VmHWM) while every transfer is held open.
"""
import json, os, random, socket, subprocess, sys, tempfile, time

dll = sys.argv[1]
per_mode = int(sys.argv[2]) if len(sys.argv) > 2 else 300
size = (int(sys.argv[3]) if len(sys.argv) > 3 else 4) << 20
mode = sys.argv[4] if len(sys.argv) > 4 else "serve"

def status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])

def rrq(name, mode):
    return b"\x00\x01" + name.encode() + b"\x00" + mode.encode() + b"\x00"

root = tempfile.mkdtemp(prefix="acb-unacked-")
rng = random.Random(42)
text = bytes(rng.choice(b"\n\r") if rng.randrange(40) == 0 else rng.randrange(32, 127) for _ in range(size))
with open(os.path.join(root, "bench-file.txt"), "wb") as f:
    f.write(text)

probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
if mode == "run":
    config = os.path.join(root, "..", os.path.basename(root) + ".json")
    with open(config, "w") as f:
        json.dump({"Storage": {"Database": root + ".db"}, "Firmware": {"Directory": root},
                   "Tftp": {"Listen": [f"127.0.0.1:{port}"], "MaxTransfers": 5000, "MaxTransfersPerClient": 5000},
                   "Http": {"Listen": ["127.0.0.1:0"]}, "Dashboard": {"Listen": ""},
                   "Security": {"RateLimit": {"RequestsPerSecond": 0}},
                   "Logging": {"LogLevel": {"Default": "Warning"}}}, f)
    command = ["dotnet", dll, "run", "--config", config]
else:
    command = ["dotnet", dll, "tftp", "serve", "--quiet", "--max-transfers", "5000", "--max-transfers-per-client", "5000",
               "--root", root, "--listen", f"127.0.0.1:{port}"]
server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
try:
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(0.2)
    for _ in range(150):
        try:
            client.sendto(rrq("missing", "octet"), ("127.0.0.1", port))
            client.recvfrom(600)
            break
        except OSError:
            time.sleep(0.2)
    else:
        sys.exit("server did not answer")
    client.close()
    time.sleep(1)
    rss0, hwm0 = status(server.pid)

    phones = []
    start = time.monotonic()
    for i in range(2 * per_mode):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        s.bind(("127.0.0.1", 0))
        s.settimeout(30)
        s.sendto(rrq("bench-file.txt", "netascii" if i % 2 == 0 else "octet"), ("127.0.0.1", port))
        phones.append(s)
    held = 0
    for s in phones:
        data, peer = s.recvfrom(600)
        assert data[:4] == b"\x00\x03\x00\x01", data[:5]
        s.sendto(b"\x00\x04\x00\x01", peer)  # ACK 1, and never another
        while data[:4] != b"\x00\x03\x00\x02":  # a slow server may have resent block 1 meanwhile
            data, _ = s.recvfrom(600)
            assert data[:2] == b"\x00\x03", data[:5]
        held += 1
    elapsed = time.monotonic() - start
    peak = 0
    for _ in range(10):  # 2 s with every transfer open (retransmissions of block 2 included)
        rss, hwm = status(server.pid)
        peak = max(peak, rss)
        time.sleep(0.2)
    rss, hwm = status(server.pid)
    print(f"acb {mode}: {held} transfers held ({per_mode} netascii + {per_mode} octet of a {size >> 20} MiB file) after {elapsed:.2f} s")
    print(f"RSS before: {rss0 / 1024:.1f} MiB; while held: {peak / 1024:.1f} MiB; peak (VmHWM): {hwm / 1024:.1f} MiB")
finally:
    server.terminate()
    server.wait(timeout=30)
