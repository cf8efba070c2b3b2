//! Who is on the other end of a request: the socket's peer, or, only when that peer is one of
//! the configured trusted proxies (`--trusted-proxy CIDR`), the client the proxy names in
//! `X-Forwarded-For`, and whether the proxy says the request came over HTTPS. Headers from
//! anyone else change nothing, so a client cannot pick its own address or scheme.

use crate::state::{AppState, Config};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use std::convert::Infallible;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

/// An address range such as `10.0.0.0/8` or `fd00::/8`; a bare address is a range of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => mask(u32::from(ip).into(), self.prefix, 32) == u32::from(net).into(),
            (IpAddr::V6(net), IpAddr::V6(ip)) => mask(u128::from(ip), self.prefix, 128) == u128::from(net),
            _ => false,
        }
    }
}

/// `bits` with only its first `prefix` bits (of `width`) kept.
fn mask(bits: u128, prefix: u8, width: u8) -> u128 {
    let host_bits = u32::from(width - prefix);
    bits.checked_shr(host_bits).and_then(|b| b.checked_shl(host_bits)).unwrap_or(0)
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (address, prefix) = text.split_once('/').map_or((text, None), |(a, p)| (a, Some(p)));
        let network: IpAddr =
            address.parse().map_err(|_| format!("{text:?} is not an address range such as 10.0.0.0/8 or fd00::/8"))?;
        let network = network.to_canonical();
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("{text:?}: the prefix length must be a number from 0 to {width}"))?,
        };
        let cidr = Cidr { network, prefix };
        let bits = match network {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6),
        };
        if mask(bits, prefix, width) != bits {
            return Err(format!("{text:?} has bits set past its prefix /{prefix}; write the range's first address"));
        }
        Ok(cidr)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn trusted(proxies: &[Cidr], ip: IpAddr) -> bool {
    proxies.iter().any(|range| range.contains(ip))
}

/// The request's client and scheme as this server may believe them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    /// Served over HTTPS: configured so (`--secure-cookies`), or said so by a trusted proxy.
    pub https: bool,
}

impl Client {
    pub fn of(config: &Config, extensions: &Extensions, headers: &HeaderMap) -> Client {
        // Without connection info (a server not started through `serve`) every client is one
        // and the same, which errs on the side of throttling.
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip().to_canonical());
        let proxies = &config.trusted_proxies;
        if !trusted(proxies, peer) {
            return Client { ip: peer, https: config.secure_cookies };
        }
        Client { ip: forwarded_for(proxies, peer, headers), https: config.secure_cookies || forwarded_https(headers) }
    }

    /// The key sign-in throttling counts by: an IPv6 client usually holds a whole /64, so it is
    /// one client however many of its addresses it uses.
    pub fn throttling_key(&self) -> String {
        match self.ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("{}/64", std::net::Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        }
    }
}

/// The right-most address of `X-Forwarded-For` that is not itself a trusted proxy: everything
/// left of it was written by the client and proves nothing.
fn forwarded_for(proxies: &[Cidr], peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A proxy that writes something other than an address is misconfigured; the nearest
        // trusted hop is then the best that can be said.
        let Some(ip) = parse_hop(hop) else { return client };
        client = ip;
        if !trusted(proxies, ip) {
            break;
        }
    }
    client
}

/// An address as proxies write it: bare, or with a port (`1.2.3.4:5678`, `[::1]:5678`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let ip = hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))?;
    Some(ip.to_canonical())
}

