//! Number vocabulary of 05: classification, message type, product type and the capability rule
//! (05 §1.2) that ties `ProductType` to the three capability flags.

/// `MVNO` (mobile line) or `IoT`; any case on input (`IOT`, `iot`, `mvno` …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Classification {
    /// A mobile line.
    Mvno,
    /// An IoT line: `p2p` messaging only, never voice.
    Iot,
}

impl Classification {
    /// Parses any case.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "mvno" => Some(Self::Mvno),
            "iot" => Some(Self::Iot),
            _ => None,
        }
    }

    /// `MVNO` / `IoT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mvno => "MVNO",
            Self::Iot => "IoT",
        }
    }
}

/// `p2p` or `a2p`, emitted lowercase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageType {
    /// Person to person.
    P2p,
    /// Application to person.
    A2p,
}

impl MessageType {
    /// Parses any case.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "p2p" => Some(Self::P2p),
            "a2p" => Some(Self::A2p),
            _ => None,
        }
    }

    /// `p2p` / `a2p`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::P2p => "p2p",
            Self::A2p => "a2p",
        }
    }
}

/// Capabilities of a line, one row of the table of 05 §1.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductType {
    /// Messaging only.
    SmsOnly,
    /// Data only.
    DataOnly,
    /// Messaging and data.
    SmsData,
    /// Messaging, data and voice.
    SmsDataVoice,
}

/// The three capability flags: messaging, data, voice.
pub type Capabilities = (bool, bool, bool);

/// Message of an invalid `ProductType`.
pub const PRODUCT_TYPE_MESSAGE: &str =
    "Invalid ProductType. Must be one of: Sms-Only, Data-Only, Sms+Data, Sms+Data+Voice.";
/// Message of a flag triple that is no row of the table.
pub const UNSUPPORTED_COMBINATION: &str =
    "Unsupported combination of MessageEnabled, DataEnabled and VoiceEnabled";

const ALL: [ProductType; 4] = [
    ProductType::SmsOnly,
    ProductType::DataOnly,
    ProductType::SmsData,
    ProductType::SmsDataVoice,
];

impl ProductType {
    /// Parses any case (`sms+data`, `SMS-ONLY` …).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        ALL.into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(raw))
    }

    /// Canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SmsOnly => "Sms-Only",
            Self::DataOnly => "Data-Only",
            Self::SmsData => "Sms+Data",
            Self::SmsDataVoice => "Sms+Data+Voice",
        }
    }

    /// The flags of this row.
    pub fn capabilities(self) -> Capabilities {
        match self {
            Self::SmsOnly => (true, false, false),
            Self::DataOnly => (false, true, false),
            Self::SmsData => (true, true, false),
            Self::SmsDataVoice => (true, true, true),
        }
    }

    /// The row with exactly these flags.
    pub fn of(flags: Capabilities) -> Option<Self> {
        ALL.into_iter().find(|p| p.capabilities() == flags)
    }
}

/// Which rule of 05 §1.2 failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CapabilityError {
    /// A flag contradicts the `ProductType` given (`$.ProductType`).
    Contradicts(String),
    /// Without `ProductType`, the flags are no row of the table (`$.MessageEnabled`).
    Unsupported,
}

/// Applies 05 §1.2: with a `ProductType`, every flag sent must equal its row and absent flags
/// take the row's values; without one, absent flags take `defaults` and the result must be a row.
pub fn resolve_capabilities(
    product_type: Option<ProductType>,
    sent: (Option<bool>, Option<bool>, Option<bool>),
    defaults: Capabilities,
) -> Result<ProductType, CapabilityError> {
    let (message, data, voice) = sent;
    match product_type {
        Some(p) => {
            let (m, d, v) = p.capabilities();
            let agrees = message.is_none_or(|x| x == m)
                && data.is_none_or(|x| x == d)
                && voice.is_none_or(|x| x == v);
            if agrees {
                Ok(p)
            } else {
                Err(CapabilityError::Contradicts(format!(
                    "ProductType {} requires MessageEnabled={m}, DataEnabled={d}, VoiceEnabled={v}",
                    p.as_str()
                )))
            }
        }
        None => {
            let flags = (
                message.unwrap_or(defaults.0),
                data.unwrap_or(defaults.1),
                voice.unwrap_or(defaults.2),
            );
            ProductType::of(flags).ok_or(CapabilityError::Unsupported)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_any_case_canonical_out() {
        assert_eq!(Classification::parse("IOT"), Some(Classification::Iot));
        assert_eq!(Classification::parse("iot").unwrap().as_str(), "IoT");
        assert_eq!(Classification::parse("Mvno").unwrap().as_str(), "MVNO");
        assert_eq!(Classification::parse("voip"), None);
        assert_eq!(MessageType::parse("A2P").unwrap().as_str(), "a2p");
        assert_eq!(MessageType::parse("sms"), None);
        assert_eq!(
            ProductType::parse("sms+DATA+voice"),
            Some(ProductType::SmsDataVoice)
        );
        assert_eq!(ProductType::parse("Sms"), None);
    }

    #[test]
    fn product_type_fills_absent_flags_and_rejects_contradictions() {
        let d = (true, true, false);
        assert_eq!(
            resolve_capabilities(Some(ProductType::DataOnly), (None, None, None), d),
            Ok(ProductType::DataOnly)
        );
        assert_eq!(
            resolve_capabilities(Some(ProductType::SmsData), (Some(true), None, Some(true)), d),
            Err(CapabilityError::Contradicts(
                "ProductType Sms+Data requires MessageEnabled=true, DataEnabled=true, VoiceEnabled=false".into()
            ))
        );
    }

    #[test]
    fn flags_alone_must_be_a_row() {
        let d = (true, true, false);
        assert_eq!(
            resolve_capabilities(None, (None, None, None), d),
            Ok(ProductType::SmsData)
        );
        assert_eq!(
            resolve_capabilities(None, (None, None, Some(true)), d),
            Ok(ProductType::SmsDataVoice)
        );
        assert_eq!(
            resolve_capabilities(None, (Some(false), Some(false), None), d),
            Err(CapabilityError::Unsupported)
        );
        assert_eq!(
            resolve_capabilities(None, (Some(false), None, Some(true)), d),
            Err(CapabilityError::Unsupported)
        );
    }
}
