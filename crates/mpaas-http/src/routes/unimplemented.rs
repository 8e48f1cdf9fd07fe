//! Vendor endpoints not in this version: known routes (scopes, 405, auth and rate limit apply)
//! that answer 501 `Not implemented in this version`.

use axum::http::{Method, StatusCode};
use axum::routing::{MethodFilter, MethodRouter};
use utoipa::openapi::path::{HttpMethod, OperationBuilder};
use utoipa::openapi::{Content, Ref, ResponseBuilder};
use utoipa_axum::router::OpenApiRouter;

use crate::problem::ApiError;
use crate::state::AppState;

/// The complete list from `01-auth-tenancy.md`, Not in this version.
const NOT_IMPLEMENTED: [(Method, &str); 23] = [
    (Method::GET, "/v1.0/account/services"),
    (Method::GET, "/v1.0/account/workgroups"),
    (Method::GET, "/v1.0/account/schedules"),
    (Method::POST, "/v1.0/services"),
    (Method::GET, "/v1.0/services"),
    (Method::POST, "/v1.0/services/update"),
    (Method::GET, "/v1.0/services/items"),
    (Method::POST, "/v1.0/services/items/add"),
    (Method::POST, "/v1.0/services/items/update"),
    (Method::POST, "/v1.0/subscriptions/features/add"),
    (Method::POST, "/v1.0/subscriptions/features/update"),
    (Method::POST, "/v1.0/numbers/voicemail/activate"),
    (Method::POST, "/v1.0/numbers/voicemail/info"),
    (Method::POST, "/v1.0/numbers/voicemail/update"),
    (Method::POST, "/v1.0/workgroups"),
    (Method::GET, "/v1.0/workgroups"),
    (Method::POST, "/v1.0/workgroups/update"),
    (Method::POST, "/v1.0/workgroups/activity"),
    (Method::POST, "/v1.0/workgroups/activity/update"),
    (Method::POST, "/v1.0/workgroups/activity/delete"),
    (Method::POST, "/v1.0/schedules"),
    (Method::POST, "/v1.0/numbers/cancel"),
    (Method::POST, "/v1.0/numbers/cancel-portin"),
];

async fn not_implemented() -> ApiError {
    ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "Not implemented in this version",
    )
}

fn documented(method: &Method) -> HttpMethod {
    if method == Method::GET {
        HttpMethod::Get
    } else {
        HttpMethod::Post
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new();
    let mut by_path: Vec<(&str, Vec<Method>)> = Vec::new();
    for (method, path) in &NOT_IMPLEMENTED {
        match by_path.iter_mut().find(|(p, _)| p == path) {
            Some((_, methods)) => methods.push(method.clone()),
            None => by_path.push((path, vec![method.clone()])),
        }
    }
    for (path, methods) in by_path {
        let route = methods.iter().fold(MethodRouter::new(), |route, m| {
            route.on(
                if m == Method::GET {
                    MethodFilter::GET
                } else {
                    MethodFilter::POST
                },
                not_implemented,
            )
        });
        router = router.route(path, route);
        for method in &methods {
            let response = ResponseBuilder::new()
                .description("Not implemented in this version")
                .content(
                    "application/problem+json",
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                );
            let operation = OperationBuilder::new()
                .tag("Not implemented")
                .summary(Some("Vendor endpoint not in this version"))
                .response("501", response)
                .build();
            router.get_openapi_mut().paths.add_path_operation(
                path,
                vec![documented(method)],
                operation,
            );
        }
    }
    router
}
