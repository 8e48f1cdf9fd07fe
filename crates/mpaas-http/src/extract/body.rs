//! JSON bodies: `application/json` only (415), at most 1 MiB (413), an object whose property
//! names match case-insensitively; field readers produce the contract's validation messages.

use std::collections::HashMap;

use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use mpaas_core::{Address, Email, ValidationErrors, E164};
use serde_json::Value;

use crate::problem::ApiError;

mod compound;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A parsed JSON object with lowercased property names.
#[derive(Debug, Default)]
pub struct Body(pub HashMap<String, Value>);

fn is_json(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// JSON, tolerating the `//` and `/* */` comments of the vendor's Postman collection (outside
/// strings only, so `"https://…"` is untouched).
fn parse_json(bytes: &[u8]) -> serde_json::Result<Value> {
    if bytes.windows(2).any(|w| w == b"//" || w == b"/*") {
        serde_json::from_reader(json_comments::StripComments::new(bytes))
    } else {
        serde_json::from_slice(bytes)
    }
}

impl Body {
    /// Parses raw bytes (an empty body is an empty object).
    pub fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let value: Value = parse_json(bytes).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "The request body is not valid JSON.",
            )
            .with_path("$", &format!("The request body is not valid JSON: {e}"))
        })?;
        match value {
            Value::Object(map) => Ok(Self(
                map.into_iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v))
                    .collect(),
            )),
            other => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "The request body must be a JSON object.",
            )
            .with_path(
                "$",
                &format!(
                    "The request body must be a JSON object, not {}",
                    type_name(&other)
                ),
            )),
        }
    }

    /// A reader that collects validation errors.
    pub fn fields(self) -> Fields {
        Fields {
            map: self.0,
            errors: ValidationErrors::default(),
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
                )
            })?;
        if !bytes.is_empty() && !is_json(content_type.as_deref()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json",
            ));
        }
        Self::parse(&bytes)
    }
}

/// Reads typed fields out of a [`Body`], recording the contract's messages for bad ones.
#[derive(Debug)]
pub struct Fields {
    map: HashMap<String, Value>,
    errors: ValidationErrors,
}

/// Strings end up in text columns, which cannot hold U+0000 (PostgreSQL refuses it outright,
/// even as a query parameter).
pub(crate) fn nul_message(field: &str) -> String {
    format!("{field} must not contain NUL characters")
}

