//! How long one password check costs with Tonearm's Argon2id parameters:
//! `cargo run --release -p tonearm-auth --example hash_cost`. The goal is 50–250 ms per
//! sign-in on the deployment machine: slow for guessing, fast enough for people.

use std::time::Instant;

use tonearm_auth::{NewPassword, PasswordHasher};

fn main() {
    let hasher = PasswordHasher::default();
    let stored = hasher.hash(&NewPassword::parse("correct horse battery staple").expect("valid")).expect("hashes");
    let mut samples: Vec<f64> = (0..21)
        .map(|_| {
            let started = Instant::now();
            assert!(hasher.verify("correct horse battery staple", &stored));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    println!("{stored}");
    println!("verify: median {:.1} ms, min {:.1} ms, max {:.1} ms", samples[10], samples[0], samples[20]);
}
