//! Who is calling: the TCP peer, or, when the peer is a configured reverse proxy, the
//! client it forwards for (`X-Forwarded-For`, `-Proto`, `-Host`). Forwarded headers from
//! anyone else are ignored, so a client cannot pick its own address to dodge rate limits.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::http::error::ApiError;

/// The networks whose forwarded headers are believed.
#[derive(Clone, Default)]
pub struct TrustedProxies(Arc<[IpNet]>);

impl TrustedProxies {
    pub fn new(networks: &[IpNet]) -> Self {
        Self(networks.into())
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }
}

/// The client of a request, as far as this server can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    /// `https` or `http` as the client used it, when a trusted proxy said so.
    pub forwarded_proto: Option<String>,
    /// The `Host` the client asked the proxy for, when a trusted proxy said so.
    pub forwarded_host: Option<String>,
}

impl Client {
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, proxies: &TrustedProxies) -> Self {
        if !proxies.trusts(peer) {
            return Self { ip: peer, forwarded_proto: None, forwarded_host: None };
        }
        let header = |name: &str| {
            headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim).filter(|value| !value.is_empty())
        };
        let forwarded_for: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        Self {
            ip: forwarded_client(peer, &forwarded_for, proxies),
            forwarded_proto: header("x-forwarded-proto")
                .filter(|proto| matches!(*proto, "http" | "https"))
                .map(Into::into),
            forwarded_host: header("x-forwarded-host").map(Into::into),
        }
    }
}

/// Walks `X-Forwarded-For` from the right (the hop nearest us) past trusted proxies: the
/// first address not ours is the client. Anything unparsable stops the walk, since the
/// entries left of it were written by someone we cannot vouch for.
fn forwarded_client(peer: IpAddr, forwarded_for: &[&str], proxies: &TrustedProxies) -> IpAddr {
    let mut client = peer;
    for entry in forwarded_for.iter().rev() {
        let Ok(address) = entry.trim().parse::<IpAddr>() else { break };
        client = address;
        if !proxies.trusts(address) {
            break;
        }
    }
    client
}

/// The client of a request, for the handlers that need it (sign-in and its rate limits,
/// sessions); resolved only there, not for every request.
impl<S> FromRequestParts<S> for Client
where
    TrustedProxies: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // Present on every connection `axum::serve` and `axum_server` accept.
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .copied()
            .ok_or_else(|| ApiError::internal_bare("the connection's peer address is unknown"))?;
        Ok(Self::resolve(peer.ip(), &parts.headers, &TrustedProxies::from_ref(state)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn forwarded_headers_from_strangers_are_ignored() {
        let proxies = TrustedProxies::new(&["10.0.0.0/24".parse().unwrap()]);
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-proto", "https")]);
        let client = Client::resolve(ip("198.51.100.9"), &spoofed, &proxies);
        assert_eq!(client, Client { ip: ip("198.51.100.9"), forwarded_proto: None, forwarded_host: None });
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let proxies = TrustedProxies::new(&["10.0.0.0/24".parse().unwrap()]);
        // The client claimed 6.6.6.6 itself; 203.0.113.7 is who reached our first proxy.
        let chain = headers(&[
            ("x-forwarded-for", "6.6.6.6, 203.0.113.7"),
            ("x-forwarded-for", "10.0.0.3"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "music.example.com"),
        ]);
        let client = Client::resolve(ip("10.0.0.2"), &chain, &proxies);
        assert_eq!(client.ip, ip("203.0.113.7"));
        assert_eq!(client.forwarded_proto.as_deref(), Some("https"));
        assert_eq!(client.forwarded_host.as_deref(), Some("music.example.com"));
    }

    #[test]
    fn garbage_stops_the_walk_and_odd_schemes_are_dropped() {
        let proxies = TrustedProxies::new(&["10.0.0.0/24".parse().unwrap()]);
        let chain =
            headers(&[("x-forwarded-for", "203.0.113.7, not-an-ip, 10.0.0.4"), ("x-forwarded-proto", "gopher")]);
        let client = Client::resolve(ip("10.0.0.2"), &chain, &proxies);
        assert_eq!(client.ip, ip("10.0.0.4"), "the last address we can vouch for");
        assert_eq!(client.forwarded_proto, None);
        let no_header = Client::resolve(ip("10.0.0.2"), &HeaderMap::new(), &proxies);
        assert_eq!(no_header.ip, ip("10.0.0.2"));
    }
}
