#!/usr/bin/env python3
"""Offline recommender benchmark of issue #14, beside the Python reference in the same run.

MovieLens-100K (943 users, 1,682 items, 100,000 ratings as implicit feedback) is fetched
from the recbole 1.2.1 wheel on PyPI at run time (research-use licence: never commit it or
anything derived from it). The seed-42 random80 split of ../shared/recsys/PROTOCOL.md is
written by the reference script (`eval_baselines.py --write-splits`, which also prints its
table: implicit ALS, EASE, item-kNN, most-popular, tuned on val); then
`tonearm recommend eval --tune --json` runs on the same split file for each model: tuned
on val with models trained on train, retrained on train ∪ val, scored on test.

Prints a Markdown table for docs/BENCHMARKS.md. Needs: cargo, python3 with pip (numpy,
scipy and implicit==0.7.3 are installed on demand for the reference).
"""

import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, TONEARM, build_release, run  # noqa: E402

RECSYS = os.path.join(os.path.dirname(ROOT), "shared", "recsys")
WHEEL = "recbole-1.2.1-py3-none-any.whl"
# Tonearm's model → the reference's row for the same family (eval_baselines.py names).
REFERENCE_ROW = {
    "ials": "als (tuned)",
    "ease": "ease (tuned)",
    "itemknn": "itemknn_bm25 (tuned)",
    "rp3beta": "rp3beta (tuned)",
    "popular": "mostpop (tuned)",
}


def fetch_data(work, recsys):
    """interactions.tsv from the wheel, then the split files and the reference's results."""
    wheel = os.path.join(work, "whl", WHEEL)
    if not os.path.exists(wheel):
        print("downloading the recbole 1.2.1 wheel from PyPI…", file=sys.stderr)
        run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", os.path.dirname(wheel), "recbole==1.2.1"])
    interactions = os.path.join(work, "interactions.tsv")
    run([sys.executable, os.path.join(recsys, "make_data.py"), "--wheel", wheel, "--out", interactions])
    return interactions


def ensure_reference_dependencies():
    try:
        import implicit  # noqa: F401
        import scipy  # noqa: F401
    except ImportError:
        print("installing numpy, scipy, implicit==0.7.3 for the reference…", file=sys.stderr)
        run([sys.executable, "-m", "pip", "install", "numpy", "scipy", "implicit==0.7.3"])


def reference(interactions, recsys, work):
    results = os.path.join(work, "reference.json")
    print("running the Python reference (eval_baselines.py)…", file=sys.stderr)
    output = run([sys.executable, os.path.join(recsys, "eval_baselines.py"), "--data", interactions,
                  "--write-splits", "--repeats", "1", "--json", results])
    print(output, file=sys.stderr)
    with open(results) as file:
        return {row["name"]: row for row in json.load(file)["final"]}


def tonearm(split, model, threads):
    start = time.perf_counter()
    output = run([TONEARM, "recommend", "eval", "--interactions", split, "--model", model, "--tune", "--json",
                  "--threads", str(threads)])
    report = json.loads(output)
    report["wall_seconds"] = time.perf_counter() - start
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/tmp/tonearm-bench-recommend", help="where the data and splits go")
    parser.add_argument("--recsys", default=RECSYS, help="the directory of PROTOCOL.md and its scripts")
    parser.add_argument("--models", default="ials,ease,itemknn,popular")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    build_release("-p", "tonearm-server")
    ensure_reference_dependencies()
    interactions = fetch_data(args.work, args.recsys)
    references = reference(interactions, args.recsys, args.work)
    split = os.path.join(args.work, "split_random80_seed42.tsv")

    print(f"\nMovieLens-100K, seed-42 random80 split, tuned on val, scored on test; "
          f"{os.cpu_count()} cores, --threads {args.threads}, {time.strftime('%Y-%m-%d')}\n")
    print("| model | Tonearm NDCG@10 | coverage@10 | train s | chosen on val | reference (same run) "
          "NDCG@10 / coverage@10 / train s | NDCG ratio |")
    print("|---|---|---|---|---|---|---|")
    for model in args.models.split(","):
        print(f"evaluating {model} (tuning on val)…", file=sys.stderr)
        ours = tonearm(split, model, args.threads)
        theirs = references.get(REFERENCE_ROW[model])
        reference_cell, ratio = "–", "–"
        if theirs:
            reference_cell = (f"{theirs['method']} {theirs['ndcg']:.4f} / {theirs['coverage']:.3f} / "
                              f"{theirs['train_s_median']:.2f}")
            ratio = f"{ours['ndcg_at_10'] / theirs['ndcg']:.3f}×"
        print(f"| {model} | {ours['ndcg_at_10']:.4f} | {ours['coverage_at_10']:.3f} | {ours['train_seconds']:.2f} | "
              f"`{json.dumps(ours['hyper_parameters'], sort_keys=True)}` | {reference_cell} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
