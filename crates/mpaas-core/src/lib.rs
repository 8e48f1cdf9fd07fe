//! Pure domain of mpaas: typed ids, validated value types and the vendor vocabularies.
//! Nothing here performs I/O, so everything is unit-tested and cheap to benchmark.

pub mod address;
pub mod email;
pub mod iccid;
pub mod ids;
pub mod lifecycle;
pub mod money;
pub mod number;
pub mod paging;
pub mod phone;
pub mod role;
pub mod sim_status;
pub mod time;
pub mod validation;

pub use address::Address;
pub use email::Email;
pub use iccid::Iccid;
pub use money::Money;
pub use paging::{ListFilter, Paging};
pub use phone::E164;
pub use role::Role;
pub use time::Timestamp;
pub use validation::{FieldError, ValidationErrors};
