//! Access tokens: short-lived JWTs (HS256) that any node verifies from its keyring without
//! a database query. Keys are persisted by the store and carry a `kid`: new tokens use the
//! newest key, and tokens signed by an older key stay valid until they expire, so rotation
//! logs nobody out.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tonearm_domain::{Role, Tier, UserId};

pub const ISSUER: &str = "tonearm";
/// Access tokens live 15 minutes; refresh tokens renew them.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// Signed media links (`<audio src>`) outlive the access token: long enough for a track and its pauses.
pub const MEDIA_LINK_SECONDS: i64 = 3600;

/// One signing key as stored: an id and 256 random bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub kid: String,
    pub secret: Vec<u8>,
    pub created_at: i64,
}

impl SigningKey {
    pub fn generate(created_at: i64) -> Self {
        use rand::RngCore;
        let mut secret = vec![0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let mut id = [0u8; 8];
        rand::rng().fill_bytes(&mut id);
        Self { kid: id.iter().map(|b| format!("{b:02x}")).collect(), secret, created_at }
    }
}

/// What an access token asserts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    /// The user id.
    pub sub: i64,
    /// The session (refresh-token family) the token belongs to.
    pub sid: String,
    pub role: Role,
    pub tier: Tier,
    pub iat: i64,
    pub exp: i64,
}

impl AccessClaims {
    pub fn new(user: UserId, session: &str, role: Role, tier: Tier, now_seconds: i64) -> Self {
        Self {
            iss: ISSUER.to_owned(),
            sub: user.0,
            sid: session.to_owned(),
            role,
            tier,
            iat: now_seconds,
            exp: now_seconds + ACCESS_TOKEN_SECONDS,
        }
    }

    pub fn user(&self) -> UserId {
        UserId(self.sub)
    }
}

fn media_mac(secret: &[u8], path: &str, user: i64, expires_at: i64) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(format!("media\n{path}\n{user}\n{expires_at}").as_bytes());
    mac
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is not valid")]
    Invalid,
    /// Signed by a key this keyring does not hold: perhaps one added since it was loaded.
    #[error("the access token names an unknown signing key")]
    UnknownKey,
    #[error("no signing key is available")]
    NoKey,
}

/// The keys this node signs and verifies with; the newest signs.
#[derive(Clone)]
pub struct Keyring {
    keys: Vec<(String, EncodingKey, DecodingKey)>,
    /// The same keys, raw, for signed media URLs.
    secrets: Vec<(String, Vec<u8>)>,
}

/// The query parameters that let a media element fetch one path without a header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaSignature {
    pub uid: i64,
    pub exp: i64,
    pub kid: String,
    pub sig: String,
}

impl Keyring {
    pub fn new(mut keys: Vec<SigningKey>) -> Self {
        keys.sort_by_key(|key| std::cmp::Reverse(key.created_at));
        let secrets = keys.iter().map(|key| (key.kid.clone(), key.secret.clone())).collect();
        let keys = keys
            .into_iter()
            .map(|key| (key.kid, EncodingKey::from_secret(&key.secret), DecodingKey::from_secret(&key.secret)))
            .collect();
        Self { keys, secrets }
    }

    /// Signs `path` for `user` until `expires_at` (Unix seconds), for `<audio src>` and
    /// `<img src>`, which cannot send an Authorization header.
    pub fn sign_media_path(&self, path: &str, user: UserId, expires_at: i64) -> Result<MediaSignature, TokenError> {
        let (kid, secret) = self.secrets.first().ok_or(TokenError::NoKey)?;
        let sig = media_mac(secret, path, user.0, expires_at).finalize().into_bytes();
        Ok(MediaSignature { uid: user.0, exp: expires_at, kid: kid.clone(), sig: URL_SAFE_NO_PAD.encode(sig) })
    }

    /// Whether `signature` grants `path` at `now` (Unix seconds); compared in constant time.
    /// A signed folder (a path ending in `/`, as DASH segment templates need) grants every
    /// file directly in it.
    pub fn verify_media_path(&self, path: &str, signature: &MediaSignature, now: i64) -> bool {
        let Some((_, secret)) = self.secrets.iter().find(|(kid, _)| *kid == signature.kid) else { return false };
        let Ok(sig) = URL_SAFE_NO_PAD.decode(&signature.sig) else { return false };
        let grants = |signed: &str| media_mac(secret, signed, signature.uid, signature.exp).verify_slice(&sig).is_ok();
        let folder = path.rfind('/').map(|slash| &path[..=slash]);
        signature.exp > now && (grants(path) || folder.is_some_and(|folder| folder != path && grants(folder)))
    }

