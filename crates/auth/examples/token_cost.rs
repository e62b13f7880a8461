//! How long verifying one access token costs, from the keyring alone (no database):
//! `cargo run --release -p tonearm-auth --example token_cost`. Servers also cache verified
//! tokens, so this full JWT decode and HMAC is the cost of a token's first request only.

use std::time::Instant;

use tonearm_auth::{AccessClaims, Keyring, SigningKey};
use tonearm_domain::{Role, Tier, UserId};

fn main() {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    let keyring = Keyring::new(vec![SigningKey::generate(now)]);
    let token = keyring.issue(&AccessClaims::new(UserId(1), "session", Role::User, Tier::Free, now)).expect("issues");
    const ROUNDS: u32 = 200_000;
    let started = Instant::now();
    for _ in 0..ROUNDS {
        assert_eq!(keyring.verify(std::hint::black_box(&token)).expect("valid").user(), UserId(1));
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS);
    println!("verify: {micros:.2} µs per token");
}
