//! Authentication, scope, rate limit and idempotency for every API request, in the contract's
//! order: unknown paths (404) and wrong methods (405) are left to the router first.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mpaas_service::{Caller, RateStatus};

use super::idempotency;
use crate::problem::ApiError;
use crate::registry::Access;
use crate::state::AppState;

/// The guard middleware.
pub async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let Some(known) = state.registry.lookup(&path) else {
        return next.run(req).await;
    };
    if !known.allows(req.method()) || known.access == Access::Public {
        return next.run(req).await;
    }
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let caller = match known.access {
        Access::Admin => admin_caller(&state, authorization.as_deref()),
        access => state
            .services
            .authenticate(
                authorization.as_deref(),
                &path,
                access == Access::DistributorOrAdmin,
            )
            .await
            .map_err(ApiError::from),
    };
    let caller = match caller {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let rate = match &caller {
        Caller::Distributor(id) => match state.services.check_rate_limit(id).await {
            Ok(rate) => rate,
            Err(e) => return ApiError::from(e).into_response(),
        },
        Caller::Admin => None,
    };
    req.extensions_mut().insert(caller.clone());
    let mut response =
        if req.method() == Method::POST && req.headers().contains_key("idempotency-key") {
            idempotency::run(&state, &caller, &path, req, next).await
        } else {
            next.run(req).await
        };
    if let Some(rate) = rate {
        add_rate_headers(&mut response, rate);
    }
    response
}

fn admin_caller(state: &AppState, authorization: Option<&str>) -> Result<Caller, ApiError> {
    let unauthorized = |msg: &str| {
        ApiError::new(StatusCode::UNAUTHORIZED, msg).with_header(header::WWW_AUTHENTICATE, "Bearer")
    };
    let Some(admin) = &state.services.settings().admin_token else {
        return Err(unauthorized("Admin API is disabled"));
    };
    let presented = authorization
        .and_then(|h| h.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match presented {
        Some(token) if mpaas_service::secrets::constant_time_eq(token, admin) => Ok(Caller::Admin),
        _ => Err(unauthorized("Admin token required")),
    }
}

fn add_rate_headers(response: &mut Response, rate: RateStatus) {
    let headers = response.headers_mut();
    for (name, value) in [
        ("ratelimit-limit", rate.limit),
        ("ratelimit-remaining", rate.remaining),
        ("ratelimit-reset", rate.reset_secs),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}
