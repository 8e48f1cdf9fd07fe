//! The catalogue: products, packages, package items and catalogue seeding.
