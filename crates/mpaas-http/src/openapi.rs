//! The OpenAPI 3.1 document, generated from the handlers' annotations and the wire types.

use axum::http::Method;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};

use crate::problem::Problem;
use crate::registry::Registry;

/// `/v1.0` endpoints that are mpaas extensions, flagged `x-mpaas-extension` and tagged
/// `Extensions` in the document.
const EXTENSION_ENDPOINTS: [&str; 14] = [
    "/v1.0/account",
    "/v1.0/packages/update",
    "/v1.0/subscribers/delete",
    "/v1.0/events",
    "/v1.0/webhooks",
    "/v1.0/webhooks/update",
    "/v1.0/webhooks/delete",
    "/v1.0/webhooks/rotate-secret",
    "/v1.0/webhooks/test",
    "/v1.0/webhooks/deliveries",
    "/v1.0/webhooks/replay",
    "/v1.0/numbers/order/cancel",
    "/v1.0/sims/import",
    "/v1.0/sims",
];

/// Root of the document: info, shared schemas and security schemes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "mpaas",
        description = "Self-hostable MVNO provisioning platform, wire-compatible with the Telegent mPaaS Core API v1.0. \
            Every error is application/problem+json; every response carries X-Request-Id.",
        license(name = "Apache-2.0")
    ),
    components(schemas(Problem, mpaas_core::Address)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "Authentication", description = "Endpoint-scoped bearer tokens"),
        (name = "Distributors", description = "Distributors (API credential holders)"),
        (name = "Accounts", description = "Accounts: a family or a business"),
        (name = "Subscribers", description = "Subscribers and roles"),
        (name = "Message routes", description = "Where a number's SMS/MMS and delivery receipts go (MRID)"),
        (name = "Voice routes", description = "Where a number's calls go (CRID)"),
        (name = "Products", description = "The distributor's catalogue of billable units"),
        (name = "Packages", description = "Products bundled at one price, and their items"),
        (name = "Subscriptions", description = "A package tied to a subscriber's number"),
        (name = "Numbers", description = "Inventory, provisioning, orders and the number lifecycle"),
        (name = "SIMs", description = "SIM stock, status and eSIM profiles"),
        (name = "Events", description = "The events outbox (Extension)"),
        (name = "Webhooks", description = "Webhook endpoints, signed deliveries and replay (Extension)"),
        (name = "Admin", description = "The operator's admin API (Extension)"),
        (name = "Extensions", description = "mpaas extensions to the vendor API"),
        (name = "Not implemented", description = "Vendor endpoints not in this version (501)"),
        (name = "Sandbox", description = "Network simulator and platform clock (only with MPAAS_SANDBOX=true)"),
        (name = "Operations", description = "Health, readiness and metrics")
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.bearer_format = Some("JWT".into());
        bearer.description =
            Some("Token from POST /v1.0/oauth2/tokens, scoped to the endpoint path".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        let mut admin = Http::new(HttpAuthScheme::Bearer);
        admin.description = Some("MPAAS_ADMIN_TOKEN".into());
        components.add_security_scheme("admin", SecurityScheme::Http(admin));
    }
}

/// The methods documented for each path.
fn operations(api: &OpenApiDoc) -> Vec<(Method, String)> {
    let mut out = Vec::new();
    for (path, item) in &api.paths.paths {
        let pairs = [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::DELETE, item.delete.is_some()),
            (Method::PATCH, item.patch.is_some()),
        ];
        out.extend(
            pairs
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| (m, path.clone())),
        );
    }
    out
}

/// The endpoint registry of a document.
pub fn registry_of(api: &OpenApiDoc) -> Registry {
    let ops = operations(api);
    Registry::new(ops.iter().map(|(m, p)| (m.clone(), p.as_str())))
}

/// The served JSON: extensions flagged and tagged.
pub fn finish(api: OpenApiDoc) -> serde_json::Value {
    let mut doc = serde_json::to_value(&api).unwrap_or_default();
    for path in EXTENSION_ENDPOINTS {
        let Some(item) = doc.pointer_mut(&format!(
            "/paths/{}",
            path.replace('~', "~0").replace('/', "~1")
        )) else {
            continue;
        };
        let Some(ops) = item.as_object_mut() else {
            continue;
        };
        for op in ops.values_mut().filter_map(|op| op.as_object_mut()) {
            op.insert("x-mpaas-extension".into(), serde_json::Value::Bool(true));
            let tags = op.entry("tags").or_insert_with(|| serde_json::json!([]));
            if let Some(list) = tags.as_array_mut() {
                list.push("Extensions".into());
            }
        }
    }
    doc
}
