//! Reading subscriptions (by id, per subscriber, distributor, account) and cancelling one.

use mpaas_core::ids::{DistributorId, SubscriptionId};
use mpaas_core::{ListFilter, Paging};
use mpaas_store::subscriptions::{self, Scope, SubscriptionRow};

use super::{subscription_view, SubscriptionView};
use crate::catalog::views::PackageView;
use crate::tenancy::resolve_account;
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

fn not_found(raw: &str) -> ServiceError {
    ServiceError::not_found("Subscription", raw)
}

fn page(total: i64, rows: Vec<SubscriptionRow>) -> Page<SubscriptionView> {
    Page {
        total,
        results: rows.into_iter().map(subscription_view).collect(),
    }
}

impl Services {
    /// One subscription by id.
    pub async fn get_subscription(
        &self,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<SubscriptionView> {
        let mut conn = self.store().reader().await?;
        let id = SubscriptionId::parse(raw).ok_or_else(|| not_found(raw))?;
        let row = subscriptions::find(&mut conn, distributor.as_str(), id.as_str(), None)
            .await?
            .ok_or_else(|| not_found(raw))?;
        Ok(subscription_view(row))
    }

    /// A page of one subscriber's subscriptions; answers the subscriber's canonical id with it.
    pub async fn list_subscriber_subscriptions(
        &self,
        distributor: &DistributorId,
        raw_subscriber: &str,
        filter: ListFilter,
        paging: Paging,
    ) -> ServiceResult<(String, Page<SubscriptionView>)> {
        let mut conn = self.store().reader().await?;
        let subscriber = self
            .load_subscriber(&mut conn, distributor, raw_subscriber)
            .await?;
        let (total, rows) = subscriptions::list(
            &mut conn,
            distributor.as_str(),
            Scope::Subscriber(&subscriber.id),
            filter.wants_active(),
            (paging.offset(), paging.limit()),
        )
        .await?;
        Ok((subscriber.id, page(total, rows)))
    }

    /// Every subscription of the caller.
    pub async fn list_distributor_subscriptions(
        &self,
        distributor: &DistributorId,
        filter: ListFilter,
        paging: Paging,
    ) -> ServiceResult<Page<SubscriptionView>> {
        let mut conn = self.store().reader().await?;
        let (total, rows) = subscriptions::list(
            &mut conn,
            distributor.as_str(),
            Scope::Distributor,
            filter.wants_active(),
            (paging.offset(), paging.limit()),
        )
        .await?;
        Ok(page(total, rows))
    }

    /// The subscriptions of one account (tenancy rule); answers the account id with the page.
    pub async fn list_account_subscriptions(
        &self,
        distributor: &DistributorId,
        account_id: Option<&str>,
        filter: ListFilter,
        paging: Paging,
    ) -> ServiceResult<(String, Page<SubscriptionView>)> {
        let mut conn = self.store().reader().await?;
        let account = resolve_account(&mut conn, distributor, account_id, "AccountId").await?;
        let (total, rows) = subscriptions::list(
            &mut conn,
            distributor.as_str(),
            Scope::Account(&account.id),
            filter.wants_active(),
            (paging.offset(), paging.limit()),
        )
        .await?;
        Ok((account.id, page(total, rows)))
    }

    /// A package (without items) with a page of the subscriptions on it.
    pub async fn package_subscriptions(
        &self,
        distributor: &DistributorId,
        raw_package: &str,
        filter: ListFilter,
        paging: Paging,
    ) -> ServiceResult<(PackageView, Page<SubscriptionView>)> {
        let mut conn = self.store().reader().await?;
        let package = self
            .package_without_items(&mut conn, distributor, raw_package)
            .await?;
        let (total, rows) = subscriptions::list(
            &mut conn,
            distributor.as_str(),
            Scope::Package(&package.package_id),
            filter.wants_active(),
            (paging.offset(), paging.limit()),
        )
        .await?;
        Ok((package, page(total, rows)))
    }

    /// Cancels a subscription; one already ended is answered unchanged, without an event.
    pub async fn cancel_subscription(
        &self,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<SubscriptionView> {
        let id = SubscriptionId::parse(raw).ok_or_else(|| not_found(raw))?;
        let mut tx = self.store().begin().await?;
        let lock = Some(self.store().backend());
        let row = subscriptions::find(&mut tx, distributor.as_str(), id.as_str(), lock)
            .await?
            .ok_or_else(|| not_found(raw))?;
        if !row.active {
            return Ok(subscription_view(row));
        }
        let now = self.clock().now().micros();
        subscriptions::end(&mut tx, &row.id, "Cancelled", now).await?;
        let view = self
            .reload_subscription(&mut tx, distributor, &row.id)
            .await?;
        self.emit_subscription(&mut tx, distributor, "subscription.cancelled", &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }
}
