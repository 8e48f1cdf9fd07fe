//! The OpenAPI document: every routed endpoint documented, no sandbox paths without the sandbox,
//! and the committed snapshot.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;

use crate::common::{TestApp, ADMIN_TOKEN};
use crate::support::{first_difference, openapi_of};

/// Operations the server routes (files 01 and 02, the 501 list, events, jobs, the sandbox clock).
const ROUTED: [(&str, &str); 96] = [
    ("post", "/v1.0/oauth2/tokens"),
    ("post", "/v1.0/distributor/create"),
    ("post", "/v1.0/distributor/update"),
    ("post", "/v1.0/account/create"),
    ("post", "/v1.0/account/update"),
    ("get", "/v1.0/account"),
    ("get", "/v1.0/distributor/accounts"),
    ("post", "/v1.0/subscribers/create"),
    ("post", "/v1.0/subscribers"),
    ("post", "/v1.0/subscribers/update"),
    ("get", "/v1.0/subscribers/get"),
    ("post", "/v1.0/subscribers/transfer"),
    ("post", "/v1.0/subscribers/delete"),
    ("get", "/v1.0/distributor/subscribers"),
    ("post", "/admin/v1/distributors"),
    ("get", "/admin/v1/distributors"),
    ("get", "/admin/v1/distributors/{id}"),
    ("post", "/admin/v1/distributors/{id}/rotate-secret"),
    ("post", "/admin/v1/distributors/{id}/rate-limit"),
    ("post", "/admin/v1/signing-key/rotate"),
    ("get", "/admin/v1/jobs"),
    ("post", "/admin/v1/jobs/{id}/retry"),
    ("get", "/v1.0/events"),
    ("get", "/sandbox/v1/clock"),
    ("post", "/sandbox/v1/clock/advance"),
    ("post", "/sandbox/v1/clock/freeze"),
    ("get", "/v1.0/account/services"),
    ("get", "/v1.0/account/workgroups"),
    ("get", "/v1.0/account/schedules"),
    ("post", "/v1.0/services"),
    ("get", "/v1.0/services"),
    ("post", "/v1.0/services/update"),
    ("get", "/v1.0/services/items"),
    ("post", "/v1.0/services/items/add"),
    ("post", "/v1.0/services/items/update"),
    ("post", "/v1.0/subscriptions/features/add"),
    ("post", "/v1.0/subscriptions/features/update"),
    ("post", "/v1.0/numbers/voicemail/activate"),
    ("post", "/v1.0/numbers/voicemail/info"),
    ("post", "/v1.0/numbers/voicemail/update"),
    ("post", "/v1.0/workgroups"),
    ("get", "/v1.0/workgroups"),
    ("post", "/v1.0/workgroups/update"),
    ("post", "/v1.0/workgroups/activity"),
    ("post", "/v1.0/workgroups/activity/update"),
    ("post", "/v1.0/workgroups/activity/delete"),
    ("post", "/v1.0/schedules"),
    ("post", "/v1.0/numbers/cancel"),
    ("post", "/v1.0/message/routes"),
    ("get", "/v1.0/message/routes"),
    ("post", "/v1.0/message/routes/update"),
    ("post", "/v1.0/message/routes/delete"),
    ("get", "/v1.0/account/message/routes"),
    ("post", "/v1.0/voice/routes"),
    ("get", "/v1.0/voice/routes"),
    ("post", "/v1.0/voice/routes/update"),
    ("post", "/v1.0/voice/routes/delete"),
    ("get", "/v1.0/account/voice/routes"),
    ("post", "/v1.0/products"),
    ("get", "/v1.0/products"),
    ("post", "/v1.0/products/update"),
    ("get", "/v1.0/account/products"),
    ("post", "/v1.0/packages"),
    ("get", "/v1.0/packages"),
    ("post", "/v1.0/packages/update"),
    ("get", "/v1.0/account/packages"),
    ("post", "/v1.0/packages/items/add"),
    ("post", "/v1.0/packages/items/update"),
    ("post", "/v1.0/packages/items/delete"),
    ("get", "/v1.0/packages/items"),
    ("get", "/v1.0/packages/subscriptions"),
    ("post", "/admin/v1/distributors/{id}/seed-catalog"),
    ("post", "/v1.0/subscriptions"),
    ("get", "/v1.0/subscriptions"),
    ("post", "/v1.0/subscriptions/delete"),
    ("get", "/v1.0/distributor/subscriptions"),
    ("get", "/v1.0/account/subscriptions"),
    ("post", "/v1.0/numbers/availability"),
    ("post", "/v1.0/numbers/provision"),
    ("get", "/v1.0/numbers/order"),
    ("get", "/v1.0/numbers/inventory"),
    ("get", "/v1.0/numbers"),
    ("get", "/esim/qr/{file}"),
    ("get", "/sandbox/v1/inventory/pools"),
    ("get", "/sandbox/v1/network/policies"),
    ("get", "/sandbox/v1/network/services"),
    ("post", "/sandbox/v1/network/services/status"),
    ("post", "/v1.0/numbers/status"),
    ("post", "/v1.0/numbers/reactivate"),
    ("post", "/v1.0/numbers/reactivation"),
    ("post", "/v1.0/numbers/order/cancel"),
    ("post", "/v1.0/numbers/update"),
    ("post", "/v1.0/sims/clear-status"),
    ("post", "/v1.0/sims/update-status"),
    ("post", "/v1.0/sims/import"),
    ("get", "/v1.0/sims"),
];

