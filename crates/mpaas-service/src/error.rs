//! Failures of use cases, in the contract's vocabulary; the HTTP edge maps each to a status.

use mpaas_core::ValidationErrors;
use mpaas_store::StoreError;

/// Why a token was refused (401), in the contract's wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthFailure {
    /// No usable `Authorization: Bearer` header.
    Missing,
    /// Malformed, wrong algorithm or bad signature.
    Invalid,
    /// `exp` reached on the platform clock.
    Expired,
    /// The distributor's secret or the signing key was rotated.
    Revoked,
}

impl AuthFailure {
    /// The `Detail` text.
    pub fn message(self) -> &'static str {
        match self {
            AuthFailure::Missing => "Bearer token is required",
            AuthFailure::Invalid => "Invalid token",
            AuthFailure::Expired => "Token has expired",
            AuthFailure::Revoked => "Token has been revoked",
        }
    }
}

/// A use case failure.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// 400 with field paths.
    #[error("{0}")]
    Validation(ValidationErrors),
    /// 400 without a field.
    #[error("{0}")]
    BadRequest(String),
    /// 401.
    #[error("{}", .0.message())]
    Unauthorized(AuthFailure),
    /// 401 on the token endpoint: `Invalid account credentials provided`.
    #[error("Invalid account credentials provided")]
    InvalidCredentials,
    /// 403.
    #[error("{0}")]
    Forbidden(String),
    /// 403 because the token's scope does not cover the path.
    #[error("{0}")]
    InsufficientScope(String),
    /// 429 with the seconds left in the window.
    #[error("Rate limit exceeded")]
    RateLimited {
        /// The limit per minute.
        limit: i64,
        /// Seconds until the window resets.
        reset_secs: i64,
    },
    /// 404 with the contract's text.
    #[error("{0}")]
    NotFound(String),
    /// 409, optionally about one field (JSON path without `$.`).
    #[error("{message}")]
    Conflict {
        /// Contract text.
        message: String,
        /// Field the conflict is about, if any.
        field: Option<String>,
    },
    /// 422.
    #[error("{0}")]
    Unprocessable(String),
    /// 503: the network reports a service this use case needs down; the contract's text.
    #[error("{0}")]
    NetworkUnavailable(String),
    /// 503: the database cannot be reached.
    #[error("storage unavailable")]
    Unavailable(String),
    /// 500: details go to the log only.
    #[error("internal error")]
    Internal(String),
}

impl ServiceError {
    /// 400 about one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ServiceError::Validation(ValidationErrors::field(field, message))
    }

    /// 404 `<Resource> with ID '<id>' was not found.`
    pub fn not_found(resource: &str, id: &str) -> Self {
        ServiceError::NotFound(format!("{resource} with ID '{id}' was not found."))
    }

    /// 409 about one field.
    pub fn conflict_on(field: &str, message: impl Into<String>) -> Self {
        ServiceError::Conflict {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// 409 not about a field.
    pub fn conflict(message: impl Into<String>) -> Self {
        ServiceError::Conflict {
            message: message.into(),
            field: None,
        }
    }
}

impl From<ValidationErrors> for ServiceError {
    fn from(e: ValidationErrors) -> Self {
        ServiceError::Validation(e)
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(msg) => ServiceError::Unavailable(msg),
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

/// Result of a use case.
pub type ServiceResult<T> = Result<T, ServiceError>;
