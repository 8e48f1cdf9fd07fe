//! The SSRF guard (`10-platform.md` §3.4): which addresses outgoing deliveries may reach.
//!
//! At registration only `localhost` and literal refused addresses are turned away (names are
//! resolved later). At delivery the host is resolved at every attempt by [`GuardedResolver`],
//! which hands the HTTP client only addresses that passed the check, so the connection goes to
//! a checked address without a second lookup.

use std::error::Error;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Error text of an attempt refused by the guard.
pub const BLOCKED: &str = "blocked by SSRF guard";

/// True for an IPv4 address in a refused range.
fn refused_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0 // 0.0.0.0/8
        || a == 10 // 10/8
        || (a == 100 && (64..128).contains(&b)) // 100.64/10
        || a == 127 // 127/8
        || (a == 169 && b == 254) // 169.254/16
        || (a == 172 && (16..32).contains(&b)) // 172.16/12
        || (a == 192 && b == 0 && c == 0) // 192.0.0/24
        || (a == 192 && b == 168) // 192.168/16
        || (a == 198 && (b == 18 || b == 19)) // 198.18/15
        || a >= 224 // 224/4 and 240/4
}

/// True for an IPv6 address in a refused range, IPv4-mapped forms included.
fn refused_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return refused_v4(v4);
    }
    let first = ip.segments()[0];
    ip.is_unspecified() // ::
        || ip.is_loopback() // ::1
        || (first & 0xfe00) == 0xfc00 // fc00::/7
        || (first & 0xffc0) == 0xfe80 // fe80::/10
        || (first & 0xff00) == 0xff00 // ff00::/8
}

/// True when deliveries must not connect to `ip`.
pub fn is_refused(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => refused_v6(v6),
    }
}

/// Registration check: `localhost` (any case, trailing dot or subdomain) or a literal refused
/// address. Host names are checked at delivery.
pub fn is_private_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => refused_v4(ip),
        Some(Host::Ipv6(ip)) => refused_v6(ip),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => true,
    }
}

/// Delivery check of a URL whose host is a literal address (the resolver never sees those).
pub fn literal_is_refused(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => refused_v4(ip),
        Some(Host::Ipv6(ip)) => refused_v6(ip),
        _ => false,
    }
}

/// The resolver refused every address of a host.
#[derive(Debug)]
pub struct SsrfRefused;

impl std::fmt::Display for SsrfRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(BLOCKED)
    }
}

impl Error for SsrfRefused {}

/// True when an HTTP client error was caused by the guard.
pub fn caused_by_guard(err: &(dyn Error + 'static)) -> bool {
    let mut current: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(e) = current {
        if e.is::<SsrfRefused>() {
            return true;
        }
        // `io::Error` hides its payload from `source()`: look inside it too.
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if caused_by_guard(inner) {
                return true;
            }
        }
        current = e.source();
    }
    false
}

/// Resolves with tokio's resolver and keeps only addresses that pass the check (all of them when
/// private webhooks are allowed).
#[derive(Clone, Copy, Debug)]
pub struct GuardedResolver {
    /// `MPAAS_ALLOW_PRIVATE_WEBHOOKS`.
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || !is_refused(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(Box::new(SsrfRefused) as Box<dyn Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(ip: &str) -> bool {
        is_refused(ip.parse().unwrap())
    }

    #[test]
    fn refuses_every_listed_ipv4_range_at_its_edges() {
        for ip in [
            "0.0.0.0",
            "0.255.255.255",
            "10.0.0.0",
            "10.255.255.255",
            "100.64.0.0",
            "100.127.255.255",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.0.1",
            "169.254.169.254",
            "172.16.0.0",
            "172.31.255.255",
            "192.0.0.0",
            "192.0.0.255",
            "192.168.0.1",
            "192.168.255.255",
            "198.18.0.0",
            "198.19.255.255",
            "224.0.0.1",
            "239.255.255.255",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(refused(ip), "{ip} is refused");
        }
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.0",
            "192.0.2.1",
            "192.167.255.255",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
        ] {
            assert!(!refused(ip), "{ip} is allowed");
        }
    }

    #[test]
    fn refuses_ipv6_ranges_and_mapped_ipv4() {
        for ip in [
            "::",
            "::1",
            "fc00::1",
            "fdff:ffff::1",
            "fe80::1",
            "febf::1",
            "ff02::1",
            "ff00::",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::ffff:192.168.1.1",
            "::ffff:0.0.0.0",
        ] {
            assert!(refused(ip), "{ip} is refused");
        }
        for ip in [
            "2001:4860:4860::8888",
            "2606:4700::1111",
            "fec0::1",
            "fbff::1",
            "::ffff:8.8.8.8",
            "::2",
        ] {
            assert!(!refused(ip), "{ip} is allowed");
        }
    }

    #[test]
    fn registration_refuses_localhost_and_literal_private_addresses() {
        let private = |u: &str| is_private_host(&Url::parse(u).unwrap());
        for u in [
            "http://localhost/x",
            "http://LOCALHOST:8080/",
            "http://localhost./",
            "http://api.localhost/",
            "http://127.0.0.1:1/x",
            "http://127.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "https://10.0.0.1/",
            "http://169.254.169.254/latest/meta-data",
        ] {
            assert!(private(u), "{u} is private");
        }
        for u in [
            "https://hooks.example.com/x",
            "http://8.8.8.8/",
            "http://[2001:db8::1]/",
            "http://localhost.example.com/",
        ] {
            assert!(!private(u), "{u} is not private at registration");
        }
    }

    #[test]
    fn delivery_checks_literals_and_spots_guard_errors() {
        assert!(literal_is_refused(
            &Url::parse("http://[::ffff:10.0.0.1]:80/").unwrap()
        ));
        assert!(
            !literal_is_refused(&Url::parse("http://localhost/").unwrap()),
            "names go through the resolver"
        );
        let wrapped = std::io::Error::other(SsrfRefused);
        assert!(caused_by_guard(&wrapped));
        assert!(!caused_by_guard(&std::io::Error::other("refused")));
    }

    #[tokio::test]
    async fn the_resolver_drops_refused_addresses() {
        let guarded = GuardedResolver {
            allow_private: false,
        };
        let err = guarded
            .resolve("localhost".parse().unwrap())
            .await
            .err()
            .expect("localhost is refused");
        assert!(caused_by_guard(err.as_ref()));
        let open = GuardedResolver {
            allow_private: true,
        };
        let addrs: Vec<SocketAddr> = open
            .resolve("localhost".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}
