#!/usr/bin/env python3
"""Foundation benchmarks (issue #2), each beside a reference measured in the same run.

    python3 bench/foundation.py [--tracks 10000] [--work /tmp/tonearm-bench] [--seconds 10]

Builds release binaries, generates the benchmark library once, then measures:
  scan       tonearm scan (fresh catalog, warm page cache) vs lofty alone reading the same files
  rescan     tonearm scan with nothing changed
  cold scan  fresh catalog after dropping the page cache (when the kernel allows it)
  memory     resident memory of `tonearm serve`, idle after scanning the library
  stream     wrk on /api/v1/tracks/{id}/stream (whole file and 1 MiB ranges) vs nginx sendfile
  catalog    wrk -c64 on a 10-track list page vs nginx serving a static 1 KB JSON file
Prints a Markdown table for docs/BENCHMARKS.md. Needs: cargo, ffmpeg, wrk, nginx.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    RANGE_SCRIPT, RELEASE, TONEARM, Nginx, build_release, measured_wrk, print_table, require_tools, rss_mib, run,
    sign_in, start_server, wait_for_scan, write_script,
)


def scan(library, data_dir):
    out = run([TONEARM, "scan", library, "--data-dir", data_dir], env={**os.environ, "RUST_LOG": "warn"})
    match = re.search(r"Scanned (\d+) files in ([\d.]+) s", out)
    files, seconds = int(match.group(1)), float(match.group(2))
    return files, seconds


def warm(library):
    for folder, _, files in os.walk(library):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                while handle.read(1 << 20):
                    pass


def drop_caches():
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as control:
            control.write("3\n")
        return True
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracks", type=int, default=10_000)
    parser.add_argument("--work", default="/tmp/tonearm-bench")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    require_tools("wrk", "nginx", "ffmpeg")
    build_release("-p", "tonearm-server", "-p", "tonearm-testkit", "-p", "tonearm-ingest", "--examples", "--bins")
    library = os.path.join(args.work, f"library-{args.tracks}")
    print(f"generating {args.tracks} tracks in {library}…", file=sys.stderr)
    run([os.path.join(RELEASE, "examples", "bench_library"), library, str(args.tracks)])
    long_track = os.path.join(library, "Long", "Take", "01 - Long Take.wav")
    if not os.path.exists(long_track):
        os.makedirs(os.path.dirname(long_track), exist_ok=True)
        run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=f=330:d=120:sample_rate=44100", "-ac", "2", "-metadata", "title=Long Take", long_track])

    rows = []
    warm(library)
    reference = run([os.path.join(RELEASE, "examples", "lofty_reference"), library])
    ref_rate = float(re.search(r"([\d.]+) files/s", reference).group(1))
    data_dir = tempfile.mkdtemp(prefix="tonearm-bench-data-", dir=args.work)
    files, seconds = scan(library, data_dir)
    rows.append(("Scan, warm cache (tracks/s)", f"{files / seconds:,.0f}", f"lofty alone: {ref_rate:,.0f}", f"{files / seconds / ref_rate:.2f}×"))
    # A rescan takes well under a second: the median of five.
    rescans = sorted(files / seconds for files, seconds in (scan(library, data_dir) for _ in range(5)))
    rows.append(("Rescan, nothing changed (files/s, median of 5)", f"{rescans[2]:,.0f} ({rescans[0]:,.0f}–{rescans[-1]:,.0f})", "–", "–"))
    if drop_caches():
        cold_dir = tempfile.mkdtemp(prefix="tonearm-bench-cold-", dir=args.work)
        files, seconds = scan(library, cold_dir)
        rows.append(("Scan, cold cache (tracks/s)", f"{files / seconds:,.0f}", "–", "–"))
        shutil.rmtree(cold_dir)
    else:
        rows.append(("Scan, cold cache (tracks/s)", "not measurable: the sandbox cannot drop the page cache", "–", "–"))

    server = start_server(TONEARM, library, data_dir)
    nginx = None
    try:
        token = sign_in(server)
        wait_for_scan(server)
        time.sleep(5)
        rows.append(("Resident memory, idle after scan (MiB)", f"{rss_mib(server.pid):.1f}", "goal ≤ 60", "–"))

        track = next(t for t in server.get_json("/api/v1/tracks?sort=date_added&limit=500")["items"] if t["title"] == "Long Take")
        stream_url = f"{server.base}/api/v1/tracks/{track['id']}/stream"
        nginx = Nginx(None, args.work, "audio/wav wav; application/json json;")
        shutil.copy(long_track, os.path.join(nginx.dir, "long.wav"))
        sample_page = json.dumps(server.get_json("/api/v1/tracks?limit=10"))[:1024]
        with open(os.path.join(nginx.dir, "page.json"), "w") as page:
            page.write(sample_page.ljust(1024))
        range_script = write_script(nginx.dir, "range.lua", RANGE_SCRIPT)
        for label, script, connections in [("whole file", None, 16), ("1 MiB ranges", range_script, 16)]:
            ours = measured_wrk(stream_url, [server.pid], connections, args.seconds, script, token)
            theirs = measured_wrk(f"{nginx.base}/long.wav", nginx.pids, connections, args.seconds, script)  # nginx ignores the header
            gbps = lambda r: r["bytes"] / r["elapsed"] / 1e9
            cpu_per_gb = lambda r: r["cpu"] / (r["bytes"] / 1e9)
            rows.append((f"Stream {label}: throughput (GB/s)", f"{gbps(ours):.2f}", f"nginx: {gbps(theirs):.2f}", f"{gbps(ours) / gbps(theirs):.2f}×"))
            rows.append((f"Stream {label}: server CPU s per GB", f"{cpu_per_gb(ours):.3f}", f"nginx: {cpu_per_gb(theirs):.3f}", f"{cpu_per_gb(ours) / cpu_per_gb(theirs):.2f}×"))
        # Thousands of listeners at once: 1,000 connections streaming 1 MiB ranges, peak memory sampled.
        peak = [rss_mib(server.pid)]
        sampling = threading.Event()

        def sample():
            while not sampling.is_set():
                peak[0] = max(peak[0], rss_mib(server.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            crowd = measured_wrk(stream_url, [server.pid], 1000, args.seconds, range_script, token)
        finally:
            sampling.set()
            sampler.join()
        rows.append(("1,000 concurrent range streams: requests/s, errors", f"{crowd['rps']:,.0f}, {crowd['socket_errors']} socket errors (p99 {crowd['p99']})", "–", "–"))
        rows.append(("Peak resident memory under 1,000 streams (MiB)", f"{peak[0]:.1f}", "–", "–"))
        ours = measured_wrk(f"{server.base}/api/v1/tracks?limit=10", [server.pid], 64, args.seconds, None, token)
        theirs = measured_wrk(f"{nginx.base}/page.json", nginx.pids, 64, args.seconds)
        rows.append(("Catalog page of 10 tracks, wrk -c64 (requests/s)", f"{ours['rps']:,.0f} (p99 {ours['p99']})", f"nginx 1 KB JSON: {theirs['rps']:,.0f}", f"{ours['rps'] / theirs['rps']:.2f}×"))
    finally:
        if nginx:
            nginx.stop()
            shutil.rmtree(nginx.dir, ignore_errors=True)
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)

    print_table(rows, f"{args.tracks} tracks")


if __name__ == "__main__":
    main()
