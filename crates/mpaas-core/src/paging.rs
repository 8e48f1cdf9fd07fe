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

/// Message for an invalid `Filter`.
pub const FILTER_MESSAGE: &str = "Invalid Filter. Must be one of: All, Active, Inactive.";

/// The `Filter` of list endpoints: `All` (default), `Active`, `Inactive`, any case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListFilter {
    /// Everything.
    #[default]
    All,
    /// Active (or not deleted) only.
    Active,
    /// Inactive (or deleted) only.
    Inactive,
}

impl ListFilter {
    /// Parses a raw query value; absent or blank is `All`.
    pub fn parse(raw: Option<&str>) -> Result<Self, &'static str> {
        match raw.map(|r| r.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("all") => Ok(Self::All),
            Some("active") => Ok(Self::Active),
            Some("inactive") => Ok(Self::Inactive),
            Some(_) => Err(FILTER_MESSAGE),
        }
    }

    /// The canonical spelling echoed in list answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "All",
            Self::Active => "Active",
            Self::Inactive => "Inactive",
        }
    }

    /// `None` for `All`, else whether the active rows are wanted.
    pub fn wants_active(self) -> Option<bool> {
        match self {
            Self::All => None,
            Self::Active => Some(true),
            Self::Inactive => Some(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_any_case_default_all() {
        assert_eq!(ListFilter::parse(None), Ok(ListFilter::All));
        assert_eq!(ListFilter::parse(Some(" ")), Ok(ListFilter::All));
        assert_eq!(ListFilter::parse(Some("aCtIvE")), Ok(ListFilter::Active));
        assert_eq!(
            ListFilter::parse(Some("INACTIVE")),
            Ok(ListFilter::Inactive)
        );
        assert_eq!(ListFilter::parse(Some("Deleted")), Err(FILTER_MESSAGE));
        assert_eq!(ListFilter::Inactive.wants_active(), Some(false));
        assert_eq!(ListFilter::All.as_str(), "All");
    }

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
