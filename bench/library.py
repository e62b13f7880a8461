#!/usr/bin/env python3
"""Library and search benchmarks of issue #5, over HTTP, each beside a reference in the same run.

  search   wrk -t2 -c64 on GET /api/v1/search, rotating the benchmark query mix (typing,
           typos, whole names, no accents, CJK) over a generated 100,000-track catalog,
           vs nginx serving a static JSON file the size of a typical answer
  events   wrk -t2 -c16 posting batches of 100 play events (unique ids, durable before
           the 200) to POST /api/v1/me/play-events over a 10,000-track catalog, on
           SQLite and, with --postgres URL, on PostgreSQL
  home     (`library.py home`) wrk -t2 -c64 on GET /api/v1/home, each request as the next
           of 1,000 listeners (1,000,000 play events over 90 days, playlists, likes) over
           a 10,000-track catalog, on SQLite and, with --postgres URL, on PostgreSQL, vs
           nginx serving a static JSON file the size of a typical answer; then again with
           each connection pausing between requests (about --rate requests/s offered)

The server is crates/server/examples/library_bench_server (release build). Prints a
Markdown table for docs/BENCHMARKS.md. Needs: cargo, wrk, nginx. The PostgreSQL URL names
an empty database or schema for each run (`?options[search_path]=SCHEMA`).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    RELEASE, Nginx, build_release, measured_wrk, print_table, require_tools, wrk, write_script,
)

SERVER = os.path.join(RELEASE, "examples", "library_bench_server")

# Ingestion and the Home screen do not depend much on the catalog's size; a smaller one starts faster.
EVENT_TRACKS = 10_000
HOME_TRACKS = 10_000

# Each thread starts at its own listener, then every request is the next listener's.
HOME_LUA = """
local tokens = {}
for line in io.lines("%s") do tokens[#tokens + 1] = "Bearer " .. line end
local threads = 0
function setup(thread) thread:set("offset", threads * 500) threads = threads + 1 end
local i
request = function()
  i = ((i or offset or 0) %% #tokens) + 1
  return wrk.format("GET", "/api/v1/home", {Authorization = tokens[i]})
end
"""
# Each connection waits between 0 and twice the mean pause after an answer, so the
# connections do not fall into step and arrive in bursts of 64.
PACED_LUA = "function delay() return math.random(0, %d) end\n"

EVENTS_LUA = """
local batch = 0
local first, span, now = %d, %d, %d
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  batch = batch + 1
  local events = {}
  for i = 1, 100 do
    local n = batch * 100 + i
    events[i] = string.format('{"id":"%%s-%%d","kind":"play_end","track_id":%%d,"occurred_at":%%d,"ms_played":60000,"reason":"completed"}',
      tid, n, first + n %% span, now - n)
  end
  return wrk.format(nil, nil, nil, '{"events":[' .. table.concat(events, ",") .. ']}')
end
"""


def start_bench_server(tracks, work, database_url=None, *options):
    """The example server (not `tonearm serve`): it fills its own catalog, signs a user in
    and prints its URL, token and track ids before `ready`."""
    cmd = [SERVER, str(tracks)] + ([database_url] if database_url else []) + list(options)
    # Its data directory goes under `work` (TMPDIR), removed at the end: a terminated server does not clean up.
    env = {**os.environ, "RUST_LOG": "warn", "TMPDIR": work}
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    facts = {}
    for line in server.stdout:
        key, _, value = line.strip().partition(" ")
        if key == "ready":
            return server, facts
        facts[key] = value
    sys.exit("the benchmark server stopped before it was ready")


def search_lua(queries, path):
    with open(path, "w") as script:
        script.write("local paths = {\n")
        for text in queries:
            script.write('  "/api/v1/search?q=%s",\n' % urllib.parse.quote(text, safe=""))
        script.write("}\nlocal i = 0\nfunction init(args) i = math.random(1, #paths) end\n")
        script.write("request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n")


def typical_answer(url, token, queries):
    return median_size([(f"{url}/api/v1/search?q={urllib.parse.quote(text, safe='')}", token) for text in queries[:200]])


def median_size(requests):
    """The median size of the answers to `(url, token)` requests."""
    sizes = []
    for url, token in requests:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})) as response:
            sizes.append(len(response.read()))
    return int(statistics.median(sizes))


def nginx_serving(work, body_size):
    nginx = Nginx(None, work, "", "default_type application/json;")
    with open(os.path.join(nginx.dir, "answer.json"), "w") as answer:
        answer.write('{"top":null,"padding":"' + "x" * max(0, body_size - 30) + '"}')
    return nginx, f"{nginx.base}/answer.json"


def events(tracks, seconds, database_url, work):
    server, facts = start_bench_server(tracks, work, database_url)
    try:
        first, last = (int(n) for n in facts["tracks"].split())
        script = os.path.join(work, "events.lua")
        with open(script, "w") as lua:
            lua.write(EVENTS_LUA % (first, last - first + 1, int(time.time() * 1000)))
        result = wrk(f"{facts['url']}/api/v1/me/play-events", 16, seconds, script, facts["token"])
        return result
    finally:
        server.terminate()
        server.wait()


def home(engine, database_url, listeners, events, seconds, rate, work):
    """One engine's Home run: the server with its listeners, then wrk over their tokens, as
    fast as it answers and then at about `rate` requests/s."""
    options = ["--listeners", str(listeners), "--events", str(events)]
    server, facts = start_bench_server(HOME_TRACKS, work, database_url, *options)
    try:
        with open(facts["listeners"]) as listing:
            tokens = listing.read().split()
        script = write_script(work, "home.lua", HOME_LUA % facts["listeners"])
        size = median_size([(f"{facts['url']}/api/v1/home", token) for token in tokens[:100]])
        paced = write_script(work, "home-paced.lua", HOME_LUA % facts["listeners"] + PACED_LUA % (2 * 64_000 // rate))
        # A first pass warms what a running server has warm (connections, pages, statements).
        wrk(f"{facts['url']}/api/v1/home", 64, 3, script)
        ours = measured_wrk(f"{facts['url']}/api/v1/home", [server.pid], 64, seconds, script)
        steady = wrk(f"{facts['url']}/api/v1/home", 64, seconds, paced)
    finally:
        server.terminate()
        server.wait()
    nginx, static_url = nginx_serving(work, size)
    try:
        theirs = wrk(static_url, 64, seconds)
    finally:
        nginx.stop()
    measure = f"Home, {engine}, {listeners:,} listeners, {events:,} events, wrk -c64"
    cpu_ms = 1000 * ours["cpu"] / (ours["rps"] * ours["elapsed"])
    saturated = (f"{measure} (requests/s)",
                 f"{ours['rps']:,.0f} (p50 {ours['p50']}, p99 {ours['p99']}; {cpu_ms:.2f} ms of server CPU each)",
                 f"nginx, static {size:,} B JSON: {theirs['rps']:,.0f} (p50 {theirs['p50']}, p99 {theirs['p99']})",
                 f"{ours['rps'] / theirs['rps']:.2f}×")
    paced_row = (f"{measure}, each connection pausing {64_000 // rate} ms on average between requests (≈ {rate}/s offered)",
                 f"{steady['rps']:,.0f}/s (p50 {steady['p50']}, p99 {steady['p99']})", "–", "–")
    return [saturated, paced_row], float(facts["populated"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark", nargs="?", choices=("search-and-events", "home"), default="search-and-events")
    parser.add_argument("--tracks", type=int, default=100_000, help="the search catalog's size")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--listeners", type=int, default=1_000, help="home: accounts with a history")
    parser.add_argument("--events", type=int, default=1_000_000, help="home: play events among them")
    parser.add_argument("--rate", type=int, default=250, help="home: requests/s offered in the paced run")
    parser.add_argument("--postgres", help="a PostgreSQL URL (an empty database or schema) for a second run")
    args = parser.parse_args()
    require_tools("wrk", "nginx", "cargo")
    build_release("-p", "tonearm-server", "--example", "library_bench_server")
    work = tempfile.mkdtemp(prefix="tonearm-bench-library-")
    os.chmod(work, 0o755)
    engines = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    if args.benchmark == "home":
        rows = []
        for name, url in engines:
            engine_rows, populated = home(name, url, args.listeners, args.events, args.seconds, args.rate, work)
            print(f"{name}: listeners written in {populated:.1f} s", file=sys.stderr)
            rows += engine_rows
        shutil.rmtree(work, ignore_errors=True)
        print_table(rows, "Home screen")
        return
    rows = []

    server, facts = start_bench_server(args.tracks, work)
    try:
        with open(facts["queries"]) as listing:
            queries = [line for line in listing.read().split("\n") if line]
        script = os.path.join(work, "search.lua")
        search_lua(queries, script)
        size = typical_answer(facts["url"], facts["token"], queries)
        ours = wrk(facts["url"], 64, args.seconds, script, facts["token"])
    finally:
        server.terminate()
        server.wait()
    nginx, static_url = nginx_serving(work, size)
    try:
        theirs = wrk(static_url, 64, args.seconds)
    finally:
        nginx.stop()
    rows.append((f"Search, {args.tracks:,} tracks, wrk -c64 (searches/s)", f"{ours['rps']:,.0f} (p99 {ours['p99']})",
                 f"nginx, static {size:,} B JSON: {theirs['rps']:,.0f} (p99 {theirs['p99']})", f"{ours['rps'] / theirs['rps']:.2f}×"))

    for name, url in engines:
        result = events(EVENT_TRACKS, args.seconds, url, work)
        rows.append((f"Play events, batches of 100, wrk -c16, {name} (events/s)", f"{result['rps'] * 100:,.0f} (p99 {result['p99']} per batch)", "–", "–"))

    shutil.rmtree(work, ignore_errors=True)
    print_table(rows, "Library and search")


if __name__ == "__main__":
    main()
