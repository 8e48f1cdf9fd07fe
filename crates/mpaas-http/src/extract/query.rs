//! Query strings with case-insensitive keys (`CallRouteID` == `CallRouteId`).

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use mpaas_core::{ListFilter, Paging};

use super::body::nul_message;
use crate::problem::ApiError;

/// The query parameters, keys lowercased; the first value of a repeated key wins.
#[derive(Debug, Default)]
pub struct Query(HashMap<String, String>);

impl Query {
    /// Parses a raw query string.
    pub fn parse(raw: &str) -> Self {
        let mut map = HashMap::new();
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            map.entry(k.to_ascii_lowercase())
                .or_insert_with(|| v.into_owned());
        }
        Self(map)
    }

    /// A value by name (any case), trimmed; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(&name.to_ascii_lowercase())
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A value by name (any case) exactly as decoded, spaces kept.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// `PageNumber` and `PageSize` (alias `TotalPerPage`), validated.
    pub fn paging(&self) -> Result<Paging, ApiError> {
        let size = self.get("PageSize").or_else(|| self.get("TotalPerPage"));
        Paging::parse(self.get("PageNumber"), size)
            .map_err(|(field, msg)| ApiError::field(field, msg))
    }

    /// `Filter` (`All`, `Active`, `Inactive`, any case; default `All`).
    pub fn filter(&self) -> Result<ListFilter, ApiError> {
        ListFilter::parse(self.get("Filter")).map_err(|msg| ApiError::field("Filter", msg))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        let nul = form_urlencoded::parse(raw.as_bytes()).find(|(_, v)| v.contains('\0'));
        if let Some((key, _)) = nul {
            return Err(ApiError::field(&key, nul_message(&key)));
        }
        Ok(Self::parse(raw))
    }
}
