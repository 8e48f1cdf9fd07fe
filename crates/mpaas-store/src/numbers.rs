//! Phone numbers: one row per MSISDN per life on the platform.
