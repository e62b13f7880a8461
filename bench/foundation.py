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
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, "target", "release")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs).stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except FileNotFoundError:
            pass
    return total / CLOCK_TICKS


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def get_json(url):
    headers = {"Authorization": AUTHORIZATION[1].split(": ", 1)[1]} if AUTHORIZATION else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return json.load(response)


AUTHORIZATION = []  # wrk -H arguments carrying the bench account's access token
LAST_PASSWORD = []  # the bench account's password, for benchmarks that sign in again


def sign_in(base, data_dir):
    """Creates a premium bench account (it streams lossless originals) and signs it in
    through the OAuth flow; returns an access token."""
    import base64
    import hashlib
    import secrets
    import urllib.parse

    password = "bench password " + secrets.token_hex(8)
    LAST_PASSWORD[:] = [password]
    subprocess.run([os.path.join(RELEASE, "tonearm"), "user", "add", "bench", "--email", "bench@bench.invalid", "--tier", "premium", "--data-dir", data_dir],
                   input=password + "\n", text=True, capture_output=True)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    callback = f"{base}/app/callback"
    form = {"response_type": "code", "client_id": "tonearm-web", "redirect_uri": callback, "code_challenge": challenge,
            "code_challenge_method": "S256", "state": "bench", "username": "bench", "password": password}

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(f"{base}/oauth/authorize", data=urllib.parse.urlencode(form).encode()))
        sys.exit("sign-in did not redirect")
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
    token_form = {"grant_type": "authorization_code", "code": code, "redirect_uri": callback, "client_id": "tonearm-web",
                  "code_verifier": verifier}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/oauth/token", data=urllib.parse.urlencode(token_form).encode())) as response:
        return json.load(response)["access_token"]


def wrk(url, connections, seconds, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"] + AUTHORIZATION
    if script:
        cmd += ["-s", script]
    out = run(cmd + [url])
    requests = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    amount, unit = re.search(r"requests in [\d.]+\w+, ([\d.]+)(\w+) read", out).groups()
    scale = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}[unit]
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out).groups()
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"wrk saw {non2xx.group(1)} error responses from {url}")
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return {"rps": requests, "bytes": float(amount) * scale, "p99": "".join(p99), "socket_errors": errors}


def measured_wrk(url, pids, connections, seconds, script=None):
    before = cpu_seconds(pids)
    started = time.monotonic()
    result = wrk(url, connections, seconds, script)
    result["cpu"] = cpu_seconds(pids) - before
    result["elapsed"] = time.monotonic() - started
    return result


def scan(library, data_dir):
    out = run([os.path.join(RELEASE, "tonearm"), "scan", library, "--data-dir", data_dir], env={**os.environ, "RUST_LOG": "warn"})
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
    for tool in ["wrk", "nginx", "ffmpeg"]:
        if not shutil.which(tool):
            sys.exit(f"{tool} is required: apt-get install wrk nginx ffmpeg")

    print("building release binaries…", file=sys.stderr)
    run(["cargo", "build", "--release", "-p", "tonearm-server", "-p", "tonearm-testkit", "-p", "tonearm-ingest", "--examples", "--bins"], cwd=ROOT)
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

    port = free_port()
    server = subprocess.Popen(
        [os.path.join(RELEASE, "tonearm"), "serve", "--library", library, "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"},
    )
    nginx_dir = tempfile.mkdtemp(prefix="tonearm-bench-nginx-", dir=args.work)
    # nginx workers drop privileges: they must be able to read what they serve.
    for folder in (args.work, nginx_dir):
        os.chmod(folder, 0o755)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                get_json(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        AUTHORIZATION.extend(["-H", f"Authorization: Bearer {sign_in(base, data_dir)}"])
        for _ in range(600):
            try:
                if get_json(f"{base}/api/v1/admin/scan")["progress"]["scans_completed"] >= 1:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        time.sleep(5)
        rows.append(("Resident memory, idle after scan (MiB)", f"{rss_mib(server.pid):.1f}", "goal ≤ 60", "–"))

        track = next(t for t in get_json(f"{base}/api/v1/tracks?sort=date_added&limit=500")["items"] if t["title"] == "Long Take")
        stream_url = f"{base}/api/v1/tracks/{track['id']}/stream"
        nginx_port = free_port()
        shutil.copy(long_track, os.path.join(nginx_dir, "long.wav"))
        sample_page = json.dumps(get_json(f"{base}/api/v1/tracks?limit=10"))[:1024]
        with open(os.path.join(nginx_dir, "page.json"), "w") as page:
            page.write(sample_page.ljust(1024))
        with open(os.path.join(nginx_dir, "nginx.conf"), "w") as conf:
            conf.write(f"""
worker_processes auto; daemon off; pid {nginx_dir}/nginx.pid; error_log {nginx_dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  types {{ audio/wav wav; application/json json; }}
  server {{ listen 127.0.0.1:{nginx_port}; root {nginx_dir}; }}
}}
""")
        nginx = subprocess.Popen(["nginx", "-c", os.path.join(nginx_dir, "nginx.conf"), "-p", nginx_dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        nginx_pids = [nginx.pid] + [int(p) for p in run(["pgrep", "-P", str(nginx.pid)]).split()]
        range_script = os.path.join(nginx_dir, "range.lua")
        with open(range_script, "w") as script:
            script.write('wrk.headers["Range"] = "bytes=1048576-2097151"\n')
        try:
            for label, script, connections in [("whole file", None, 16), ("1 MiB ranges", range_script, 16)]:
                ours = measured_wrk(stream_url, [server.pid], connections, args.seconds, script)
                theirs = measured_wrk(f"http://127.0.0.1:{nginx_port}/long.wav", nginx_pids, connections, args.seconds, script)  # nginx ignores the header
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
                crowd = measured_wrk(stream_url, [server.pid], 1000, args.seconds, range_script)
            finally:
                sampling.set()
                sampler.join()
            rows.append(("1,000 concurrent range streams: requests/s, errors", f"{crowd['rps']:,.0f}, {crowd['socket_errors']} socket errors (p99 {crowd['p99']})", "–", "–"))
            rows.append(("Peak resident memory under 1,000 streams (MiB)", f"{peak[0]:.1f}", "–", "–"))
            ours = measured_wrk(f"{base}/api/v1/tracks?limit=10", [server.pid], 64, args.seconds)
            theirs = measured_wrk(f"http://127.0.0.1:{nginx_port}/page.json", nginx_pids, 64, args.seconds)
            rows.append(("Catalog page of 10 tracks, wrk -c64 (requests/s)", f"{ours['rps']:,.0f} (p99 {ours['p99']})", f"nginx 1 KB JSON: {theirs['rps']:,.0f}", f"{ours['rps'] / theirs['rps']:.2f}×"))
        finally:
            nginx.terminate()
            nginx.wait()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(nginx_dir, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)

    print(f"\n{args.tracks} tracks, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}\n")
    print("| measure | Tonearm | reference (same run) | ratio |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
