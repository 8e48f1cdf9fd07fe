//! Token scopes: which endpoint paths a token may call.

use std::collections::BTreeSet;

/// The paths of every known endpoint under `/v1.0/` and `/sandbox/v1/`, lowercased. Built by the
/// HTTP layer from its routes, so a scope can only name an endpoint that exists.
#[derive(Clone, Debug, Default)]
pub struct EndpointCatalog {
    paths: BTreeSet<String>,
}

impl EndpointCatalog {
    /// A catalogue of these paths (admin and other paths are ignored: they cannot be scopes).
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(paths: I) -> Self {
        let paths = paths
            .into_iter()
            .map(|p| p.as_ref().to_ascii_lowercase())
            .filter(|p| p.starts_with("/v1.0/") || p.starts_with("/sandbox/v1/"))
            .collect();
        Self { paths }
    }

    /// Turns an `ApiEndpoint` (absolute URL or bare path) into a scope, or `None` when it names
    /// no endpoint: take the path, drop query and fragment, lowercase, collapse `//`, drop a
    /// trailing `/`; it must equal a known path or end in `/*` and prefix at least one.
    pub fn scope_for(&self, api_endpoint: &str) -> Option<String> {
        let path = normalize_path(url_path(api_endpoint.trim()));
        if let Some(prefix) = path.strip_suffix('*').filter(|p| p.ends_with('/')) {
            return self
                .paths
                .iter()
                .any(|p| p.starts_with(prefix))
                .then_some(path);
        }
        self.paths.contains(&path).then_some(path)
    }
}

/// The path part of an absolute URL, or the value itself when it has no scheme.
fn url_path(value: &str) -> &str {
    let Some((_, rest)) = value.split_once("://") else {
        return value;
    };
    rest.find('/').map_or("/", |i| &rest[i..])
}

/// Lowercases, drops query and fragment, adds a leading `/`, collapses `//`, drops a trailing `/`.
pub fn normalize_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut out = String::with_capacity(path.len() + 1);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(&segment.to_ascii_lowercase());
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// True when a token with `scope` may call the (normalised) `path`.
pub fn scope_covers(scope: &str, path: &str) -> bool {
    match scope.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => scope == path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> EndpointCatalog {
        EndpointCatalog::new([
            "/v1.0/account/create",
            "/v1.0/numbers/provision",
            "/v1.0/numbers/status",
            "/admin/v1/distributors",
        ])
    }

    #[test]
    fn normalises_urls_and_paths() {
        let c = catalog();
        let want = Some("/v1.0/account/create".to_string());
        assert_eq!(
            c.scope_for("https://api.telegent.com/v1.0/account/create"),
            want
        );
        assert_eq!(c.scope_for("/V1.0//Account/Create/?x=1#top"), want);
        assert_eq!(c.scope_for("v1.0/account/create"), want);
        assert_eq!(c.scope_for("/v1.0/account/nothing"), None);
        assert_eq!(c.scope_for("/admin/v1/distributors"), None);
    }

    #[test]
    fn wildcard_scopes_must_prefix_an_endpoint() {
        let c = catalog();
        assert_eq!(
            c.scope_for("/v1.0/numbers/*").as_deref(),
            Some("/v1.0/numbers/*")
        );
        assert_eq!(c.scope_for("/v1.0/nothing/*"), None);
        assert!(scope_covers("/v1.0/numbers/*", "/v1.0/numbers/status"));
        assert!(!scope_covers("/v1.0/numbers/*", "/v1.0/numbersx"));
        assert!(scope_covers("/v1.0/account/create", "/v1.0/account/create"));
        assert!(!scope_covers(
            "/v1.0/account/create",
            "/v1.0/account/update"
        ));
    }
}
