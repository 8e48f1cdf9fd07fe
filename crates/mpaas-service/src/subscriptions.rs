//! Subscriptions: a package tied to a subscriber's number.
