//! Exact money: integer ten-thousandths (4 decimal places), never binary floating point in
//! storage or arithmetic.

/// Largest accepted amount, 999999999.9999, in ten-thousandths.
const MAX_UNITS: i64 = 9_999_999_999_999;
const SCALE: i64 = 10_000;

/// A non-negative amount with at most 4 decimal places.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    /// From ten-thousandths (as stored).
    pub const fn from_units(units: i64) -> Self {
        Self(units)
    }

    /// Ten-thousandths (as stored).
    pub const fn units(self) -> i64 {
        self.0
    }

    /// Parses decimal text (`"39.99"`, `"30"`, `"0.0045"`); `None` when negative, over
    /// 999999999.9999 or with more than 4 decimals.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(frac)
            || frac.len() > 4
            || (raw.contains('.') && frac.is_empty())
        {
            return None;
        }
        let whole = whole.trim_start_matches('0');
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let frac_units: i64 = format!("{frac:0<4}").parse().ok()?;
        let units = whole.checked_mul(SCALE)?.checked_add(frac_units)?;
        (units <= MAX_UNITS).then_some(Self(units))
    }

    /// Parses a JSON number or numeric string exactly. JSON numbers arrive as `f64`; every
    /// accepted amount has at most 13 significant digits, which `f64`'s shortest
    /// round-trip rendering reproduces digit for digit.
    pub fn from_json(value: &serde_json::Value) -> Option<Self> {
        match value {
            serde_json::Value::String(s) => Self::parse(s),
            serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => Self::parse(&n.to_string()),
            serde_json::Value::Number(n) => {
                let rendered = n.as_f64()?.to_string();
                if rendered.contains('e') {
                    return None;
                }
                Self::parse(&rendered)
            }
            _ => None,
        }
    }

    /// Exact sum; `None` on overflow past the accepted maximum.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0
            .checked_add(other.0)
            .filter(|u| *u <= MAX_UNITS)
            .map(Self)
    }

    /// Shortest exact decimal text: `39.99`, `30`, `0.0045`.
    pub fn to_decimal_string(self) -> String {
        let (whole, frac) = (self.0 / SCALE, self.0 % SCALE);
        if frac == 0 {
            return whole.to_string();
        }
        let frac = format!("{frac:04}");
        format!("{whole}.{}", frac.trim_end_matches('0'))
    }
}

impl serde::Serialize for Money {
    /// Serialised as a JSON number in shortest exact form. The decimal text is converted once to
    /// `f64` only for the encoder, whose shortest rendering gives the same digits back.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.to_decimal_string();
        match text.parse::<i64>() {
            Ok(whole) => s.serialize_i64(whole),
            Err(_) => s.serialize_f64(text.parse::<f64>().map_err(serde::ser::Error::custom)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Money;
    use serde_json::json;

    #[test]
    fn parses_and_renders_shortest_exact_form() {
        for (input, out) in [
            ("39.99", "39.99"),
            ("30", "30"),
            ("30.00", "30"),
            ("0.0045", "0.0045"),
            ("0.009", "0.009"),
            ("007.5", "7.5"),
        ] {
            assert_eq!(Money::parse(input).unwrap().to_decimal_string(), out);
        }
        assert_eq!(
            Money::parse("999999999.9999").unwrap().units(),
            9_999_999_999_999
        );
    }

    #[test]
    fn rejects_negative_oversize_and_over_precise() {
        for bad in [
            "-1",
            "1000000000",
            "99999999999999999999",
            "0.00001",
            "1e3",
            "",
            ".5",
            "5.",
            "abc",
            "1.2.3",
        ] {
            assert_eq!(Money::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn sums_exactly_where_floats_do_not() {
        let a = Money::from_json(&json!(0.1)).unwrap();
        let b = Money::from_json(&json!(0.2)).unwrap();
        assert_eq!(a.checked_add(b).unwrap(), Money::parse("0.3").unwrap());
        assert_eq!(
            serde_json::to_string(&a.checked_add(b).unwrap()).unwrap(),
            "0.3"
        );
    }

    #[test]
    fn accepts_strings_and_numbers_from_json() {
        assert_eq!(Money::from_json(&json!("1.12")), Money::parse("1.12"));
        assert_eq!(Money::from_json(&json!(39.99)), Money::parse("39.99"));
        assert_eq!(Money::from_json(&json!(30)), Money::parse("30"));
        assert_eq!(Money::from_json(&json!(true)), None);
        assert_eq!(
            serde_json::to_string(&Money::parse("0.0045").unwrap()).unwrap(),
            "0.0045"
        );
        assert_eq!(
            serde_json::to_string(&Money::parse("30").unwrap()).unwrap(),
            "30"
        );
    }
}
