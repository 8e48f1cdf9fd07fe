//! eSIM QR images (Extension): no authentication; the unguessable token in the URL is the key.

use axum::extract::{OriginalUri, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(qr_image))
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "QR code was not found.")
}

/// The QR image (PNG) of an eSIM activation code; 404 once the SIM is retired.
#[utoipa::path(get, path = "/esim/qr/{file}", tag = "SIMs",
    params(("file" = String, Path, description = "The token of the profile's QR URL, then `.png`")),
    responses((status = 200, content_type = "image/png", description = "QR code of the activation code"),
        (status = 404, body = Problem)))]
async fn qr_image(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
) -> ApiResult<Response> {
    // The token is case-sensitive: read it from the URI as sent.
    let file = uri.path().rsplit('/').next().unwrap_or_default();
    let token = file
        .len()
        .checked_sub(4)
        .filter(|&cut| file.is_char_boundary(cut) && file[cut..].eq_ignore_ascii_case(".png"))
        .map(|cut| &file[..cut])
        .filter(|t| !t.is_empty())
        .ok_or_else(not_found)?;
    let png = state
        .services
        .esim_qr_image(token)
        .await?
        .ok_or_else(not_found)?;
    let headers = [
        (header::CONTENT_TYPE, "image/png"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::HeaderName::from_static("x-robots-tag"), "noindex"),
    ];
    Ok((headers, png).into_response())
}
