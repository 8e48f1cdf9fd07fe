//! Settings of numbers, SIMs and the sandbox inventory (05 §4).

use std::collections::HashMap;

use mpaas_core::Money;

/// Status changes that may carry a fee (`MPAAS_STATUS_CHANGE_FEES` keys).
pub const FEE_ACTIONS: [&str; 7] = [
    "activate",
    "cancel",
    "park",
    "swap",
    "swap-sim",
    "replace",
    "reactivate",
];

/// How numbers are provisioned and described.
#[derive(Clone, Debug)]
pub struct NumberSettings {
    /// `MPAAS_SANDBOX_SEED`.
    pub seed: String,
    /// `MPAAS_SANDBOX_NUMBERS_PER_ZIP` (1 to 9900).
    pub numbers_per_zip: u32,
    /// Extension: the sandbox confirms activations later, through the job engine.
    pub async_activation: bool,
    /// `MPAAS_ESIM_ICCID_PREFIX`.
    pub esim_iccid_prefix: String,
    /// `MPAAS_SMDP_ADDRESS`.
    pub smdp_address: String,
    /// `MPAAS_BUSINESS_TZ`.
    pub business_tz: chrono_tz::Tz,
    /// `MPAAS_NUMBER_AGING_DAYS`.
    pub aging_days: i64,
    /// `MPAAS_STATUS_CHANGE_FEES`, per action.
    pub fees: HashMap<&'static str, Money>,
    /// Base of QR image URLs (`MPAAS_PUBLIC_BASE_URL`, else the listen address).
    pub public_base_url: String,
}

impl Default for NumberSettings {
    fn default() -> Self {
        Self {
            seed: "mpaas".into(),
            numbers_per_zip: 2500,
            async_activation: false,
            esim_iccid_prefix: "8901999".into(),
            smdp_address: "smdp.mpaas.test".into(),
            business_tz: chrono_tz::America::New_York,
            aging_days: 60,
            fees: HashMap::new(),
            public_base_url: "http://127.0.0.1:8080".into(),
        }
    }
}

impl NumberSettings {
    /// The fee of an action (0 when not configured).
    pub fn fee(&self, action: &str) -> Money {
        self.fees.get(action).copied().unwrap_or_default()
    }
}

/// Parses `cancel=2.25,park=1.00`; every key must be one of [`FEE_ACTIONS`].
pub fn parse_fees(raw: &str) -> Result<HashMap<&'static str, Money>, String> {
    let mut fees = HashMap::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("'{pair}' is not action=amount"))?;
        let action = FEE_ACTIONS
            .into_iter()
            .find(|a| a.eq_ignore_ascii_case(key.trim()))
            .ok_or_else(|| format!("unknown action '{}'", key.trim()))?;
        let amount = Money::parse(value.trim())
            .ok_or_else(|| format!("'{}' is not an amount", value.trim()))?;
        fees.insert(action, amount);
    }
    Ok(fees)
}

/// Checks an eSIM ICCID prefix: digits, starting with `89`, 2 to 17 long.
pub fn valid_iccid_prefix(prefix: &str) -> bool {
    (2..=17).contains(&prefix.len())
        && prefix.starts_with("89")
        && prefix.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_parse_known_actions_exactly() {
        let fees = parse_fees("cancel=2.25, PARK=1.00,swap-sim=0.0045").unwrap();
        assert_eq!(fees["cancel"], Money::parse("2.25").unwrap());
        assert_eq!(fees["park"], Money::parse("1").unwrap());
        assert_eq!(fees["swap-sim"].units(), 45);
        assert!(parse_fees("").unwrap().is_empty());
        assert!(parse_fees("porting=1").is_err());
        assert!(parse_fees("cancel").is_err());
        assert!(parse_fees("cancel=-1").is_err());
    }

    #[test]
    fn iccid_prefix_rules() {
        assert!(valid_iccid_prefix("8901999"));
        assert!(valid_iccid_prefix("89"));
        assert!(!valid_iccid_prefix("8"));
        assert!(!valid_iccid_prefix("8801999"));
        assert!(!valid_iccid_prefix("890199900000000000"));
        assert!(!valid_iccid_prefix("89a"));
    }
}