    /// Whether this keyring holds the key `kid`.
    pub fn knows(&self, kid: &str) -> bool {
        self.secrets.iter().any(|(id, _)| id == kid)
    }

    pub fn issue(&self, claims: &AccessClaims) -> Result<String, TokenError> {
        let (kid, key, _) = self.keys.first().ok_or(TokenError::NoKey)?;
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(kid.clone());
        jsonwebtoken::encode(&header, claims, key).map_err(|_| TokenError::Invalid)
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        let kid = header.kid.ok_or(TokenError::Invalid)?;
        let (_, _, key) = self.keys.iter().find(|(id, _, _)| *id == kid).ok_or(TokenError::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 0;
        jsonwebtoken::decode::<AccessClaims>(token, key, &validation).map(|data| data.claims).map_err(|error| {
            match error.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
    }

    fn claims(at: i64) -> AccessClaims {
        AccessClaims::new(UserId(7), "session-1", Role::User, Tier::Premium, at)
    }

    #[test]
    fn issued_tokens_verify_and_carry_their_claims() {
        let keyring = Keyring::new(vec![SigningKey::generate(1)]);
        let token = keyring.issue(&claims(now())).unwrap();
        let verified = keyring.verify(&token).unwrap();
        assert_eq!((verified.user(), verified.tier, verified.sid.as_str()), (UserId(7), Tier::Premium, "session-1"));
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_are_refused() {
        let keyring = Keyring::new(vec![SigningKey::generate(1)]);
        let expired = keyring.issue(&claims(now() - 2 * ACCESS_TOKEN_SECONDS)).unwrap();
        assert_eq!(keyring.verify(&expired), Err(TokenError::Expired));

        let token = keyring.issue(&claims(now())).unwrap();
        let (head, rest) = token.split_once('.').unwrap();
        let (payload, signature) = rest.split_once('.').unwrap();
        let forged_payload = payload.replacen('e', "f", 1);
        assert_eq!(keyring.verify(&format!("{head}.{forged_payload}.{signature}")), Err(TokenError::Invalid));

        let stranger = Keyring::new(vec![SigningKey::generate(1)]);
        assert_eq!(stranger.verify(&token), Err(TokenError::UnknownKey));
        assert_eq!(keyring.verify("not.a.jwt"), Err(TokenError::Invalid));
    }

    #[test]
    fn media_signatures_grant_one_path_for_a_while() {
        let keyring = Keyring::new(vec![SigningKey::generate(1)]);
        let signature = keyring.sign_media_path("/api/v1/tracks/5/stream", UserId(7), now() + 60).unwrap();
        assert!(keyring.verify_media_path("/api/v1/tracks/5/stream", &signature, now()));
        assert!(!keyring.verify_media_path("/api/v1/tracks/6/stream", &signature, now()));
        assert!(!keyring.verify_media_path("/api/v1/tracks/5/stream", &signature, now() + 61));
        let other_user = MediaSignature { uid: 8, ..signature.clone() };
        assert!(!keyring.verify_media_path("/api/v1/tracks/5/stream", &other_user, now()));
        let longer = MediaSignature { exp: signature.exp + 3600, ..signature };
        assert!(!keyring.verify_media_path("/api/v1/tracks/5/stream", &longer, now()));
        let folder = keyring.sign_media_path("/api/v1/media/dash/5/a/", UserId(7), now() + 60).unwrap();
        assert!(keyring.verify_media_path("/api/v1/media/dash/5/a/3.m4s", &folder, now()));
        assert!(!keyring.verify_media_path("/api/v1/media/dash/5/a/b/3.m4s", &folder, now()), "direct files only");
        assert!(!keyring.verify_media_path("/api/v1/media/dash/5/b/3.m4s", &folder, now()));
    }

    #[test]
    fn rotation_signs_with_the_newest_key_and_still_accepts_older_ones() {
        let old = SigningKey::generate(1);
        let before = Keyring::new(vec![old.clone()]);
        let old_token = before.issue(&claims(now())).unwrap();
        let after = Keyring::new(vec![old.clone(), SigningKey::generate(2)]);
        assert!(after.verify(&old_token).is_ok(), "tokens of the previous key stay valid");
        let new_token = after.issue(&claims(now())).unwrap();
        assert_ne!(jsonwebtoken::decode_header(&new_token).unwrap().kid, Some(old.kid));
    }
}
