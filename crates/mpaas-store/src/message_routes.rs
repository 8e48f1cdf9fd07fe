//! Message routes (MRID): where a number's inbound SMS/MMS and delivery receipts go.
