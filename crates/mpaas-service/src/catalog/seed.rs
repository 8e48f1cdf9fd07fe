//! Catalogue seeding (Extension, admin API): the standard products, idempotent by SKU.

use mpaas_core::ids::ProductId;
use mpaas_core::Money;
use mpaas_store::distributors;
use mpaas_store::products::{self, ProductValues};

use super::views::{ProductView, SeedCatalogView};
use super::BillingFrequency;
use crate::{parse_distributor_id, ServiceError, ServiceResult, Services};

/// One product of the standard catalogue.
struct SeedProduct {
    sku: &'static str,
    description: &'static str,
    product_type: &'static str,
    sub_type: &'static str,
    billing_frequency: BillingFrequency,
}

const fn seed(
    sku: &'static str,
    description: &'static str,
    (product_type, sub_type): (&'static str, &'static str),
    billing_frequency: BillingFrequency,
) -> SeedProduct {
    SeedProduct {
        sku,
        description,
        product_type,
        sub_type,
        billing_frequency,
    }
}

const SEED: [SeedProduct; 7] = [
    seed(
        "ESIM",
        "eSIM profile",
        ("esim", "esim"),
        BillingFrequency::Nrc,
    ),
    seed(
        "DATA-1GB",
        "1 GB data, monthly",
        ("data", "1gb"),
        BillingFrequency::Mrc,
    ),
    seed(
        "DATA-5GB",
        "5 GB data, monthly",
        ("data", "5gb"),
        BillingFrequency::Mrc,
    ),
    seed(
        "DATA-10GB",
        "10 GB data, monthly",
        ("data", "10gb"),
        BillingFrequency::Mrc,
    ),
    seed(
        "DATA-UNL",
        "Unlimited data, monthly",
        ("data", "unlimited"),
        BillingFrequency::Mrc,
    ),
    seed(
        "SMS-UNL",
        "Unlimited SMS and MMS, monthly",
        ("sms", "unlimited"),
        BillingFrequency::Mrc,
    ),
    seed(
        "VOICE-UNL",
        "Unlimited voice minutes, monthly",
        ("voice", "unlimited"),
        BillingFrequency::Mrc,
    ),
];

/// The cost of each seed product, in seed order; a key that is no seed SKU (any case) is a 400.
fn seed_costs(costs: &[(String, Money)]) -> ServiceResult<[Money; 7]> {
    let mut out = [Money::default(); 7];
    for (sku, cost) in costs {
        let position = SEED.iter().position(|s| s.sku.eq_ignore_ascii_case(sku));
        let Some(i) = position else {
            return Err(ServiceError::field(
                "Costs",
                format!("Unknown SKU '{sku}' in Costs"),
            ));
        };
        out[i] = *cost;
    }
    Ok(out)
}

impl Services {
    /// Loads the standard catalogue into a distributor: a SKU it already has (any case) is left
    /// untouched; events `product.created` per created product; one transaction.
    pub async fn seed_catalog(
        &self,
        raw_distributor_id: &str,
        costs: &[(String, Money)],
    ) -> ServiceResult<SeedCatalogView> {
        let costs = seed_costs(costs)?;
        let missing = || ServiceError::not_found("Distributor", raw_distributor_id);
        let key = parse_distributor_id(raw_distributor_id).ok_or_else(missing)?;
        let mut tx = self.store().begin().await?;
        let distributor = distributors::find(&mut tx, key.as_str())
            .await?
            .ok_or_else(missing)?;
        let now = self.clock().now().micros();
        let mut created = 0;
        let mut results = Vec::with_capacity(SEED.len());
        for (product, cost) in SEED.iter().zip(costs) {
            let id = ProductId::generate();
            let values = ProductValues {
                sku: product.sku,
                description: product.description,
                product_type: product.product_type,
                sub_type: Some(product.sub_type),
                cost: cost.units(),
                billing_frequency: product.billing_frequency.as_str(),
                active: true,
            };
            let at = (id.as_str(), distributor.id.as_str());
            let inserted = products::insert_if_absent(&mut tx, at, &values, now).await?;
            let row = products::find_by_sku(&mut tx, &distributor.id, product.sku)
                .await?
                .ok_or_else(|| ServiceError::Internal("seeded product not found".into()))?;
            let view = ProductView::from_row(row, self.aggregator_id());
            if inserted {
                created += 1;
                let context = ("product.created", distributor.id.as_str(), None);
                self.emit_catalog(&mut tx, context, &view.product_id, &view)
                    .await?;
            }
            results.push(view);
        }
        mpaas_store::commit(tx).await?;
        Ok(SeedCatalogView {
            distributor_id: distributor.id,
            products_created: created,
            products_skipped: SEED.len() as i64 - created,
            results,
        })
    }
}