/// The scheme the nearest proxy saw (the last value, as it appends its own).
fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Client, Infallible> {
        Ok(Client::of(&state.config, &parts.extensions, &parts.headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn cidrs(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|c| c.parse().expect("valid range")).collect()
    }

    fn client(proxies: &[&str], secure: bool, peer: &str, headers: &[(&'static str, &'static str)]) -> Client {
        let mut config = Config::new("d".into(), "s".into(), false);
        config.trusted_proxies = cidrs(proxies);
        config.secure_cookies = secure;
        let mut extensions = Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::new(peer.parse().expect("peer"), 40000)));
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, HeaderValue::from_static(value));
        }
        Client::of(&config, &extensions, &map)
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn ranges_match_their_addresses_only() {
        let ranges = cidrs(&["10.0.0.0/8", "192.168.1.7", "fd00::/8", "0.0.0.0/0"]);
        assert!(ranges[0].contains(ip("10.255.0.1")) && !ranges[0].contains(ip("11.0.0.1")));
        assert!(ranges[1].contains(ip("192.168.1.7")) && !ranges[1].contains(ip("192.168.1.8")));
        assert!(ranges[2].contains(ip("fd12::1")) && !ranges[2].contains(ip("fe80::1")));
        assert!(ranges[3].contains(ip("8.8.8.8")) && !ranges[3].contains(ip("::2")));
        assert!(ranges[0].contains(ip("::ffff:10.1.2.3")), "an IPv4 peer seen on an IPv6 socket");
        assert_eq!(ranges[2].to_string(), "fd00::/8");
    }

    #[test]
    fn a_bad_range_is_refused_with_a_reason() {
        for (text, reason) in [
            ("10.0.0.0/33", "from 0 to 32"),
            ("fd00::/129", "from 0 to 128"),
            ("10.0.0.1/8", "bits set past its prefix"),
            ("localhost", "not an address range"),
            ("10.0.0.0/x", "prefix length"),
        ] {
            let error = text.parse::<Cidr>().expect_err(text);
            assert!(error.contains(reason), "{text}: {error}");
        }
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let spoofed = [("x-forwarded-for", "6.6.6.6"), ("x-forwarded-proto", "https")];
        assert_eq!(client(&[], false, "1.2.3.4", &spoofed), Client { ip: ip("1.2.3.4"), https: false });
        assert_eq!(client(&["10.0.0.0/8"], false, "1.2.3.4", &spoofed), Client { ip: ip("1.2.3.4"), https: false });
        assert_eq!(client(&["10.0.0.0/8"], false, "10.0.0.2", &spoofed), Client { ip: ip("6.6.6.6"), https: true });
        assert!(client(&[], true, "1.2.3.4", &[]).https, "--secure-cookies says HTTPS whoever asks");
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_hop() {
        let proxies = ["10.0.0.0/8", "2001:db8::/32"];
        let through = |xff: &'static str| client(&proxies, false, "10.0.0.2", &[("x-forwarded-for", xff)]).ip;
        assert_eq!(through("6.6.6.6, 5.5.5.5, 10.1.1.1"), ip("5.5.5.5"), "the client wrote 6.6.6.6 itself");
        assert_eq!(through("[2001:db9::1]:443, 2001:db8::5"), ip("2001:db9::1"));
        assert_eq!(through("5.5.5.5:1234"), ip("5.5.5.5"));
        assert_eq!(through("10.3.3.3, 10.1.1.1"), ip("10.3.3.3"), "every hop trusted: the farthest one");
        assert_eq!(through("5.5.5.5, garbage, 10.1.1.1"), ip("10.1.1.1"), "no guessing past a bad hop");
        assert_eq!(client(&proxies, false, "10.0.0.2", &[]).ip, ip("10.0.0.2"));
        let two_headers =
            client(&proxies, false, "10.0.0.2", &[("x-forwarded-for", "6.6.6.6"), ("x-forwarded-for", "5.5.5.5")]);
        assert_eq!(two_headers.ip, ip("5.5.5.5"));
    }

    #[test]
    fn the_nearest_proxy_says_the_scheme() {
        let proto = |value: &'static str| client(&["10.0.0.0/8"], false, "10.0.0.2", &[("x-forwarded-proto", value)]);
        assert!(proto("HTTPS").https);
        assert!(proto("http, https").https);
        assert!(!proto("https, http").https);
    }

    #[test]
    fn an_ipv6_client_is_throttled_by_its_64() {
        let key = |text: &str| Client { ip: ip(text), https: false }.throttling_key();
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::2"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("1.2.3.4"), "1.2.3.4");
    }
}
