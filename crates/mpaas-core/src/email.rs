//! Email addresses as the contract defines them: `local@domain.tld`, at most 254 characters.

/// A syntactically valid email, case kept as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain.tld` without white space, at most 254 characters.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.len() > 254 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        let (local, domain) = raw.rsplit_once('@')?;
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic));
        let local_ok = !local.is_empty() && local.len() <= 64 && !local.contains('@');
        (domain_ok && local_ok).then(|| Self(raw.to_string()))
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lowercase form used for uniqueness and look-ups.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in ["jane.doe@example.com", "A+b@sub.Example.org", "x@y.io"] {
            assert!(Email::parse(ok).is_some(), "{ok}");
        }
        assert_eq!(
            Email::parse("Jane@Example.com").unwrap().normalized(),
            "jane@example.com"
        );
    }

    #[test]
    fn rejects_what_is_not_local_at_domain_tld() {
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "jane@exa mple.com",
            "jane@.com",
            "a@b.c1",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_none());
    }
}
