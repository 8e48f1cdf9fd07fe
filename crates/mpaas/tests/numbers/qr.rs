//! `GET /esim/qr/{token}.png` (05 §1.6): served without authentication, never cached or
//! indexed, and decodes to the activation code; unknown tokens are 404.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{decode_qr, line, number, provision, single, text};

#[tokio::test]
async fn serves_the_activation_code_as_a_png_without_auth() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({}))).await.ok();
    let url = text(&answer, "QRCode");

    // A client with no credentials at all.
    let resp = reqwest::get(&url).await.expect("QR request");
    assert_eq!(resp.status(), 200);
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(header("content-type").as_deref(), Some("image/png"));
    assert_eq!(header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"));
    assert_eq!(header("x-robots-tag").as_deref(), Some("noindex"));
    let png = resp.bytes().await.expect("PNG body");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG signature");
    assert_eq!(decode_qr(&png), text(&answer, "ActivationCode"));

    // The number's details point at the same image.
    let details = number(&app, &text(&answer, "PhoneNumberAssigned")).await;
    assert_eq!(details["QRCode"], url.as_str());

    // Another line gets another profile and another image.
    let other = provision(&app, single(&line, json!({}))).await.ok();
    assert_ne!(other["QRCode"], answer["QRCode"]);
    assert_ne!(other["ActivationCode"], answer["ActivationCode"]);
    let png = reqwest::get(text(&other, "QRCode"))
        .await
        .expect("QR request")
        .bytes()
        .await
        .expect("PNG body");
    assert_eq!(decode_qr(&png), text(&other, "ActivationCode"));
    app.stop().await;
}

#[tokio::test]
async fn unknown_tokens_are_not_found() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({}))).await.ok();
    let url = text(&answer, "QRCode");
    let token = url
        .rsplit('/')
        .next()
        .and_then(|f| f.strip_suffix(".png"))
        .expect("token")
        .to_string();
    // Tokens are case-sensitive; a changed letter is another token.
    let flipped: String = token
        .chars()
        .map(|c| match c {
            'a'..='z' => c.to_ascii_uppercase(),
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => c,
        })
        .collect();
    let unknown = [
        format!("/esim/qr/{}.png", "A".repeat(43)),
        format!("/esim/qr/{flipped}.png"),
        format!("/esim/qr/{token}"),
        format!("/esim/qr/{token}.jpg"),
        "/esim/qr/.png".to_string(),
    ];
    for path in unknown {
        let resp = app.request(reqwest::Method::GET, &path, None, None).await;
        assert_eq!(resp.status.as_u16(), 404, "{path}: {}", resp.text);
        assert_ne!(resp.header("content-type"), Some("image/png"), "{path}");
    }
    app.stop().await;
}
