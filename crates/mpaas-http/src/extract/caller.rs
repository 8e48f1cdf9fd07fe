//! The authenticated caller, placed in the request by the guard middleware.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use mpaas_core::ids::DistributorId;
use mpaas_service::Caller;

use crate::problem::ApiError;

/// Whoever the guard authenticated (admin or distributor).
#[derive(Clone, Debug)]
pub struct CallerOf(pub Caller);

/// A distributor caller; the admin token is refused with 403.
#[derive(Clone, Debug)]
pub struct DistributorCaller(pub DistributorId);

fn missing() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "Bearer token is required")
}

impl<S: Send + Sync> FromRequestParts<S> for CallerOf {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .map(CallerOf)
            .ok_or_else(missing)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for DistributorCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Caller>() {
            Some(Caller::Distributor(id)) => Ok(DistributorCaller(id.clone())),
            Some(Caller::Admin) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "The admin token is not valid on this endpoint",
            )),
            None => Err(missing()),
        }
    }
}
