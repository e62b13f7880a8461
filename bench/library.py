#!/usr/bin/env python3
"""Library and search benchmarks of issue #5, over HTTP, each beside a reference in the same run.

  search   wrk -t2 -c64 on GET /api/v1/search, rotating the benchmark query mix (typing,
           typos, whole names, no accents, CJK) over a generated 100,000-track catalog,
           vs nginx serving a static JSON file the size of a typical answer
  events   wrk -t2 -c16 posting batches of 100 play events (unique ids, durable before
           the 200) to POST /api/v1/me/play-events over a 10,000-track catalog, on
           SQLite and, with --postgres URL, on PostgreSQL

The server is crates/server/examples/library_bench_server.rs (release build). Prints a
Markdown table for docs/BENCHMARKS.md. Needs: cargo, wrk, nginx.
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
from common import RELEASE, Nginx, build_release, print_table, require_tools, wrk  # noqa: E402

SERVER = os.path.join(RELEASE, "examples", "library_bench_server")

# Ingestion does not depend on the catalog's size; a smaller one starts faster.
EVENT_TRACKS = 10_000

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


def start_bench_server(tracks, work, database_url=None):
    """The example server (not `tonearm serve`): it fills its own catalog, signs a user in
    and prints its URL, token and track ids before `ready`."""
    cmd = [SERVER, str(tracks)] + ([database_url] if database_url else [])
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
    sizes = []
    for text in queries[:200]:
        request = urllib.request.Request(f"{url}/api/v1/search?q={urllib.parse.quote(text, safe='')}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request) as response:
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--postgres", help="a PostgreSQL URL (an empty database or schema) for the events run")
    args = parser.parse_args()
    require_tools("wrk", "nginx", "cargo")
    build_release("-p", "tonearm-server", "--example", "library_bench_server")
    work = tempfile.mkdtemp(prefix="tonearm-bench-library-")
    os.chmod(work, 0o755)
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

    engines = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    for name, url in engines:
        result = events(EVENT_TRACKS, args.seconds, url, work)
        rows.append((f"Play events, batches of 100, wrk -c16, {name} (events/s)", f"{result['rps'] * 100:,.0f} (p99 {result['p99']} per batch)", "–", "–"))

    shutil.rmtree(work, ignore_errors=True)
    print_table(rows, "Library and search")


if __name__ == "__main__":
    main()
