//! One inventory pool: the numbers of one exchange reserved for one ZIP code.

/// The `NGP` a pool reports (vendor vocabulary: the number group a pool belongs to).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ngp {
    /// `SAG`: the first byte of `HMAC-SHA256(seed, ZipCode)` is even.
    Sag,
    /// `AGP`: that byte is odd.
    Agp,
}

impl Ngp {
    /// The wire text, `SAG` or `AGP`.
    pub fn as_str(self) -> &'static str {
        match self {
            Ngp::Sag => "SAG",
            Ngp::Agp => "AGP",
        }
    }
}

/// A pool: lines `0000` to `size - 1` of exchange `exchange` in area code `area_code`,
/// located in ZIP code `zip_code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pool {
    pub(crate) ngp: Ngp,
    pub(crate) area_code: u16,
    pub(crate) zip_code: &'static str,
    pub(crate) state: &'static str,
    pub(crate) exchange: u16,
    pub(crate) size: u32,
}

impl Pool {
    /// `SAG` or `AGP`.
    pub fn ngp(&self) -> Ngp {
        self.ngp
    }

    /// The three-digit area code (NPA).
    pub fn area_code(&self) -> u16 {
        self.area_code
    }

    /// The five-digit ZIP code.
    pub fn zip_code(&self) -> &'static str {
        self.zip_code
    }

    /// The two-letter state (`DC` for the District of Columbia).
    pub fn state(&self) -> &'static str {
        self.state
    }

    /// The exchange (NXX) the pool's numbers use.
    pub fn exchange(&self) -> u16 {
        self.exchange
    }

    /// How many numbers the pool holds (lines `0` to `size - 1`).
    pub fn size(&self) -> u32 {
        self.size
    }

    /// The E.164 number (`+1AAAXXXLLLL`) on `line`, or `None` past the end of the pool.
    pub fn number(&self, line: u32) -> Option<String> {
        (line < self.size).then(|| format_number(self.prefix(), line))
    }

    /// Every number of the pool, in line order.
    pub fn numbers(&self) -> impl Iterator<Item = String> + '_ {
        (0..self.size).map(|line| format_number(self.prefix(), line))
    }

    /// The line of `number` (E.164, `+1AAAXXXLLLL`) if it belongs to this pool.
    pub fn line_of(&self, number: &str) -> Option<u32> {
        let (prefix, line) = split_number(number)?;
        (prefix == self.prefix() && line < self.size).then_some(line)
    }

    /// Area code and exchange as one integer, `AAAXXX`.
    pub(crate) fn prefix(&self) -> u32 {
        u32::from(self.area_code) * 1000 + u32::from(self.exchange)
    }
}

/// Splits `+1AAAXXXLLLL` into `AAAXXX` and `LLLL`; anything else is `None`.
pub(crate) fn split_number(number: &str) -> Option<(u32, u32)> {
    let digits = number.strip_prefix("+1")?.as_bytes();
    if digits.len() != 10 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = |bytes: &[u8]| {
        bytes
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    Some((value(&digits[..6]), value(&digits[6..])))
}

fn format_number(prefix: u32, line: u32) -> String {
    let mut text = String::with_capacity(12);
    text.push_str("+1");
    push_digits(&mut text, prefix, 6);
    push_digits(&mut text, line, 4);
    text
}

/// Appends the `width` lowest decimal digits of `value`, zero-padded.
fn push_digits(text: &mut String, value: u32, width: u32) {
    for position in (0..width).rev() {
        let digit = (value / 10u32.pow(position)) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Pool {
        Pool {
            ngp: Ngp::Sag,
            area_code: 201,
            zip_code: "07030",
            state: "NJ",
            exchange: 378,
            size: 2500,
        }
    }

    #[test]
    fn numbers_are_e164_with_zero_padded_lines() {
        let pool = pool();
        assert_eq!(pool.number(0).as_deref(), Some("+12013780000"));
        assert_eq!(pool.number(42).as_deref(), Some("+12013780042"));
        assert_eq!(pool.number(2499).as_deref(), Some("+12013782499"));
        assert_eq!(pool.number(2500), None);
        assert_eq!(pool.numbers().count(), 2500);
        assert_eq!(pool.numbers().nth(2).as_deref(), Some("+12013780002"));
    }

    #[test]
    fn line_of_accepts_only_numbers_of_the_pool() {
        let pool = pool();
        assert_eq!(pool.line_of("+12013780000"), Some(0));
        assert_eq!(pool.line_of("+12013782499"), Some(2499));
        for other in [
            "+12013782500",
            "+12013790000",
            "+15513780000",
            "12013780000",
            "+1201378000",
            "+120137800000",
            "+1201378000x",
            "+22013780000",
            "",
        ] {
            assert_eq!(pool.line_of(other), None, "{other}");
        }
    }

    #[test]
    fn ngp_wire_texts() {
        assert_eq!(Ngp::Sag.as_str(), "SAG");
        assert_eq!(Ngp::Agp.as_str(), "AGP");
    }
}
