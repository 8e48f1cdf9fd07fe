//! The docs, served offline from the binary.

use reqwest::Method;

use crate::common::TestApp;

/// Hosts of the absolute http(s) URLs in a text.
fn absolute_url_hosts(text: &str) -> Vec<String> {
    let mut hosts = Vec::new();
    for scheme in ["http://", "https://"] {
        for (i, _) in text.match_indices(scheme) {
            let rest = &text[i + scheme.len()..];
            let end = rest
                .find(|c: char| {
                    !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
                })
                .unwrap_or(rest.len());
            hosts.push(rest[..end].to_string());
        }
    }
    hosts
}

/// Values of `src="…"` and `href="…"` attributes.
fn referenced_assets(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn docs_are_served_offline_from_the_binary() {
    let app = TestApp::start().await;
    let own_host = app.base.trim_start_matches("http://").to_string();
    let mut index = String::new();
    for path in ["/docs", "/docs/", "/docs/index.html"] {
        let resp = app.request(Method::GET, path, None, None).await;
        assert_eq!(resp.status, 200, "{path}: {}", resp.text);
        assert!(
            resp.header("content-type")
                .unwrap()
                .starts_with("text/html"),
            "{path}: {:?}",
            resp.headers
        );
        assert!(resp.text.contains("<html"), "{path}");
        index = resp.text;
    }
    let foreign: Vec<String> = absolute_url_hosts(&index)
        .into_iter()
        .filter(|h| *h != own_host)
        .collect();
    assert!(
        foreign.is_empty(),
        "index.html refers to other hosts: {foreign:?}"
    );
    let assets = referenced_assets(&index);
    let scripts: Vec<&String> = assets.iter().filter(|a| a.ends_with(".js")).collect();
    assert!(
        !scripts.is_empty() && assets.iter().any(|a| a.ends_with(".css")),
        "{assets:?}"
    );
    let mut initializer = None;
    for asset in &assets {
        assert!(
            !asset.contains("://") && !asset.starts_with("//"),
            "asset {asset} is not local"
        );
        let path = if asset.starts_with('/') {
            asset.clone()
        } else {
            format!("/docs/{}", asset.trim_start_matches("./"))
        };
        let resp = app.request(Method::GET, &path, None, None).await;
        assert_eq!(resp.status, 200, "{asset} from {path}");
        assert!(!resp.text.is_empty(), "{asset} is empty");
        if asset.contains("initializer") {
            initializer = Some(resp.text);
        }
    }
    let initializer = initializer.expect("index.html loads an initializer script");
    let foreign: Vec<String> = absolute_url_hosts(&initializer)
        .into_iter()
        .filter(|h| *h != own_host)
        .collect();
    assert!(
        foreign.is_empty(),
        "the initializer refers to other hosts: {foreign:?}\n{initializer}"
    );
    assert!(
        initializer.contains("/openapi.json"),
        "the docs render this server's document:\n{initializer}"
    );
    // Swagger UI's online validator badge would call validator.swagger.io unless switched off.
    assert!(
        initializer.contains("\"validatorUrl\": \"none\""),
        "the online validator is switched off:\n{initializer}"
    );
    app.stop().await;
}
