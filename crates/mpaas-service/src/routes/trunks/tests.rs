//! Unit tests of the trunk, whitelist, subdomain, streaming and forward rules.

use super::*;

fn set<T>(v: T) -> Patch<T> {
    Patch::Set(v)
}

#[test]
fn trunk_defaults_apply_only_to_a_configured_trunk() {
    let mut errors = ValidationErrors::default();
    let input = TrunkInput {
        ip: set(" 2001:DB8::1 ".into()),
        transport: set("tls".into()),
        ..Default::default()
    };
    let t = merge_trunk(2, &TrunkRow::default(), input, &mut errors);
    assert!(errors.is_empty());
    assert_eq!(t.ip.as_deref(), Some("2001:db8::1"));
    assert_eq!((t.port, t.transport.as_deref()), (Some(5061), Some("TLS")));
    assert_eq!((t.enabled, t.priority, t.weight), (true, Some(2), Some(1)));
    let input = TrunkInput {
        port: set("5070".into()),
        enabled: set(true),
        ..Default::default()
    };
    let t = merge_trunk(1, &TrunkRow::default(), input, &mut errors);
    assert_eq!(t, TrunkRow::default(), "unconfigured: null and disabled");
    let clear = TrunkInput {
        ip: Patch::Clear,
        ..Default::default()
    };
    let configured = TrunkRow {
        ip: Some("203.0.113.1".into()),
        ..TrunkRow::default()
    };
    assert_eq!(
        merge_trunk(1, &configured, clear, &mut errors),
        TrunkRow::default()
    );
    assert!(errors.is_empty());
}

#[test]
fn trunk_values_are_checked() {
    let mut errors = ValidationErrors::default();
    let input = TrunkInput {
        ip: set("sbc.example.com".into()),
        port: set("70000".into()),
        transport: set("SCTP".into()),
        uri: set("has space".into()),
        ..Default::default()
    };
    merge_trunk(1, &TrunkRow::default(), input, &mut errors);
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "TrunkIp1 must be an IPv4 or IPv6 address",
            "TrunkUri1 must be a sip: or sips: URI, an http(s) URL or a host name",
            "TrunkTransport1 must be one of: UDP, TCP, TLS",
            "TrunkPort1 must be between 1 and 65535",
        ]
    );
    for ok in [
        "sip:sbc1.example.com",
        "SIPS:a@b",
        "https://sbc.example.com/x",
        "sbc.example.com",
    ] {
        assert!(trunk_uri(ok).is_some(), "{ok}");
    }
    for bad in ["sip:", "ftp://x", "-bad.example.com", &"a".repeat(256)] {
        assert!(trunk_uri(bad).is_none(), "{bad}");
    }
}

#[test]
fn whitelists_collapse_duplicates_and_cap_the_size() {
    let mut errors = ValidationErrors::default();
    let raw = vec![
        "10.0.0.1".into(),
        "10.0.0.0/8".into(),
        " 10.0.0.1".into(),
        "::1/128".into(),
    ];
    let list = merge_whitelist(set(raw), Vec::new(), &mut errors);
    let ips: Vec<&str> = list.iter().map(|e| e.ip_address.as_str()).collect();
    assert_eq!(ips, ["10.0.0.1", "10.0.0.0/8", "::1/128"]);
    assert!(errors.is_empty());
    let raw = vec!["10.0.0.0/33".into(), "x".into(), "10.0.0.0/+8".into()];
    merge_whitelist(set(raw), Vec::new(), &mut errors);
    assert_eq!(errors.iter().count(), 3);
    let many: Vec<String> = (0..51).map(|i| format!("192.0.2.{i}")).collect();
    let mut errors = ValidationErrors::default();
    merge_whitelist(set(many), Vec::new(), &mut errors);
    assert_eq!(
        errors.first_message(),
        "IpWhitelist must contain at most 50 items"
    );
}

#[test]
fn subdomains_wss_and_forward_targets() {
    assert_eq!(subdomain(" Acme-Voice1 ").as_deref(), Some("acme-voice1"));
    for bad in ["", "-a", "a-", "a_b", "ü", &"a".repeat(64)] {
        assert_eq!(subdomain(bad), None, "{bad}");
    }
    assert!(wss_uri("wss://stream.example.com/x", false).is_ok());
    assert_eq!(
        wss_uri("https://stream.example.com", true),
        Err(WssProblem::Invalid)
    );
    assert_eq!(
        wss_uri("wss://127.0.0.1/x", false),
        Err(WssProblem::Private)
    );
    assert!(wss_uri("wss://127.0.0.1/x", true).is_ok());
    assert_eq!(
        forward_target("TEL:+1 801 555 1234").as_deref(),
        Some("tel:+18015551234")
    );
    assert_eq!(
        forward_target("8015551234").as_deref(),
        Some("tel:+18015551234")
    );
    assert_eq!(forward_target("https://x.example.com"), None);
    assert_eq!(forward_target("tél:1"), None);
}
