//! Readers of money and of arrays of objects.

use mpaas_core::Money;
use serde_json::Value;

use super::{money_message, Body, Fields};

impl Fields {
    /// An optional amount of money: a JSON number or a numeric string (`"1.12"`), exact, at
    /// most 4 decimal places, 0 to 999999999.9999.
    pub fn money(&mut self, name: &str) -> Option<Money> {
        let value = self.value(name)?;
        self.money_value(name, &value)
    }

    /// A required amount of money: missing or `null` is `<Field> is required`.
    pub fn required_money(&mut self, name: &str) -> Option<Money> {
        if self.value(name).is_none() {
            self.error(name, format!("{name} is required"));
            return None;
        }
        self.money(name)
    }

    /// Reads `value` (e.g. an entry of a map) as money, recording the money rule under `field`
    /// when it breaks it.
    pub fn money_value(&mut self, field: &str, value: &Value) -> Option<Money> {
        let money = Money::from_json(value);
        if money.is_none() {
            self.error(field, money_message(field));
        }
        money
    }

    /// An optional array of at most `max_items` objects, each read by `read` through a reader of
    /// its own. Their errors are recorded here under `<name>[i].`: paths always, and messages
    /// when they start with the field's name (`PackageItems[1].Price is required`).
    pub fn objects<T>(
        &mut self,
        name: &str,
        max_items: usize,
        mut read: impl FnMut(&mut Fields) -> T,
    ) -> Option<Vec<T>> {
        let items = self.array(name, max_items)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let path = format!("{name}[{i}]");
            let Value::Object(map) = item else {
                self.error(&path, format!("{path} must be an object"));
                continue;
            };
            let lowered = map.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v));
            let mut inner = Body(lowered.collect()).fields();
            out.push(read(&mut inner));
            for e in inner.errors.iter() {
                let field = e.path.strip_prefix("$.").unwrap_or(&e.path);
                let message = if e.message.starts_with(field) {
                    format!("{path}.{}", e.message)
                } else {
                    e.message.clone()
                };
                self.errors.add(&format!("{path}.{field}"), message);
            }
        }
        Some(out)
    }
}
