#!/usr/bin/env python3
"""Time from exec to the first TFTP answer, and the idle memory after it (docs/benchmarks.md, "Start-up").

    bench/first-answer.py [--runs N] [--idle SECONDS] serve|run PROGRAM

PROGRAM is the native executable or an acb.dll (run with dotnet). `serve` starts
`acb tftp serve` over a folder holding SIPDefault.cnf; `run` starts `acb run` with an empty
store, no AMI, and listeners on loopback. The clock starts just before the fork; from then on
an RRQ for SIPDefault.cnf is sent every millisecond from one socket until a DATA packet
comes back. Printed per run: ms to the first answer of any
kind, ms to the first DATA, then peak and current RSS (VmHWM, VmRSS) after IDLE seconds without
requests. The service is stopped with SIGTERM after each run.
"""
import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(pid, field):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def one_run(mode, program, idle):
    folder = tempfile.mkdtemp(prefix="acb-first-answer-")
    port = free_udp_port()
    command = [program] if not program.endswith(".dll") else ["dotnet", program]
    if mode == "serve":
        with open(os.path.join(folder, "SIPDefault.cnf"), "w", encoding="ascii") as f:
            f.write("image_version: \"P0S3-08-12-00\"\n")
        command += ["tftp", "serve", "--quiet", "--root", folder, "--listen", f"127.0.0.1:{port}"]
    else:
        config = os.path.join(folder, "acb.json")
        with open(config, "w", encoding="ascii") as f:
            json.dump({
                "Storage": {"Database": os.path.join(folder, "acb.db")},
                "Firmware": {"Directory": os.path.join(folder, "firmware")},
                "Tftp": {"Listen": [f"127.0.0.1:{port}"]},
                "Http": {"Listen": ["127.0.0.1:0"]},
                "Dashboard": {"Listen": "127.0.0.1:0"},
                "Logging": {"LogLevel": {"Default": "Warning"}},
            }, f)
        command += ["run", "--config", config]

    rrq = b"\x00\x01SIPDefault.cnf\x00octet\x00"
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first_any = first_data = None
    deadline = start + 30
    try:
        # One socket, so that the first answer reaches it whichever RRQ the server took; a repeated RRQ
        # from the same port is the same transfer to the server.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.001)
            while first_data is None and time.perf_counter() < deadline:
                try:
                    s.sendto(rrq, ("127.0.0.1", port))
                    packet, _ = s.recvfrom(2048)
                except (socket.timeout, ConnectionRefusedError):
                    continue
                now = time.perf_counter()
                first_any = first_any or now
                if packet[:2] == b"\x00\x03":
                    first_data = now
        if first_data is None:
            raise SystemExit(f"no DATA within 30 s from {' '.join(command)}")
        time.sleep(idle)
        peak, rss = status(proc.pid, "VmHWM"), status(proc.pid, "VmRSS")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        subprocess.run(["rm", "-rf", folder], check=False)
    return (first_any - start) * 1000, (first_data - start) * 1000, peak, rss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0)
    parser.add_argument("mode", choices=["serve", "run"])
    parser.add_argument("program")
    args = parser.parse_args()
    results = []
    for i in range(args.runs):
        any_ms, data_ms, peak, rss = one_run(args.mode, os.path.abspath(args.program), args.idle)
        results.append((any_ms, data_ms, peak, rss))
        print(f"run {i + 1}: first answer {any_ms:.1f} ms, first DATA {data_ms:.1f} ms, after {args.idle:g} s idle: peak RSS {peak / 1024:.1f} MB, RSS {rss / 1024:.1f} MB", flush=True)
    med = [statistics.median(r[k] for r in results) for k in range(4)]
    print(f"median of {args.runs}: first answer {med[0]:.1f} ms, first DATA {med[1]:.1f} ms, peak RSS {med[2] / 1024:.1f} MB, RSS {med[3] / 1024:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
