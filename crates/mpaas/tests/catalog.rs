//! The catalogue: products, packages, package items and catalogue seeding — wire objects,
//! validation, money exactness, partial updates, tenant isolation, lists and events.

mod common;
#[path = "catalog/hostile.rs"]
mod hostile;
#[path = "catalog/items.rs"]
mod items;
#[path = "catalog/lists.rs"]
mod lists;
#[path = "catalog/money.rs"]
mod money;
#[path = "catalog/packages.rs"]
mod packages;
#[path = "catalog/products.rs"]
mod products;
#[path = "catalog/seed.rs"]
mod seed;
#[path = "catalog/support.rs"]
mod support;
#[path = "catalog/tenancy.rs"]
mod tenancy;