const HTTP_METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// `(method, path)` of every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in HTTP_METHODS {
            if item.get(method).is_some() {
                out.insert((method.to_string(), path.clone()));
            }
        }
    }
    out
}

#[tokio::test]
async fn openapi_documents_every_routed_endpoint() {
    let app = TestApp::start().await;
    let doc = openapi_of(&app).await;
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "openapi = {}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let ops = documented(&doc);
    for (method, path) in ROUTED
        .iter()
        .chain([("post", "/v1.0/numbers/cancel-portin")].iter())
    {
        assert!(
            ops.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is not documented"
        );
    }
    // Every documented operation is routed: never 404 or 405 (no token: 401, or 400 for the token call).
    for (method, path) in &ops {
        let concrete = path.replace("{id}", "DID-0");
        let resp = app
            .request(
                method.to_uppercase().parse().unwrap(),
                &concrete,
                None,
                None,
            )
            .await;
        // The token call and the public QR images answer without a token.
        let expected = match path.as_str() {
            "/v1.0/oauth2/tokens" => 400,
            "/esim/qr/{file}" => 404,
            _ => 401,
        };
        assert_eq!(
            resp.status.as_u16(),
            expected,
            "{method} {path}: {}",
            resp.text
        );
        let op = &doc["paths"][path][method];
        assert!(
            op["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{method} {path} documents responses"
        );
    }
    // The 501 endpoints say so.
    let not_implemented = &doc["paths"]["/v1.0/services/items/add"]["post"];
    assert!(
        not_implemented["responses"]["501"].is_object(),
        "{not_implemented}"
    );
    // Extensions are flagged and tagged; vendor endpoints are not.
    for (method, path) in [
        ("get", "/v1.0/account"),
        ("post", "/v1.0/subscribers/delete"),
        ("get", "/v1.0/events"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(op["x-mpaas-extension"], true, "{method} {path}: {op}");
        assert!(
            op["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "Extensions"),
            "{method} {path}: {op}"
        );
    }
    for (method, path) in [
        ("post", "/v1.0/account/create"),
        ("post", "/v1.0/oauth2/tokens"),
        ("get", "/v1.0/subscribers/get"),
    ] {
        assert!(
            doc["paths"][path][method]
                .get("x-mpaas-extension")
                .is_none(),
            "{method} {path} is a vendor endpoint"
        );
    }
    // Shared pieces: the problem schema and the two bearer schemes.
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["securitySchemes"]["admin"].is_object());
    app.stop().await;
}

#[tokio::test]
async fn openapi_without_the_sandbox_has_no_sandbox_paths() {
    let app = TestApp::start_with(|c| c.sandbox = false).await;
    let doc = openapi_of(&app).await;
    let sandbox: Vec<String> = documented(&doc)
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| p.starts_with("/sandbox/"))
        .collect();
    assert!(sandbox.is_empty(), "{sandbox:?}");
    assert!(doc["paths"]["/v1.0/account/create"]["post"].is_object());
    let probe = app
        .request(Method::GET, "/sandbox/v1/clock", Some(ADMIN_TOKEN), None)
        .await;
    probe.assert_problem(404, probe.detail());
    app.stop().await;
}

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

#[tokio::test]
async fn openapi_matches_the_committed_snapshot() {
    let app = TestApp::start().await;
    let served = openapi_of(&app).await;
    app.stop().await;
    if std::env::var("MPAAS_UPDATE_SNAPSHOTS").is_ok_and(|v| !v.is_empty() && v != "0") {
        std::fs::create_dir_all(std::path::Path::new(SNAPSHOT).parent().unwrap()).unwrap();
        std::fs::write(
            SNAPSHOT,
            serde_json::to_string_pretty(&served).unwrap() + "\n",
        )
        .unwrap();
        eprintln!("updated {SNAPSHOT}");
    }
    let committed = std::fs::read_to_string(SNAPSHOT).unwrap_or_else(|e| {
        panic!("cannot read {SNAPSHOT} ({e}); create it with MPAAS_UPDATE_SNAPSHOTS=1 cargo test -p mpaas --test operations openapi_matches_the_committed_snapshot")
    });
    let committed: Value = serde_json::from_str(&committed).expect("the snapshot is JSON");
    if let Some(diff) = first_difference(&committed, &served, "") {
        panic!(
            "the served OpenAPI document differs from {SNAPSHOT} at {diff}\n\
             If the change is intended, update the snapshot with\n  \
             MPAAS_UPDATE_SNAPSHOTS=1 cargo test -p mpaas --test operations openapi_matches_the_committed_snapshot\n\
             and commit it."
        );
    }
}
