//! Products: the distributor's catalogue of billable units.
