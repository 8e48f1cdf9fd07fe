//! Network functions that can fail on their own while lines keep working, such as moving a
//! line to another number.

/// A network function the platform depends on for some use cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NetworkService {
    /// Moving a line to a new number (`swap`, `replace`).
    NumberSwap,
}

impl NetworkService {
    /// Every service, in wire-name order.
    pub const ALL: [NetworkService; 1] = [NetworkService::NumberSwap];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NumberSwap => "NumberSwap",
        }
    }

    /// From the wire name, ignoring case.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(raw.trim()))
    }

    /// The contract's text when the service is down (05 §2.7).
    pub fn unavailable_message(self) -> &'static str {
        match self {
            Self::NumberSwap => "Number-swap is currently unavailable",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_ignoring_case() {
        for service in NetworkService::ALL {
            assert_eq!(NetworkService::parse(service.as_str()), Some(service));
        }
        assert_eq!(
            NetworkService::parse("numberswap"),
            Some(NetworkService::NumberSwap)
        );
        assert_eq!(NetworkService::parse("SimSwap"), None);
    }
}
