//! Field validation errors with the contract's JSON paths and messages.

use std::fmt;

/// One invalid field: its JSON path (`$.PhoneNumbers[1]`) and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path of the offending field, e.g. `$.AccountName`.
    pub path: String,
    /// Human message in the contract's wording.
    pub message: String,
}

/// The invalid fields of one request, in the order found; never empty when returned as an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    /// A single error for the field `field` (path `$.<field>`).
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    /// Records an error for `field` (a documented property name, index included).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            path: format!("$.{field}"),
            message: message.into(),
        });
    }

    /// True when an error about `field` was recorded.
    pub fn has(&self, field: &str) -> bool {
        let path = format!("$.{field}");
        self.0.iter().any(|e| e.path == path)
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The first message, used as the problem's `Detail`.
    pub fn first_message(&self) -> &str {
        self.0
            .first()
            .map(|e| e.message.as_str())
            .unwrap_or("Invalid request")
    }

    /// `Ok(value)` when nothing was recorded, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.first_message())
    }
}

impl std::error::Error for ValidationErrors {}
