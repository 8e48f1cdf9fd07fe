//! Settings of numbers, SIMs and the sandbox inventory (05 §4), flattened into [`Config`].
//!
//! [`Config`]: crate::config::Config

use clap::builder::BoolishValueParser;
use clap::ArgAction;
use clap::Args;
use mpaas_service::numbers::{parse_fees, valid_iccid_prefix, NumberSettings};
use serde::Serialize;

/// Number settings as configured.
#[derive(Args, Clone, Debug, Serialize)]
pub struct NumberConfig {
    /// Seed of the sandbox inventory generator (also port-in test numbers).
    #[arg(
        long,
        env = "MPAAS_SANDBOX_SEED",
        default_value = "mpaas",
        global = true
    )]
    pub sandbox_seed: String,

    /// Numbers per (area code, ZIP) pool of the sandbox inventory, 1 to 9900.
    #[arg(
        long,
        env = "MPAAS_SANDBOX_NUMBERS_PER_ZIP",
        default_value_t = 2500,
        global = true
    )]
    pub sandbox_numbers_per_zip: u32,

    /// The sandbox confirms activations later, through the job engine (orders answer `Pending`).
    #[arg(long, env = "MPAAS_SANDBOX_ASYNC_ACTIVATION", default_value = "false", value_parser = BoolishValueParser::new(), action = ArgAction::Set, global = true)]
    pub sandbox_async_activation: bool,

    /// Prefix of platform eSIM ICCIDs: digits, starting with 89, 2 to 17 long.
    #[arg(
        long,
        env = "MPAAS_ESIM_ICCID_PREFIX",
        default_value = "8901999",
        global = true
    )]
    pub esim_iccid_prefix: String,

    /// SM-DP+ address in eSIM activation codes.
    #[arg(
        long,
        env = "MPAAS_SMDP_ADDRESS",
        default_value = "smdp.mpaas.test",
        global = true
    )]
    pub smdp_address: String,

    /// Time zone of business dates (IANA name).
    #[arg(
        long,
        env = "MPAAS_BUSINESS_TZ",
        default_value = "America/New_York",
        global = true
    )]
    pub business_tz: String,

    /// Days after the reactivation window before a cancelled number is released.
    #[arg(
        long,
        env = "MPAAS_NUMBER_AGING_DAYS",
        default_value_t = 60,
        global = true
    )]
    pub number_aging_days: i64,

    /// Fee per status change, e.g. `cancel=2.25,park=1.00`.
    #[arg(
        long,
        env = "MPAAS_STATUS_CHANGE_FEES",
        default_value = "",
        global = true
    )]
    pub status_change_fees: String,
}

impl Default for NumberConfig {
    fn default() -> Self {
        let d = NumberSettings::default();
        Self {
            sandbox_seed: d.seed,
            sandbox_numbers_per_zip: d.numbers_per_zip,
            sandbox_async_activation: d.async_activation,
            esim_iccid_prefix: d.esim_iccid_prefix,
            smdp_address: d.smdp_address,
            business_tz: d.business_tz.name().to_string(),
            number_aging_days: d.aging_days,
            status_change_fees: String::new(),
        }
    }
}

impl NumberConfig {
    /// Checks the values and builds the settings; `public_base_url` is where QR images are served.
    pub fn settings(&self, public_base_url: &str) -> anyhow::Result<NumberSettings> {
        anyhow::ensure!(
            (1..=9900).contains(&self.sandbox_numbers_per_zip),
            "MPAAS_SANDBOX_NUMBERS_PER_ZIP must be between 1 and 9900"
        );
        anyhow::ensure!(
            valid_iccid_prefix(&self.esim_iccid_prefix),
            "MPAAS_ESIM_ICCID_PREFIX must be 2 to 17 digits starting with 89"
        );
        anyhow::ensure!(
            !self.smdp_address.trim().is_empty() && !self.smdp_address.contains('$'),
            "MPAAS_SMDP_ADDRESS must be a host name"
        );
        anyhow::ensure!(
            self.number_aging_days >= 0,
            "MPAAS_NUMBER_AGING_DAYS must be 0 or more"
        );
        let business_tz = self
            .business_tz
            .parse::<chrono_tz::Tz>()
            .map_err(|_| anyhow::anyhow!("MPAAS_BUSINESS_TZ must be an IANA time zone name"))?;
        let fees = parse_fees(&self.status_change_fees)
            .map_err(|e| anyhow::anyhow!("MPAAS_STATUS_CHANGE_FEES: {e}"))?;
        Ok(NumberSettings {
            seed: self.sandbox_seed.clone(),
            numbers_per_zip: self.sandbox_numbers_per_zip,
            async_activation: self.sandbox_async_activation,
            esim_iccid_prefix: self.esim_iccid_prefix.clone(),
            smdp_address: self.smdp_address.trim().to_string(),
            business_tz,
            aging_days: self.number_aging_days,
            fees,
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
        })
    }
}
