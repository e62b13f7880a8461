#!/usr/bin/env python3
"""Adaptive streaming benchmarks (issue #4), each beside a reference measured in the same run.

    python3 bench/adaptive.py [--work /tmp/tonearm-bench] [--tracks 20] [--seconds 10]

  cold start     for each of N never-transcoded 4-minute tracks (FLAC and 192 kbps MP3,
                 alternating): the time from the listener's master request
                 (GET /api/v1/tracks/{id}/hls/master.m3u8, redirect followed) through the master
                 playlist, the 128 kbps media playlist, its key, the init segment and the first
                 media segment, over one keep-alive connection as a player does; p50 and p90.
                 Reference: ffmpeg making the same first 6 s AAC-LC 128 kbps fragment of the same
                 file (what a server shelling out to ffmpeg would need before its first byte)
  warm segments  wrk on one cached segment URL (public, immutable) vs nginx serving the same
                 file from the rendition cache folder, at 16 and 64 connections
Prints a Markdown table for docs/BENCHMARKS.md. Needs: cargo, ffmpeg, wrk, nginx.
"""
import argparse
import http.client
import os
import statistics
import shutil
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    TONEARM, Nginx, build_release, measured_wrk, print_table, require_tools, run, sign_in, start_server, wait_for_scan,
)

TRACK_SECONDS = 240


def make_library(root, count):
    """Tagged 4-minute tracks, a chord whose root moves per track so no two files are alike;
    returns each file's path by title."""
    paths = {}
    for n in range(count):
        kind = "flac" if n % 2 == 0 else "mp3"
        path = os.path.join(root, "Cold Start", f"{n + 1:02d} - Cold {n + 1}.{kind}")
        paths[f"Cold {n + 1}"] = path
        if os.path.exists(path):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        f = 110 + 7 * n
        chord = f"aevalsrc=0.2*sin(2*PI*{f}*t)+0.1*sin(2*PI*{f * 1.5}*t)|0.2*sin(2*PI*{f * 1.26}*t):s=44100:d={TRACK_SECONDS}"
        codec = ["-c:a", "flac"] if kind == "flac" else ["-c:a", "libmp3lame", "-b:a", "192k"]
        run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", chord, *codec,
                "-metadata", f"title=Cold {n + 1}", "-metadata", "artist=Bench", "-metadata", "album=Cold Start", path])
    return paths


class Player:
    """One keep-alive connection, as a player holds one to its origin or CDN."""

    def __init__(self, port, token):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token

    def get(self, path, authorized=False):
        headers = {"Authorization": f"Bearer {self.token}"} if authorized else {}
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status == 302:
            return self.get(urllib.parse.urlparse(response.headers["Location"]).path)
        if response.status != 200:
            sys.exit(f"{path} answered {response.status}: {body[:200]!r}")
        return body.decode() if path.endswith(".m3u8") else body


def cold_start(player, track_id):
    """Seconds from the master request to the first media segment's last byte."""
    started = time.perf_counter()
    master = player.get(f"/api/v1/tracks/{track_id}/hls/master.m3u8", authorized=True)
    variant = next(line for line in master.splitlines() if "/aac-lc-128/" in line)
    playlist = player.get(variant)
    key = next(line for line in playlist.splitlines() if line.startswith("#EXT-X-KEY")).split('URI="')[1].split('"')[0]
    player.get(key, authorized=True)
    init = next(line for line in playlist.splitlines() if line.startswith("#EXT-X-MAP")).split('URI="')[1].split('"')[0]
    player.get(init)
    first = next(line for line in playlist.splitlines() if line.endswith(".m4s"))
    segment = player.get(first)
    assert len(segment) > 10_000, "a 6 s segment at 128 kbps"
    return time.perf_counter() - started, first


