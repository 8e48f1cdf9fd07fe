//! Packages and their items.
