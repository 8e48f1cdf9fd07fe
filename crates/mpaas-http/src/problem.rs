//! The one error type at the HTTP edge: every failure becomes the contract's
//! `application/problem+json` body, with the request id as `TraceId`.

use std::collections::BTreeMap;

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mpaas_core::ValidationErrors;
use mpaas_service::{AuthFailure, ServiceError};
use serde::Serialize;
use utoipa::ToSchema;

tokio::task_local! {
    /// The id of the request being served (set by the request-id middleware).
    pub static REQUEST_ID: String;
}

/// The current request id, or an empty string outside a request.
pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// Problem body (RFC 7807 with PascalCase keys).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Problem {
    /// RFC section of the status.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Reason phrase, or `One or more validation errors occurred.` for a 400 with `Errors`.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Human message in the contract's wording.
    pub detail: String,
    /// Field errors by JSON path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    /// The request id (`X-Request-Id`).
    pub trace_id: String,
    /// Token endpoint only: always `false`.
    #[serde(rename = "successful", skip_serializing_if = "Option::is_none")]
    pub successful: Option<bool>,
    /// Token endpoint only: same as `Detail`.
    #[serde(rename = "error", skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// An error answer under construction.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: String,
    errors: Vec<(String, String)>,
    headers: Vec<(HeaderName, String)>,
    token_style: bool,
}

fn rfc_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "https://tools.ietf.org/html/rfc7231#section-6.5.1",
        401 => "https://tools.ietf.org/html/rfc7235#section-3.1",
        403 => "https://tools.ietf.org/html/rfc7231#section-6.5.3",
        404 => "https://tools.ietf.org/html/rfc7231#section-6.5.4",
        405 => "https://tools.ietf.org/html/rfc7231#section-6.5.5",
        409 => "https://tools.ietf.org/html/rfc7231#section-6.5.8",
        413 => "https://tools.ietf.org/html/rfc7231#section-6.5.11",
        415 => "https://tools.ietf.org/html/rfc7231#section-6.5.13",
        422 => "https://tools.ietf.org/html/rfc4918#section-11.2",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        501 => "https://tools.ietf.org/html/rfc7231#section-6.6.2",
        503 => "https://tools.ietf.org/html/rfc7231#section-6.6.4",
        _ => "https://tools.ietf.org/html/rfc7231#section-6.6.1",
    }
}

impl ApiError {
    /// An error with this status and message, about no field.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
            token_style: false,
        }
    }

    /// 400 with field errors; `Detail` repeats the first message.
    pub fn validation(errors: &ValidationErrors) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, errors.first_message());
        e.errors = errors
            .iter()
            .map(|f| (f.path.clone(), f.message.clone()))
            .collect();
        e
    }

    /// 400 about one field (`field` without `$.`).
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(&ValidationErrors::field(field, message))
    }

    /// Adds a field path to an error of another status (e.g. a 409 about `$.Email`).
    pub fn on_field(self, field: &str) -> Self {
        let detail = self.detail.clone();
        self.with_path(&format!("$.{field}"), &detail)
    }

    /// Adds an entry to `Errors` under a JSON path.
    pub fn with_path(mut self, path: &str, message: &str) -> Self {
        self.errors.push((path.to_string(), message.to_string()));
        self
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Adds the token endpoint's camelCase `successful: false` and `error` fields.
    pub fn token_style(mut self) -> Self {
        self.token_style = true;
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body this error answers with.
    pub fn problem(&self) -> Problem {
        let errors = (!self.errors.is_empty()).then(|| {
            let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (path, msg) in &self.errors {
                map.entry(path.clone()).or_default().push(msg.clone());
            }
            map
        });
        let title = if self.status == StatusCode::BAD_REQUEST && errors.is_some() {
            "One or more validation errors occurred.".to_string()
        } else {
            self.status
                .canonical_reason()
                .unwrap_or("Error")
                .to_string()
        };
        Problem {
            kind: rfc_type(self.status).to_string(),
            title,
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors,
            trace_id: current_request_id(),
            successful: self.token_style.then_some(false),
            error: self.token_style.then(|| self.detail.clone()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.append(name, v);
            }
        }
        response
    }
}

fn unauthorized(failure: AuthFailure) -> ApiError {
    let challenge = match failure {
        AuthFailure::Missing => "Bearer".to_string(),
        other => format!(
            "Bearer error=\"invalid_token\", error_description=\"{}\"",
            other.message()
        ),
    };
    ApiError::new(StatusCode::UNAUTHORIZED, failure.message())
        .with_header(header::WWW_AUTHENTICATE, challenge)
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Validation(errors) => ApiError::validation(&errors),
            ServiceError::BadRequest(msg) => ApiError::new(StatusCode::BAD_REQUEST, msg),
            ServiceError::Unauthorized(failure) => unauthorized(failure),
            ServiceError::InvalidCredentials => {
                ApiError::new(StatusCode::UNAUTHORIZED, err.to_string())
                    .with_header(header::WWW_AUTHENTICATE, "Bearer")
            }
            ServiceError::Forbidden(msg) => ApiError::new(StatusCode::FORBIDDEN, msg),
            ServiceError::InsufficientScope(msg) => ApiError::new(StatusCode::FORBIDDEN, msg)
                .with_header(
                    header::WWW_AUTHENTICATE,
                    "Bearer error=\"insufficient_scope\"",
                ),
            ServiceError::NotFound(msg) => ApiError::new(StatusCode::NOT_FOUND, msg),
            ServiceError::Conflict { message, field } => {
                let e = ApiError::new(StatusCode::CONFLICT, message);
                match field {
                    Some(f) => e.on_field(&f),
                    None => e,
                }
            }
            ServiceError::Unprocessable(msg) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, msg)
            }
            ServiceError::RateLimited { limit, reset_secs } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded")
                    .with_header(header::RETRY_AFTER, reset_secs.to_string())
                    .with_header(
                        HeaderName::from_static("ratelimit-limit"),
                        limit.to_string(),
                    )
                    .with_header(HeaderName::from_static("ratelimit-remaining"), "0")
                    .with_header(
                        HeaderName::from_static("ratelimit-reset"),
                        reset_secs.to_string(),
                    )
            }
            ServiceError::NetworkUnavailable(msg) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, msg)
            }
            ServiceError::Unavailable(detail) => {
                tracing::error!(error = %detail, "storage unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Storage is temporarily unavailable",
                )
            }
            ServiceError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "An unexpected error occurred",
                )
            }
        }
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
