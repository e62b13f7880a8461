#!/usr/bin/env python3
"""Recommender at scale (issue #14), on the synthetic listening of `tonearm recommend synth`.

At three sizes (small, medium, the issue's 10 million events over 100,000 tracks and
100,000 listeners) and for each model asked (the popular baseline is the reference), runs
the release binary and reads its JSON: generation and training seconds, peak memory
(VmHWM), genre precision@20 against the listeners' held-out taste clusters, and p50/p99 of
one listener's recommendations in process (fold-in + top 50 of the catalog).

Goals: training ≤ 300 s with ≤ 2 GiB peak at the largest size, p99 ≤ 5 ms, genre
precision@20 ≥ 0.8. Prints a Markdown table for docs/BENCHMARKS.md. Needs: cargo.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import TONEARM, build_release, run  # noqa: E402

# (events, tracks, listeners)
SIZES = {
    "small": (100_000, 10_000, 2_000),
    "medium": (1_000_000, 50_000, 20_000),
    "large": (10_000_000, 100_000, 100_000),
}


def synth(model, events, tracks, listeners, args):
    command = [TONEARM, "recommend", "synth", "--json", "--model", model, "--events", str(events),
               "--tracks", str(tracks), "--listeners", str(listeners), "--seed", str(args.seed),
               "--threads", str(args.threads), *args.model_flag]
    print("running " + " ".join(command[1:]), file=sys.stderr)
    return json.loads(run(command))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="small,medium,large", help="comma-separated, of " + ", ".join(SIZES))
    parser.add_argument("--models", default="ials,popular", help="comma-separated: ials, popular")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--model-flag", action="append", default=[],
                        help="passed to the command as is (repeatable), e.g. --model-flag=--factors=64")
    args = parser.parse_args()
    build_release("-p", "tonearm-server", "--bins")

    print(f"\nRecommender on synthetic listening, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, seed {args.seed}, "
          f"{args.threads} training threads\n")
    print("| size (events / tracks / listeners) | model | generation s | training s | peak MiB | genre precision@20 "
          "| recommendations p50 / p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        events, tracks, listeners = SIZES[size]
        for model in args.models.split(","):
            figures = synth(model, events, tracks, listeners, args)
            peak = figures["peak_memory_mib"]
            print(f"| {events:,} / {tracks:,} / {listeners:,} | {model} | {figures['generation_seconds']:.1f} "
                  f"| {figures['training_seconds']:.1f} | {peak:,.0f} | {figures['genre_precision_at_20']:.3f} "
                  f"| {figures['latency_p50_ms']:.2f} / {figures['latency_p99_ms']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
