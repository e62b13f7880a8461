//! `tonearm recommend eval` as a process: a tiny generated interactions file, the JSON it
//! prints, and the one-line errors (with the line number) a bad file gets.

use std::path::Path;
use std::process::{Command, Output};

fn tonearm_recommend_eval(interactions: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tonearm"))
        .args(["recommend", "eval", "--interactions"])
        .arg(interactions)
        .args(args)
        .output()
        .expect("tonearm starts")
}

/// 30 listeners in three taste groups of 10 items each; every listener has 8 of their
/// group's items, one of them in val and two in test.
fn tiny_interactions() -> String {
    let mut text = String::from("user_id\titem_id\tweight\ttimestamp\tfold\n");
    for user in 0..30u32 {
        let group = user % 3;
        for k in 0..8u32 {
            let item = group * 10 + (user + k) % 10;
            let fold = match k {
                0 => "val",
                1 | 2 => "test",
                _ => "train",
            };
            text.push_str(&format!("{}\t{}\t{}\t{}\t{fold}\n", user + 100, item + 1000, 1 + k % 5, 1_700_000_000 + k));
        }
    }
    text
}

#[test]
fn eval_prints_the_protocol_metrics_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("interactions.tsv");
    std::fs::write(&file, tiny_interactions()).unwrap();

    for (model, extra) in [("ease", &["--lambda", "10"][..]), ("popular", &[][..]), ("itemknn", &["--tune"][..])] {
        let output = tonearm_recommend_eval(&file, &[&["--model", model, "--json"][..], extra].concat());
        assert!(output.status.success(), "{model}: {}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
        assert_eq!(report["model"], model);
        assert_eq!(report["test_users"], 30);
        for metric in ["precision_at_10", "recall_at_10", "ndcg_at_10", "coverage_at_10", "train_seconds"] {
            let value = report[metric].as_f64().unwrap_or_else(|| panic!("{model}: {metric} missing"));
            assert!((0.0..=1.0).contains(&value) || metric == "train_seconds", "{model}: {metric} = {value}");
        }
        assert!(report["hyper_parameters"]["weighting"].is_string(), "{report}");
    }
}

#[test]
fn ease_beats_popularity_on_grouped_tastes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("interactions.tsv");
    std::fs::write(&file, tiny_interactions()).unwrap();
    let ndcg = |model: &str| {
        let output = tonearm_recommend_eval(&file, &["--model", model, "--json", "--lambda", "1"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["ndcg_at_10"].as_f64().unwrap()
    };
    assert!(ndcg("ease") > ndcg("popular"));
}

#[test]
fn a_bad_header_or_row_fails_with_its_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.tsv");

    std::fs::write(&file, "user\titem\tweight\n1\t2\t3\n").unwrap();
    let output = tonearm_recommend_eval(&file, &["--model", "popular"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error: Vec<&str> = stderr.lines().filter(|line| line.starts_with("error:")).collect();
    assert_eq!(error.len(), 1, "{stderr}");
    assert!(error[0].contains("line 1: the header must be"), "{stderr}");

    let mut text = tiny_interactions();
    text.push_str("7\t8\tloud\t0\ttrain\n");
    std::fs::write(&file, text).unwrap();
    let output = tonearm_recommend_eval(&file, &["--model", "ials"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 242: weight `loud` is not a number"), "{stderr}");

    let output = tonearm_recommend_eval(&dir.path().join("missing.tsv"), &["--model", "ease"]);
    assert_eq!(output.status.code(), Some(2));
}
