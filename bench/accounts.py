#!/usr/bin/env python3
"""Accounts benchmarks (issue #3), each beside a reference measured in the same run.

    python3 bench/accounts.py [--work /tmp/tonearm-bench] [--seconds 10]

  token cost   what checking a bearer token adds to an authenticated catalog request: the
               server's CPU per request (wrk -c64 on a 10-track page, CPU from /proc) beside
               the server's own token check measured in-process (examples/token_check_cost):
               cached (every request after a token's first) and uncached (JWT + HMAC from the
               in-memory keyring, no database). Every catalog route needs a token, so the
               unauthenticated request is the authenticated one minus its check
  sign-in flood  stream latency (wrk -c16, 1 MiB ranges) idle, then while /oauth/authorize
               is hammered by 32 connections posting real credentials from ever-changing
               forwarded addresses (the server trusts 127.0.0.1 as a proxy, so per-address
               budgets do not stop it: the worst case, a distributed flood)
Prints a Markdown table for docs/BENCHMARKS.md. Needs: cargo, ffmpeg, wrk.
"""
import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    RANGE_SCRIPT, RELEASE, TONEARM, authorize_form, build_release, measured_wrk, print_table, require_tools, run,
    sign_in, start_server, wait_for_scan, wrk, write_script,
)

FLOOD_SCRIPT = r"""
counter = 0
request = function()
  counter = counter + 1
  local address = string.format("10.%%d.%%d.%%d", math.floor(counter / 65536) %% 256, math.floor(counter / 256) %% 256, counter %% 256)
  wrk.headers["X-Forwarded-For"] = address
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/oauth/authorize", nil, "%s")
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/tmp/tonearm-bench")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    require_tools("wrk", "ffmpeg")
    build_release("-p", "tonearm-server", "-p", "tonearm-testkit", "--examples", "--bins")
    os.makedirs(args.work, exist_ok=True)
    library = os.path.join(args.work, "library-200")
    run([os.path.join(RELEASE, "examples", "bench_library"), library, "200"])
    long_track = os.path.join(library, "Long", "Take", "01 - Long Take.wav")
    if not os.path.exists(long_track):
        os.makedirs(os.path.dirname(long_track), exist_ok=True)
        run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=f=330:d=120:sample_rate=44100", "-ac", "2", "-metadata", "title=Long Take", long_track])

    data_dir = tempfile.mkdtemp(prefix="tonearm-bench-accounts-", dir=args.work)
    # Trusting 127.0.0.1 as a proxy lets the flood pick its forwarded addresses.
    server = start_server(TONEARM, library, data_dir, "--trusted-proxy", "127.0.0.1")
    rows = []
    scripts = tempfile.mkdtemp(prefix="tonearm-bench-lua-", dir=args.work)
    try:
        token = sign_in(server)
        wait_for_scan(server)

        # Token cost: server CPU per authenticated request beside one full verification.
        page = measured_wrk(f"{server.base}/api/v1/tracks?limit=10", [server.pid], 64, args.seconds, None, token)
        requests = page["rps"] * page["elapsed"]
        cpu_per_request_us = page["cpu"] / requests * 1e6
        check_out = run([os.path.join(RELEASE, "examples", "token_check_cost")])
        first_us = float(re.search(r"first request of a token: ([\d.]+) µs", check_out).group(1))
        cached_us = float(re.search(r"later requests \(cached\): ([\d.]+) µs", check_out).group(1))
        rows.append(("Authenticated catalog page, wrk -c64 (requests/s)", f"{page['rps']:,.0f} (p99 {page['p99']})", "–", "–"))
        rows.append(("Token check, cached (every request after a token's first), µs",
                     f"{cached_us:.3f}", f"server CPU per authenticated request: {cpu_per_request_us:.1f} µs",
                     f"{(cpu_per_request_us - cached_us) / cpu_per_request_us:.3f}× of the same request without the check"))
        rows.append(("Token check, a token's first request (JWT + HMAC, keyring only, no database), µs",
                     f"{first_us:.2f}", f"server CPU per authenticated request: {cpu_per_request_us:.1f} µs",
                     f"{(cpu_per_request_us - first_us) / cpu_per_request_us:.3f}× (worst case: a new token every request)"))

        # Sign-in flood: stream latency idle and under a flood of real sign-ins.
        track = next(t for t in server.get_json("/api/v1/tracks?sort=date_added&limit=500")["items"] if t["title"] == "Long Take")
        stream_url = f"{server.base}/api/v1/tracks/{track['id']}/stream"
        range_script = write_script(scripts, "range.lua", RANGE_SCRIPT)
        idle = wrk(stream_url, 16, args.seconds, range_script, token)
        form = urllib.parse.urlencode(authorize_form(server.base, "bench", server.password, secrets.token_urlsafe(48)))
        flood_script = write_script(scripts, "flood.lua", FLOOD_SCRIPT % form)
        flood_result = {}

        def flood():
            out = subprocess.run(["wrk", "-t1", "-c32", f"-d{args.seconds + 4}s", "-s", flood_script, server.base],
                                 capture_output=True, text=True).stdout
            flood_result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

        flooder = threading.Thread(target=flood)
        flooder.start()
        time.sleep(2)
        flooded = wrk(stream_url, 16, args.seconds, range_script, token)
        flooder.join()
        rows.append(("Stream 1 MiB ranges, idle: requests/s, p99", f"{idle['rps']:,.0f}, p99 {idle['p99']}", "–", "–"))
        rows.append(("Same, during a sign-in flood: requests/s, p99", f"{flooded['rps']:,.0f}, p99 {flooded['p99']}",
                     f"idle: {idle['rps']:,.0f}", f"{flooded['rps'] / idle['rps']:.2f}×"))
        rows.append(("Sign-in attempts answered during the flood (per s)", f"{flood_result.get('rps', float('nan')):,.1f}", "–", "–"))
    finally:
        server.stop()
        shutil.rmtree(scripts, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)

    print_table(rows, "Accounts")


if __name__ == "__main__":
    main()
