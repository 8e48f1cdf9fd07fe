//! Message routes (MRID) and voice routes (CRID): create, get, update, delete and the account
//! lists, the authentication, URL, trunk and type rules, secrets at rest, the in-use guard,
//! events and tenant isolation.

mod common;
#[path = "routes/lifecycle.rs"]
mod lifecycle;
#[path = "routes/message.rs"]
mod message;
#[path = "routes/message_update.rs"]
mod message_update;
#[path = "routes/secrets.rs"]
mod secrets;
#[path = "routes/support.rs"]
mod support;
#[path = "routes/tenancy.rs"]
mod tenancy;
#[path = "routes/voice.rs"]
mod voice;
#[path = "routes/voice_properties.rs"]
mod voice_properties;
#[path = "routes/voice_update.rs"]
mod voice_update;
