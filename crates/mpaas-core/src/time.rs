//! Platform time: timestamps as integer microseconds since the Unix epoch (UTC), rendered as
//! RFC 3339 with six fractional digits, plus the vendor's date and expiry formats.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// An instant in platform time, microseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// From microseconds since the epoch (as stored).
    pub const fn from_micros(micros: i64) -> Self {
        Self(micros)
    }

    /// Microseconds since the epoch (as stored).
    pub const fn micros(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch (JWT `iat`/`exp`).
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    /// From whole seconds since the epoch.
    pub const fn from_unix_seconds(secs: i64) -> Self {
        Self(secs.saturating_mul(1_000_000))
    }

    /// This instant moved by `secs` seconds (saturating).
    pub const fn plus_seconds(self, secs: i64) -> Self {
        Self(self.0.saturating_add(secs.saturating_mul(1_000_000)))
    }

    fn to_datetime(self) -> DateTime<Utc> {
        Utc.timestamp_micros(self.0)
            .single()
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// `2025-10-29T12:36:19.338438+00:00`.
    pub fn to_rfc3339(self) -> String {
        self.to_datetime()
            .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
            .to_string()
    }

    /// The token's `tokenExpiry` form: `11/03/2025 11:05:12 AM` (UTC).
    pub fn to_vendor_expiry(self) -> String {
        self.to_datetime()
            .format("%m/%d/%Y %I:%M:%S %p")
            .to_string()
    }

    /// Parses an RFC 3339 timestamp with any offset.
    pub fn parse_rfc3339(raw: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(raw.trim())
            .ok()
            .map(|d| Self(d.timestamp_micros()))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

/// Parses a date input: `MM/DD/YYYY`, `M/D/YYYY` or `YYYY-MM-DD`.
pub fn parse_vendor_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.contains('/') {
        let mut parts = raw.split('/');
        let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
        let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !short(m) || !short(d) || y.len() != 4 {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    } else {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .filter(|_| raw.len() == 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rfc3339_with_micros_and_utc_offset() {
        let t = Timestamp::parse_rfc3339("2025-10-29T12:36:19.338438Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-10-29T12:36:19.338438+00:00");
        let shifted = Timestamp::parse_rfc3339("2025-10-29T14:36:19+02:00").unwrap();
        assert_eq!(shifted.to_rfc3339(), "2025-10-29T12:36:19.000000+00:00");
    }

    #[test]
    fn renders_vendor_expiry() {
        let t = Timestamp::from_unix_seconds(1_762_167_912);
        assert_eq!(t.to_vendor_expiry(), "11/03/2025 11:05:12 AM");
        assert_eq!(
            t.plus_seconds(3600 * 3).to_vendor_expiry(),
            "11/03/2025 02:05:12 PM"
        );
    }

    #[test]
    fn parses_the_three_date_forms() {
        let want = NaiveDate::from_ymd_opt(2025, 3, 7);
        assert_eq!(parse_vendor_date("03/07/2025"), want);
        assert_eq!(parse_vendor_date("3/7/2025"), want);
        assert_eq!(parse_vendor_date("2025-03-07"), want);
        for bad in [
            "2025/03/07",
            "13/01/2025",
            "02/30/2025",
            "3-7-2025",
            "",
            "03/07/25",
            "2025-3-7",
        ] {
            assert_eq!(parse_vendor_date(bad), None, "{bad}");
        }
    }
}
