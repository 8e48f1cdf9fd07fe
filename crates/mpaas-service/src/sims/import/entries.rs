//! Checking the entries of a SIM import one by one (format rules only; what the store already
//! holds is decided afterwards).

use mpaas_core::sim_status::SimType;
use mpaas_core::Iccid;

/// `Results[].Message` of an unreadable ICCID.
pub(super) const INVALID_ICCID: &str = "Invalid ICCID";
/// `Results[].Message` of an unknown `Type`.
pub(super) const INVALID_TYPE: &str = "Invalid Type. Must be one of: pSIM, eSIM.";
/// `Results[].Message` of a malformed activation code.
pub(super) const INVALID_ACTIVATION_CODE: &str = "Invalid ActivationCode";
/// `Results[].Message` of an activation code on a pSIM.
pub(super) const CODE_ON_PSIM: &str = "ActivationCode is only allowed for eSIM";

const LPA_PREFIX: &str = "LPA:1$";
const MAX_ACTIVATION_CODE: usize = 255;

/// One `Sims[]` entry as sent (non-string values already turned into text that fails).
#[derive(Clone, Debug, Default)]
pub struct SimImportEntry {
    /// `ICCID` as sent.
    pub iccid: String,
    /// `Type` as sent; `None` = `pSIM`.
    pub sim_type: Option<String>,
    /// `ActivationCode` as sent.
    pub activation_code: Option<String>,
}

/// An entry that passed the format rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Candidate {
    pub iccid: Iccid,
    pub sim_type: SimType,
    pub activation_code: Option<String>,
}

/// Checks one entry: a candidate, or the ICCID text to report with the reason.
pub(super) fn check(entry: &SimImportEntry) -> Result<Candidate, (String, &'static str)> {
    let iccid = Iccid::parse(&entry.iccid)
        .ok_or_else(|| (entry.iccid.trim().to_string(), INVALID_ICCID))?;
    let reject = |message| (iccid.as_str().to_string(), message);
    let sim_type = match entry.sim_type.as_deref() {
        None => SimType::Physical,
        Some(raw) => SimType::parse(raw).ok_or_else(|| reject(INVALID_TYPE))?,
    };
    let activation_code = entry
        .activation_code
        .as_deref()
        .map(str::trim)
        .filter(|code| !code.is_empty());
    match (sim_type, activation_code) {
        (SimType::Physical, Some(_)) => Err(reject(CODE_ON_PSIM)),
        (SimType::Embedded, Some(code)) if !valid_activation_code(code) => {
            Err(reject(INVALID_ACTIVATION_CODE))
        }
        _ => Ok(Candidate {
            sim_type,
            activation_code: activation_code.map(str::to_string),
            iccid,
        }),
    }
}

/// `LPA:1$<SM-DP+ address>$<matching id>`: a host name and an id of letters, digits and `-`.
pub(super) fn valid_activation_code(code: &str) -> bool {
    let Some(rest) = code.strip_prefix(LPA_PREFIX) else {
        return false;
    };
    let Some((address, matching_id)) = rest.split_once('$') else {
        return false;
    };
    let host = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    let id = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    code.len() <= MAX_ACTIVATION_CODE
        && !address.is_empty()
        && address.bytes().all(host)
        && !matching_id.is_empty()
        && matching_id.bytes().all(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(iccid: &str, sim_type: Option<&str>, code: Option<&str>) -> SimImportEntry {
        SimImportEntry {
            iccid: iccid.into(),
            sim_type: sim_type.map(str::to_string),
            activation_code: code.map(str::to_string),
        }
    }

    #[test]
    fn defaults_to_a_psim_and_normalises_the_iccid() {
        let c = check(&entry(" 890124039719000208f ", None, None)).unwrap();
        assert_eq!(c.iccid.as_str(), "890124039719000208F");
        assert_eq!(c.sim_type, SimType::Physical);
        assert_eq!(c.activation_code, None);
    }

    #[test]
    fn reports_each_format_rule() {
        assert_eq!(
            check(&entry("8901240397190002081", None, None)),
            Err(("8901240397190002081".into(), INVALID_ICCID))
        );
        assert_eq!(
            check(&entry("8901240397190195850", Some("uicc"), None)),
            Err(("8901240397190195850".into(), INVALID_TYPE))
        );
        assert_eq!(
            check(&entry(
                "8901240397190195850",
                Some("pSIM"),
                Some("LPA:1$a.b$X-1")
            )),
            Err(("8901240397190195850".into(), CODE_ON_PSIM))
        );
        assert_eq!(
            check(&entry(
                "8901240397190195850",
                Some("esim"),
                Some("LPA:1$a.b")
            )),
            Err(("8901240397190195850".into(), INVALID_ACTIVATION_CODE))
        );
    }

    #[test]
    fn esim_keeps_a_valid_code_and_blank_means_generate() {
        let code = "LPA:1$smdp.example.com$K7Q2M-9XW4D-HT3PL-R8BNZ";
        let c = check(&entry("8901240397190195850", Some("ESIM"), Some(code))).unwrap();
        assert_eq!(
            (c.sim_type, c.activation_code.as_deref()),
            (SimType::Embedded, Some(code))
        );
        let c = check(&entry("8901240397190195850", Some("eSIM"), Some("  "))).unwrap();
        assert_eq!(c.activation_code, None);
    }

    #[test]
    fn activation_code_shape() {
        assert!(valid_activation_code(
            "LPA:1$smdp.mpaas.test$ABCDE-12345-FGHIJ-67890"
        ));
        assert!(!valid_activation_code("LPA:2$smdp.mpaas.test$ABC"));
        assert!(!valid_activation_code("LPA:1$$ABC"));
        assert!(!valid_activation_code("LPA:1$smdp.mpaas.test$"));
        assert!(!valid_activation_code("LPA:1$smdp.mpaas.test$AB$C"));
        assert!(!valid_activation_code("LPA:1$smdp mpaas$ABC"));
        let long = format!("LPA:1$smdp.mpaas.test${}", "A".repeat(300));
        assert!(!valid_activation_code(&long));
    }
}
