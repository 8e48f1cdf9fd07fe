//! One module per vendor section, each with its own router.

mod accounts;
mod admin;
mod admin_catalog;
mod admin_jobs;
mod distributors;
mod esim;
mod events;
mod message_routes;
mod number_fields;
mod number_status;
mod number_update;
mod numbers;
mod operations;
mod packages;
mod products;
mod sandbox;
mod sandbox_inventory;
mod sandbox_network;
mod sandbox_services;
mod sims;
mod subscribers;
mod subscriptions;
mod tokens;
mod unimplemented;
mod voice_routes;
mod webhooks;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::openapi::ApiDoc;
use crate::state::AppState;

pub use operations::router as operations_router;

/// Every API route (`/v1.0`, `/admin/v1` and, with the sandbox on, `/sandbox/v1`) with its
/// OpenAPI description.
pub fn api_router(sandbox: bool) -> OpenApiRouter<AppState> {
    let router = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(tokens::router())
        .merge(distributors::router())
        .merge(admin::router())
        .merge(admin_jobs::router())
        .merge(accounts::router())
        .merge(subscribers::router())
        .merge(message_routes::router())
        .merge(voice_routes::router())
        .merge(products::router())
        .merge(packages::router())
        .merge(admin_catalog::router())
        .merge(subscriptions::router())
        .merge(numbers::router())
        .merge(number_status::router())
        .merge(number_update::router())
        .merge(sims::router())
        .merge(esim::router())
        .merge(events::router())
        .merge(webhooks::router())
        .merge(unimplemented::router());
    if sandbox {
        router
            .merge(sandbox::router())
            .merge(sandbox_inventory::router())
            .merge(sandbox_network::router())
            .merge(sandbox_services::router())
    } else {
        router
    }
}
