//! Voice routes (CRID): where a number's calls go.
