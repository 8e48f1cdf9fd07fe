//! The one `{id}` segment of a route, as the client sent it: routing sees API paths lowercased,
//! but a not-found answer must quote the id as sent.

use axum::extract::{FromRequestParts, MatchedPath, OriginalUri, Path};
use axum::http::request::Parts;
use axum::http::StatusCode;

use crate::problem::ApiError;

/// The `{id}` path segment in the case the client used.
#[derive(Clone, Debug)]
pub struct PathId(pub String);

/// The raw segment of `sent` at the position of `{id}` in `template` (empty segments ignored,
/// as path normalisation collapses `//` and drops a trailing `/`).
fn segment_as_sent<'a>(template: &str, sent: &'a str) -> Option<&'a str> {
    let position = template
        .split('/')
        .filter(|s| !s.is_empty())
        .position(|s| s == "{id}")?;
    sent.split('/').filter(|s| !s.is_empty()).nth(position)
}

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
        let template = parts
            .extensions
            .get::<MatchedPath>()
            .map(MatchedPath::as_str);
        let sent = parts.extensions.get::<OriginalUri>().map(|u| u.0.path());
        // A percent-encoded segment differs from the decoded id: the decoded one is kept.
        let as_sent = template
            .zip(sent)
            .and_then(|(t, s)| segment_as_sent(t, s))
            .filter(|raw| raw.eq_ignore_ascii_case(&id))
            .map(str::to_string);
        Ok(PathId(as_sent.unwrap_or(id)))
    }
}

#[cfg(test)]
mod tests {
    use super::segment_as_sent;

    #[test]
    fn finds_the_id_in_the_path_as_sent() {
        let template = "/admin/v1/distributors/{id}/rate-limit";
        let sent = "/Admin/v1//distributors/DID-AbC/Rate-Limit/";
        assert_eq!(segment_as_sent(template, sent), Some("DID-AbC"));
        assert_eq!(
            segment_as_sent("/admin/v1/distributors", "/admin/v1/distributors"),
            None
        );
    }
}
