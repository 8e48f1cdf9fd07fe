//! Subscriber roles: three exact strings on the wire, tolerant input.

/// A subscriber's role. A label for the MVNO's own applications; the API does not restrict by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// End user (default).
    Subscriber,
    /// Steward of the account.
    Manager,
    /// Account-level administrator.
    AccountAdmin,
}

impl Role {
    /// Every role, in the order the contract lists them.
    pub const ALL: [Role; 3] = [Role::Subscriber, Role::Manager, Role::AccountAdmin];

    /// The exact wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Subscriber => "Subscriber",
            Role::Manager => "Manager",
            Role::AccountAdmin => "Account Admin",
        }
    }

    /// Case-insensitive, ignoring spaces, `-` and `_` (`account_admin` == `Account Admin`).
    pub fn parse(raw: &str) -> Option<Self> {
        let folded: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().replace(' ', "").to_lowercase() == folded)
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn parses_tolerantly_and_answers_exactly() {
        for raw in [
            "account_admin",
            "ACCOUNT ADMIN",
            "AccountAdmin",
            "account-admin",
        ] {
            assert_eq!(Role::parse(raw), Some(Role::AccountAdmin), "{raw}");
        }
        assert_eq!(Role::parse("manager").map(Role::as_str), Some("Manager"));
        assert_eq!(Role::parse("owner"), None);
    }
}