/// The contract's money rule, for an amount that breaks it.
fn money_message(field: &str) -> String {
    format!(
        "{field} must be a number or numeric string from 0 to 999999999.9999 with at most 4 decimal places"
    )
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl Fields {
    /// The raw value, `None` when absent (`Some(Null)` when sent as `null`).
    pub fn raw(&self, name: &str) -> Option<&Value> {
        self.map.get(&name.to_ascii_lowercase())
    }

    /// True when the property was sent, even as `null`.
    pub fn is_present(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    /// True when an error about `field` was recorded.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.has(field)
    }

    /// Records an error about `field` (a documented name, index included).
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.add(field, message);
    }

    /// A non-null value, or `None` (absent or `null`).
    fn value(&self, name: &str) -> Option<Value> {
        self.raw(name).filter(|v| !v.is_null()).cloned()
    }

    /// An optional string, trimmed; length checked in characters.
    pub fn string(&mut self, name: &str, min: usize, max: usize) -> Option<String> {
        match self.value(name)? {
            Value::String(s) if s.contains('\0') => {
                self.error(name, nul_message(name));
                None
            }
            Value::String(s) => {
                let s = s.trim().to_string();
                let len = s.chars().count();
                if len < min || len > max {
                    self.error(
                        name,
                        format!("{name} must be between {min} and {max} characters"),
                    );
                    return None;
                }
                Some(s)
            }
            _ => {
                self.error(name, format!("{name} must be a string"));
                None
            }
        }
    }

    /// A required string: missing, `null` or empty is `<Field> is required`.
    pub fn required_string(&mut self, name: &str, min: usize, max: usize) -> Option<String> {
        match self.value(name) {
            None => {
                self.error(name, format!("{name} is required"));
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.error(name, format!("{name} is required"));
                None
            }
            Some(_) => self.string(name, min, max),
        }
    }

    /// An optional email.
    pub fn email(&mut self, name: &str) -> Option<Email> {
        let raw = self.string(name, 0, usize::MAX)?;
        let email = Email::parse(&raw);
        if email.is_none() {
            self.error(name, format!("{name} must be a valid email address"));
        }
        email
    }

    /// A required email.
    pub fn required_email(&mut self, name: &str) -> Option<Email> {
        self.required_string(name, 0, usize::MAX)?;
        self.email(name)
    }

    /// An optional integer within bounds.
    pub fn integer(&mut self, name: &str, min: i64, max: i64) -> Option<i64> {
        let value = self.value(name)?;
        match value.as_i64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(_) => {
                self.error(name, format!("{name} must be between {min} and {max}"));
                None
            }
            None if value.is_number() => {
                self.error(name, format!("{name} must be between {min} and {max}"));
                None
            }
            None => {
                self.error(name, format!("{name} must be an integer"));
                None
            }
        }
    }

    /// An optional boolean.
    pub fn boolean(&mut self, name: &str) -> Option<bool> {
        match self.value(name)? {
            Value::Bool(b) => Some(b),
            _ => {
                self.error(name, format!("{name} must be a boolean"));
                None
            }
        }
    }

    /// An optional array of at most `max_items` values.
    fn array(&mut self, name: &str, max_items: usize) -> Option<Vec<Value>> {
        let Value::Array(items) = self.value(name)? else {
            self.error(name, format!("{name} must be an array"));
            return None;
        };
        if items.len() > max_items {
            self.error(
                name,
                format!("{name} must contain at most {max_items} items"),
            );
            return None;
        }
        Some(items)
    }

    /// An optional array of strings (at most `max_items`), each trimmed.
    pub fn string_list(&mut self, name: &str, max_items: usize) -> Option<Vec<String>> {
        let items = self.array(name, max_items)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) if s.contains('\0') => {
                    let path = format!("{name}[{i}]");
                    self.error(&path, nul_message(&path));
                }
                Value::String(s) => out.push(s.trim().to_string()),
                _ => self.error(
                    &format!("{name}[{i}]"),
                    format!("{name}[{i}] must be a string"),
                ),
            }
        }
        Some(out)
    }

    /// An optional phone number, normalised to E.164.
    pub fn phone(&mut self, name: &str) -> Option<E164> {
        let raw = self.string(name, 0, usize::MAX)?;
        let number = E164::parse(&raw);
        if number.is_none() {
            self.error(name, format!("{name} must be a valid phone number"));
        }
        number
    }

    /// An optional list of phone numbers, normalised to E.164, in request order: duplicates are
    /// kept so that every error path (here and in later checks) names the position as sent.
    pub fn phone_list(&mut self, name: &str, max_items: usize) -> Option<Vec<E164>> {
        let items = self.array(name, max_items)?;
        let mut out: Vec<E164> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{name}[{i}]");
            match item.as_str().map(E164::parse) {
                Some(Some(n)) => out.push(n),
                Some(None) => self.error(&path, format!("{path} must be a valid phone number")),
                None => self.error(&path, format!("{path} must be a string")),
            }
        }
        Some(out)
    }

    /// An optional address object (six optional strings of at most 100 characters).
    pub fn address(&mut self, name: &str) -> Option<Address> {
        let value = self.value(name)?;
        let Value::Object(map) = value else {
            self.error(name, format!("{name} must be an object"));
            return None;
        };
        let lowered: HashMap<String, Value> = map
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let mut values: [Option<String>; 6] = Default::default();
        for (slot, key) in values.iter_mut().zip(Address::FIELDS) {
            let path = format!("{name}.{key}");
            match lowered.get(&key.to_ascii_lowercase()) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.contains('\0') => self.error(&path, nul_message(&path)),
                Some(Value::String(s)) if s.trim().chars().count() <= 100 => {
                    *slot = Some(s.trim().to_string())
                }
                Some(Value::String(_)) => self.error(
                    &path,
                    format!("{path} must be between 0 and 100 characters"),
                ),
                Some(_) => self.error(&path, format!("{path} must be a string")),
            }
        }
        Some(Address::from_fields(values))
    }

    /// `Ok` when every field read so far was valid, else the 400 answer.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(&self.errors))
        }
    }
}
