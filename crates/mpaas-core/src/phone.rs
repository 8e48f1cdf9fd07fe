//! E.164 phone numbers validated with libphonenumber's metadata.

/// A valid phone number in E.164 form (`+18015551234`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct E164(String);

impl E164 {
    /// Parses and validates a number. NANP numbers may come without `+` (`18015551234`) or as
    /// 10 digits (`8015551234`); separators (space, `-`, `.`, parentheses) are ignored.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let plus = raw.starts_with('+');
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let punctuation_ok = raw.chars().enumerate().all(|(i, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0)
        });
        if !punctuation_ok || digits.is_empty() || digits.len() > 15 {
            return None;
        }
        let candidate = match (plus, digits.len()) {
            (true, _) => format!("+{digits}"),
            (false, 10) => format!("+1{digits}"),
            (false, 11) if digits.starts_with('1') => format!("+{digits}"),
            _ => return None,
        };
        let parsed = phonenumber::parse(None, &candidate).ok()?;
        phonenumber::is_valid(&parsed)
            .then(|| Self(parsed.format().mode(phonenumber::Mode::E164).to_string()))
    }

    /// Wraps a value read back from storage.
    pub fn from_stored(raw: String) -> Self {
        Self(raw)
    }

    /// The E.164 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for E164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::E164;

    #[test]
    fn normalises_nanp_inputs() {
        for raw in [
            "+18015551234",
            "18015551234",
            "8015551234",
            "(801) 555-1234",
            " +1 801 555 1234 ",
        ] {
            assert_eq!(
                E164::parse(raw).map(|n| n.0),
                Some("+18015551234".to_string()),
                "{raw}"
            );
        }
    }

    #[test]
    fn accepts_valid_international_numbers() {
        assert_eq!(
            E164::parse("+442079460000").unwrap().as_str(),
            "+442079460000"
        );
    }

    #[test]
    fn rejects_invalid_numbers() {
        for bad in [
            "",
            "abc",
            "+1",
            "12345",
            "+10005551234",
            "0015551234",
            "+1801555123x",
            "801555123456789012",
        ] {
            assert_eq!(E164::parse(bad), None, "{bad}");
        }
    }
}