def ffmpeg_first_fragment(path):
    started = time.perf_counter()
    run(["ffmpeg", "-loglevel", "error", "-threads", "1", "-i", path, "-t", "6", "-c:a", "aac", "-b:a", "128k",
            "-f", "mp4", "-movflags", "frag_keyframe+empty_moov", "-y", "/dev/null"])
    return time.perf_counter() - started


def ms(seconds):
    return f"{seconds * 1000:.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/tmp/tonearm-bench")
    parser.add_argument("--tracks", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    require_tools("wrk", "nginx", "ffmpeg")
    build_release("-p", "tonearm-server", "--bins")
    os.makedirs(args.work, exist_ok=True)
    library = os.path.join(args.work, "library-cold-start")
    print(f"generating {args.tracks} four-minute tracks in {library}…", file=sys.stderr)
    paths = make_library(library, args.tracks)

    data_dir = tempfile.mkdtemp(prefix="tonearm-bench-adaptive-", dir=args.work)
    server = start_server(TONEARM, library, data_dir)
    nginx = None
    rows = []
    try:
        token = sign_in(server)
        wait_for_scan(server)
        tracks = [t for t in server.get_json("/api/v1/tracks?sort=name&limit=500")["items"] if t["title"].startswith("Cold ")]
        time.sleep(2)  # let the start-up work (search index, cover warm-up) finish

        player = Player(server.port, token)
        ours, theirs, first_segment = [], [], None
        for track in tracks:
            seconds, segment = cold_start(player, track["id"])
            ours.append(seconds)
            first_segment = first_segment or segment
            theirs.append(ffmpeg_first_fragment(paths[track["title"]]))
        p50, p90 = statistics.median(ours), statistics.quantiles(ours, n=10)[-1]
        ref50 = statistics.median(theirs)
        rows.append((f"Cold start, master → first segment, p50 (ms, {len(ours)} tracks)", ms(p50),
                     f"ffmpeg first 6 s fragment: {ms(ref50)}", f"{p50 / ref50:.2f}×"))
        rows.append(("Cold start, p90 (ms)", ms(p90), f"ffmpeg p90: {ms(statistics.quantiles(theirs, n=10)[-1])}", "–"))
        warm = [cold_start(player, tracks[0]["id"])[0] for _ in range(10)]
        rows.append(("Same chain, cached rendition, p50 (ms)", ms(statistics.median(warm)), "–", "–"))

        # Warm segments: the same file from our cache folder through nginx.
        time.sleep(2)  # the rendition of track 0 finishes encoding
        os.chmod(data_dir, 0o755)
        cache = os.path.join(data_dir, "media-cache")
        for folder, _, _ in os.walk(cache):
            os.chmod(folder, 0o755)
        relative = first_segment.split("/api/v1/media/hls/", 1)[1]
        track_id, rendition, digest, name = relative.split("/")
        cached_file = os.path.join("renditions", track_id, rendition, digest, name)
        os.chmod(os.path.join(cache, cached_file), 0o644)
        nginx = Nginx(cache, args.work, "audio/mp4 m4s;",
                      'location / { add_header Cache-Control "public, max-age=31536000, immutable"; }')
        for connections in (16, 64):
            # Segments are public: no token.
            ours_wrk = measured_wrk(f"{server.base}{first_segment}", [server.pid], connections, args.seconds)
            theirs_wrk = measured_wrk(f"{nginx.base}/{cached_file}", nginx.pids, connections, args.seconds)
            rows.append((f"Cached segment, wrk -c{connections} (requests/s)", f"{ours_wrk['rps']:,.0f} (p99 {ours_wrk['p99']})",
                         f"nginx: {theirs_wrk['rps']:,.0f} (p99 {theirs_wrk['p99']})", f"{ours_wrk['rps'] / theirs_wrk['rps']:.2f}×"))
    finally:
        server.stop()
        if nginx:
            nginx.stop()
            shutil.rmtree(nginx.dir, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    print_table(rows, "Adaptive streaming")


if __name__ == "__main__":
    main()
