//! `POST /v1.0/oauth2/tokens`: credentials for an endpoint-scoped bearer token.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::Body;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Token request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct TokenRequest {
    /// Distributor key (`DID-…`), compared case-insensitively.
    account_key: String,
    /// The distributor's secret.
    account_secret: String,
    /// Absolute URL or bare path of the endpoint the token is for; `/*` suffix for a prefix.
    #[schema(example = "https://api.telegent.com/v1.0/account/create")]
    api_endpoint: String,
}

/// Token response (the one camelCase body of the API).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    /// HS256 JWT.
    token: String,
    /// Always `true`.
    successful: bool,
    /// Expiry in UTC, `MM/DD/YYYY hh:mm:ss AM/PM`.
    #[schema(example = "11/03/2025 11:05:12 AM")]
    token_expiry: String,
    /// `ApiEndpoint` as sent.
    api_endpoint: String,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mint))
}

fn required(
    fields: &mut crate::extract::Fields,
    name: &str,
    max: usize,
) -> Result<String, ApiError> {
    let message = format!("The {name} field is required.");
    match fields.raw(name) {
        Some(serde_json::Value::String(s))
            if !s.trim().is_empty() && s.trim().chars().count() <= max =>
        {
            Ok(s.trim().to_string())
        }
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Err(ApiError::field(
            name,
            format!("{name} must be between 1 and {max} characters"),
        )),
        Some(serde_json::Value::String(_)) | Some(serde_json::Value::Null) | None => {
            Err(ApiError::field(name, message))
        }
        Some(_) => Err(ApiError::field(name, format!("{name} must be a string"))),
    }
}

/// Exchanges a distributor's credentials for a short-lived token valid on one endpoint path.
#[utoipa::path(post, path = "/v1.0/oauth2/tokens", tag = "Authentication", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = Problem), (status = 401, body = Problem)))]
async fn mint(
    State(state): State<AppState>,
    body: Result<Body, ApiError>,
) -> ApiResult<Json<TokenResponse>> {
    let mut fields = body.map_err(ApiError::token_style)?.fields();
    let key = required(&mut fields, "AccountKey", 512).map_err(ApiError::token_style)?;
    let secret = required(&mut fields, "AccountSecret", 512).map_err(ApiError::token_style)?;
    let endpoint = required(&mut fields, "ApiEndpoint", 2048).map_err(ApiError::token_style)?;
    let as_sent = fields
        .raw("ApiEndpoint")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let grant = state
        .services
        .mint_token(&key, &secret, &endpoint)
        .await
        .map_err(|e| ApiError::from(e).token_style())?;
    Ok(Json(TokenResponse {
        token: grant.token,
        successful: true,
        token_expiry: grant.token_expiry,
        api_endpoint: as_sent,
    }))
}
