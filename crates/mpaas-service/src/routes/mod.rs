//! Message routes (MRID) and voice routes (CRID), 03-routes.md.
