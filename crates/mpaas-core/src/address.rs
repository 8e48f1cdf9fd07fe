//! Postal address of accounts and distributors: six optional strings of at most 100 characters.

use serde::{Deserialize, Serialize};

/// Address object. Responses always carry all six keys (`null` when unset); values are kept as
/// given (an empty string stays empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[derive(utoipa::ToSchema)]
pub struct Address {
    /// First street line.
    pub street1: Option<String>,
    /// Second street line.
    pub street2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Postal code.
    pub zip: Option<String>,
    /// Country.
    pub country: Option<String>,
}

impl Address {
    /// The property names in wire order.
    pub const FIELDS: [&'static str; 6] = ["Street1", "Street2", "City", "State", "Zip", "Country"];

    /// Builds an address from values in [`Address::FIELDS`] order.
    pub fn from_fields(mut values: [Option<String>; 6]) -> Self {
        let mut take = |i: usize| values[i].take();
        Self {
            street1: take(0),
            street2: take(1),
            city: take(2),
            state: take(3),
            zip: take(4),
            country: take(5),
        }
    }
}
