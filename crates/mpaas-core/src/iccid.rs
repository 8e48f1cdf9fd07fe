//! ICCID: 18 to 22 characters, digits optionally ending in `F`, starting with `89`; the Luhn
//! check digit is verified when the value is all digits and 19 or 20 long (README, ICCID).

/// A syntactically valid ICCID (upper-case `F` when present).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Iccid(String);

/// The Luhn check digit of a string of digits (`None` when it holds anything else).
pub fn luhn_check_digit(digits: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let mut d = u32::from(b - b'0');
        // The digit next to the check digit is doubled first.
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    Some(((10 - sum % 10) % 10) as u8)
}

fn luhn_valid(digits: &str) -> bool {
    let (body, check) = digits.split_at(digits.len() - 1);
    luhn_check_digit(body) == check.parse::<u8>().ok()
}

impl Iccid {
    /// Parses an ICCID as sent (surrounding spaces ignored, `f` read as `F`).
    pub fn parse(raw: &str) -> Option<Self> {
        let value = raw.trim().to_ascii_uppercase();
        let digits = value.strip_suffix('F').unwrap_or(&value);
        let well_formed = (18..=22).contains(&value.len())
            && value.starts_with("89")
            && digits.bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            return None;
        }
        let checked = digits.len() == value.len() && matches!(value.len(), 19 | 20);
        if checked && !luhn_valid(&value) {
            return None;
        }
        Some(Self(value))
    }

    /// `body` (digits, starting with `89`, 17 to 19 long) followed by its Luhn digit.
    pub fn with_luhn(body: &str) -> Option<Self> {
        let check = luhn_check_digit(body)?;
        Self::parse(&format!("{body}{check}"))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Iccid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_examples_are_valid() {
        for raw in [
            "8901260882310000010",
            "8901240397190195850",
            "8901999000000010425",
            "8901999000000010433",
        ] {
            assert_eq!(
                Iccid::parse(raw).map(|i| i.0),
                Some(raw.to_string()),
                "{raw}"
            );
        }
    }

    #[test]
    fn luhn_is_checked_only_for_19_and_20_digits() {
        assert!(
            Iccid::parse("8901240397190002081").is_none(),
            "bad check digit"
        );
        assert!(
            Iccid::parse("890124039719000208").is_some(),
            "18 digits: no check"
        );
        assert!(
            Iccid::parse("8901240397190002081234").is_some(),
            "22 digits: no check"
        );
        assert!(
            Iccid::parse("890124039719000208F").is_some(),
            "with F: no check"
        );
    }

    #[test]
    fn format_rules() {
        assert_eq!(
            Iccid::parse(" 890124039719000208f ").unwrap().as_str(),
            "890124039719000208F"
        );
        assert!(
            Iccid::parse("8801240397190195850").is_none(),
            "must start with 89"
        );
        assert!(Iccid::parse("89012403971900020").is_none(), "too short");
        assert!(
            Iccid::parse("89012403971900020812345").is_none(),
            "too long"
        );
        assert!(Iccid::parse("8901240397190A95850").is_none(), "letters");
        assert!(
            Iccid::parse("8901240397190195850FF").is_none(),
            "F only at the end"
        );
        assert!(Iccid::parse("").is_none());
        assert!(Iccid::parse("89€1240397190195850").is_none());
    }

    #[test]
    fn generates_a_valid_check_digit() {
        let iccid = Iccid::with_luhn("890199900000001042").unwrap();
        assert_eq!(iccid.as_str(), "8901999000000010425");
        assert_eq!(luhn_check_digit("7992739871"), Some(3));
        assert_eq!(luhn_check_digit("12a"), None);
    }
}
