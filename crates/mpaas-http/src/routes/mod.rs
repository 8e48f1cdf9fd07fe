//! One module per vendor section, each with its own router.

mod accounts;
mod admin;
mod distributors;
mod operations;
mod subscribers;
mod tokens;
mod unimplemented;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::openapi::ApiDoc;
use crate::state::AppState;

pub use operations::router as operations_router;

/// Every API route (`/v1.0`, `/admin/v1` and, with the sandbox on, `/sandbox/v1`) with its
/// OpenAPI description.
pub fn api_router(_sandbox: bool) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(tokens::router())
        .merge(distributors::router())
        .merge(admin::router())
        .merge(accounts::router())
        .merge(subscribers::router())
        .merge(unimplemented::router())
}
