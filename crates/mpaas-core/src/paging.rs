//! List paging: `PageNumber` (1-based, default 1), `PageSize` (default 100, max 1000,
//! alias `TotalPerPage`).

/// A validated page request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// 1-based page number.
    pub page_number: u32,
    /// Rows per page, 1 to 1000.
    pub page_size: u32,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            page_number: 1,
            page_size: 100,
        }
    }
}

/// Message for an invalid `PageNumber`.
pub const PAGE_NUMBER_MESSAGE: &str = "PageNumber must be 1 or greater";
/// Message for an invalid `PageSize`.
pub const PAGE_SIZE_MESSAGE: &str = "PageSize must be between 1 and 1000";

impl Paging {
    /// Validates raw query values; the error names the field and its message.
    pub fn parse(
        page_number: Option<&str>,
        page_size: Option<&str>,
    ) -> Result<Self, (&'static str, &'static str)> {
        let number = match page_number.map(str::trim) {
            None | Some("") => 1,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or(("PageNumber", PAGE_NUMBER_MESSAGE))?,
        };
        let size = match page_size.map(str::trim) {
            None | Some("") => 100,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or(("PageSize", PAGE_SIZE_MESSAGE))?,
        };
        Ok(Self {
            page_number: number,
            page_size: size,
        })
    }

    /// Rows to skip.
    pub fn offset(self) -> i64 {
        i64::from(self.page_number - 1) * i64::from(self.page_size)
    }

    /// Rows to take.
    pub fn limit(self) -> i64 {
        i64::from(self.page_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(Paging::parse(None, None), Ok(Paging::default()));
        assert_eq!(
            Paging::parse(Some("3"), Some("1000")).unwrap().offset(),
            2000
        );
        assert_eq!(
            Paging::parse(Some("0"), None),
            Err(("PageNumber", PAGE_NUMBER_MESSAGE))
        );
        assert_eq!(
            Paging::parse(Some("x"), None),
            Err(("PageNumber", PAGE_NUMBER_MESSAGE))
        );
        assert_eq!(
            Paging::parse(None, Some("1001")),
            Err(("PageSize", PAGE_SIZE_MESSAGE))
        );
        assert_eq!(
            Paging::parse(None, Some("0")),
            Err(("PageSize", PAGE_SIZE_MESSAGE))
        );
    }
}
