//! What checking an access token costs a request, measured on the server's own check:
//! `cargo run --release -p tonearm-server --example token_check_cost`. A token's first
//! request decodes the JWT and checks its HMAC from the in-memory keyring (no database);
//! every later request of that token is a lookup in the node's verified-token cache.

use std::time::Instant;

use tonearm_auth::{AccessClaims, Keyring, SigningKey};
use tonearm_domain::{Role, Tier, UserId};
use tonearm_server::auth::verified_tokens::VerifiedTokens;

const ROUNDS: u32 = 200_000;

fn main() {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    let keyring = Keyring::new(vec![SigningKey::generate(now)]);
    let token = keyring.issue(&AccessClaims::new(UserId(1), "session", Role::User, Tier::Free, now)).expect("issues");

    let started = Instant::now();
    for _ in 0..ROUNDS {
        let uncached = VerifiedTokens::default();
        assert_eq!(uncached.verify(std::hint::black_box(&token), now, |t| keyring.verify(t)).expect("valid").sub, 1);
    }
    let first_request = started.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS);

    let cache = VerifiedTokens::default();
    let started = Instant::now();
    for _ in 0..ROUNDS {
        assert_eq!(cache.verify(std::hint::black_box(&token), now, |t| keyring.verify(t)).expect("valid").sub, 1);
    }
    let later_requests = started.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS);
    println!("first request of a token: {first_request:.2} µs");
    println!("later requests (cached): {later_requests:.3} µs");
}
