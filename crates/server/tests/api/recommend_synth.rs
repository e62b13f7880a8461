//! `tonearm recommend synth` end to end at a small scale: the real binary, its JSON figures.

use std::process::Command;

/// Runs `tonearm recommend synth` with `flags` and `--json`; returns the parsed figures.
fn synth_figures(flags: &[&str]) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_tonearm"))
        .args(["recommend", "synth", "--json"])
        .args(flags)
        .output()
        .expect("tonearm runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout).expect("the figures are JSON")
}

#[test]
fn synth_prints_sane_figures_for_the_sizes_asked() {
    let figures = synth_figures(&[
        "--listeners",
        "150",
        "--tracks",
        "800",
        "--genres",
        "8",
        "--events",
        "4000",
        "--seed",
        "7",
        "--sample",
        "100",
        "--model",
        "popular",
    ]);

    assert_eq!(figures["events"], 4000);
    assert_eq!(figures["tracks"], 800);
    assert_eq!(figures["listeners"], 150);
    assert_eq!(figures["model"], "popular");
    let precision = figures["genre_precision_at_20"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&precision), "precision {precision}");
    assert!(figures["precision_listeners"].as_u64().unwrap() > 0);
    assert_eq!(figures["latency_listeners"], 100);
    let (p50, p99) = (figures["latency_p50_ms"].as_f64().unwrap(), figures["latency_p99_ms"].as_f64().unwrap());
    assert!(p50 > 0.0 && p50 <= p99, "p50 {p50} p99 {p99}");
    assert!(figures["peak_memory_mib"].as_f64().unwrap() > 0.0);
    assert!(figures["training_seconds"].as_f64().unwrap() >= 0.0);
    let entries = figures["matrix_entries"].as_u64().unwrap();
    assert!(entries > 0 && entries <= 4000);
}

#[test]
fn synth_refuses_more_genres_than_tracks_as_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_tonearm"))
        .args(["recommend", "synth", "--tracks", "3", "--genres", "5", "--events", "10"])
        .output()
        .expect("tonearm runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("5 genres need at least as many tracks"));
}
