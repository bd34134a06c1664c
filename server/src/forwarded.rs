//! The client's address behind a proxy: `X-Forwarded-For` is believed only when the peer is one
//! of the trusted proxies (`--trusted-proxies`); then the client is the right-most address in it
//! that is not itself a trusted proxy. From any other peer the header is ignored, so a client
//! cannot choose the address its security log lines name.

use std::net::{IpAddr, SocketAddr};

/// The client address of a request from `peer` carrying `forwarded_for` (the header's value).
pub fn client_addr(
    peer: Option<SocketAddr>,
    forwarded_for: Option<&str>,
    trusted: &[IpAddr],
) -> String {
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    if !trusted.contains(&peer.ip()) {
        return peer.ip().to_string();
    }
    forwarded_for
        .into_iter()
        .flat_map(|value| value.rsplit(','))
        .map(str::trim)
        .map(|hop| hop.parse::<IpAddr>())
        .map_while(Result::ok)
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer.ip())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().unwrap(), 40000))
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let trusted: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()];
        assert_eq!(
            client_addr(peer("10.0.0.1"), Some("203.0.113.7"), &trusted),
            "203.0.113.7"
        );
        // A client's own forged entry sits left of what the proxies appended.
        assert_eq!(
            client_addr(
                peer("10.0.0.1"),
                Some("1.2.3.4, 203.0.113.7, 10.0.0.2"),
                &trusted
            ),
            "203.0.113.7"
        );
        assert_eq!(
            client_addr(peer("198.51.100.9"), Some("1.2.3.4"), &trusted),
            "198.51.100.9"
        );
        // Garbage from a trusted proxy: its own address.
        assert_eq!(
            client_addr(peer("10.0.0.1"), Some("not-an-ip"), &trusted),
            "10.0.0.1"
        );
        assert_eq!(client_addr(peer("10.0.0.1"), None, &trusted), "10.0.0.1");
        assert_eq!(client_addr(None, Some("1.2.3.4"), &trusted), "unknown");
    }
}
