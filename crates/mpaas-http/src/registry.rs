//! Every known endpoint (method and path template) with its access rule, derived from the
//! OpenAPI document so that routing, token scopes and docs cannot drift apart.

use std::collections::HashMap;

use axum::http::Method;
use mpaas_service::EndpointCatalog;

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No authentication (the token endpoint).
    Public,
    /// A distributor token scoped to the path.
    Distributor,
    /// A distributor token or the admin token.
    DistributorOrAdmin,
    /// The admin token only.
    Admin,
}

/// The access rule of an API path (already lowercased).
pub fn access_for(path: &str) -> Access {
    match path {
        "/v1.0/oauth2/tokens" => Access::Public,
        p if p.starts_with("/esim/qr/") => Access::Public,
        "/v1.0/distributor/create" | "/v1.0/distributor/update" => Access::DistributorOrAdmin,
        p if p.starts_with("/sandbox/v1/") => Access::DistributorOrAdmin,
        p if p.starts_with("/admin/v1/") => Access::Admin,
        _ => Access::Distributor,
    }
}

#[derive(Clone, Debug)]
struct Template {
    segments: Vec<String>,
    methods: Vec<Method>,
}

/// The known API endpoints.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    exact: HashMap<String, Vec<Method>>,
    templated: Vec<Template>,
}

/// What the registry knows about a request path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    /// Methods routed for the path.
    pub methods: Vec<Method>,
    /// Its access rule.
    pub access: Access,
}

impl Registry {
    /// Builds the registry from `(method, path template)` pairs.
    pub fn new<'a>(operations: impl IntoIterator<Item = (Method, &'a str)>) -> Self {
        let mut registry = Self::default();
        for (method, path) in operations {
            let path = path.to_ascii_lowercase();
            if path.contains('{') {
                let segments: Vec<String> = path.split('/').map(str::to_string).collect();
                match registry
                    .templated
                    .iter_mut()
                    .find(|t| t.segments == segments)
                {
                    Some(t) => t.methods.push(method),
                    None => registry.templated.push(Template {
                        segments,
                        methods: vec![method],
                    }),
                }
            } else {
                registry.exact.entry(path).or_default().push(method);
            }
        }
        registry
    }

    /// The endpoint at `path` (lowercased), if any.
    pub fn lookup(&self, path: &str) -> Option<Known> {
        let methods = self.exact.get(path).cloned().or_else(|| {
            let parts: Vec<&str> = path.split('/').collect();
            self.templated
                .iter()
                .find(|t| {
                    t.segments.len() == parts.len()
                        && t.segments
                            .iter()
                            .zip(&parts)
                            .all(|(s, p)| s.starts_with('{') && !p.is_empty() || s == p)
                })
                .map(|t| t.methods.clone())
        })?;
        Some(Known {
            methods,
            access: access_for(path),
        })
    }

    /// The token-scope catalogue: every exact `/v1.0/` and `/sandbox/v1/` path.
    pub fn catalog(&self) -> EndpointCatalog {
        EndpointCatalog::new(self.exact.keys())
    }
}

impl Known {
    /// True when `method` is routed (HEAD rides on GET).
    pub fn allows(&self, method: &Method) -> bool {
        self.methods.contains(method)
            || (method == Method::HEAD && self.methods.contains(&Method::GET))
    }
}
