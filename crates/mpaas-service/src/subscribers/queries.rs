//! Subscriber reads: one by id or email, an account's page, the distributor's page.

use mpaas_core::ids::DistributorId;
use mpaas_core::Paging;
use mpaas_store::subscribers::{self, SubscriberRow};
use mpaas_store::AnyConnection;

use super::{not_found, subscriber_view, subscriber_views};
use crate::tenancy::{find_account, resolve_account, INVALID_ACCOUNT_ID};
use crate::views::{Page, SubscriberView};
use crate::{ServiceError, ServiceResult, Services};

/// How `subscribers/get` finds subscribers.
#[derive(Clone, Debug, Default)]
pub struct SubscriberQuery {
    /// One subscriber by id.
    pub subscriber_id: Option<String>,
    /// One subscriber by email.
    pub email: Option<String>,
    /// The account (tenancy rule for lists; a constraint for look-ups).
    pub account_id: Option<String>,
}

/// Either one subscriber or a page of an account's subscribers.
#[derive(Clone, Debug)]
pub enum SubscriberLookup {
    /// `SubscriberId` or `Email` was given.
    One(SubscriberView),
    /// Neither: the account's subscribers.
    List {
        /// The resolved account.
        account_id: String,
        /// The page.
        page: Page<SubscriberView>,
    },
}

/// The 404 of a look-up: by the id as sent, else by the email as sent.
fn lookup_missing(q: &SubscriberQuery) -> ServiceError {
    match (&q.subscriber_id, &q.email) {
        (Some(id), _) => not_found(id),
        (None, Some(email)) => {
            ServiceError::NotFound(format!("Subscriber with email '{email}' was not found."))
        }
        (None, None) => not_found(""),
    }
}

impl Services {
    /// One subscriber by id or email, or a page of an account's subscribers.
    pub async fn find_subscribers(
        &self,
        distributor: &DistributorId,
        q: SubscriberQuery,
        paging: Paging,
    ) -> ServiceResult<SubscriberLookup> {
        let mut conn = self.store().reader().await?;
        if q.subscriber_id.is_none() && q.email.is_none() {
            return self
                .list_account_subscribers(&mut conn, distributor, q.account_id.as_deref(), paging)
                .await;
        }
        // A given AccountId is checked first: its failures are 400, never 404.
        let account = match &q.account_id {
            Some(raw) => {
                Some(resolve_account(&mut conn, distributor, Some(raw), "AccountId").await?)
            }
            None => None,
        };
        let row = self.find_one_subscriber(&mut conn, distributor, &q).await?;
        if account.is_some_and(|a| a.id != row.account_id) {
            return Err(lookup_missing(&q));
        }
        Ok(SubscriberLookup::One(
            subscriber_view(&mut conn, row).await?,
        ))
    }

    async fn list_account_subscribers(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        account_id: Option<&str>,
        paging: Paging,
    ) -> ServiceResult<SubscriberLookup> {
        let account = resolve_account(conn, distributor, account_id, "AccountId").await?;
        let (total, rows) = subscribers::list(
            conn,
            distributor.as_str(),
            Some(&account.id),
            paging.offset(),
            paging.limit(),
        )
        .await?;
        let page = Page {
            total,
            results: subscriber_views(conn, rows).await?,
        };
        Ok(SubscriberLookup::List {
            account_id: account.id,
            page,
        })
    }

    /// The subscriber named by `SubscriberId` and/or `Email` (both must name the same one).
    async fn find_one_subscriber(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        q: &SubscriberQuery,
    ) -> ServiceResult<SubscriberRow> {
        let by_id = match &q.subscriber_id {
            Some(raw) => Some(self.load_subscriber(conn, distributor, raw).await?),
            None => None,
        };
        let by_email = match &q.email {
            Some(email) => Some(
                subscribers::find_by_email(conn, distributor.as_str(), email.trim())
                    .await?
                    .ok_or_else(|| lookup_missing(q))?,
            ),
            None => None,
        };
        match (by_id, by_email) {
            (Some(a), Some(b)) if a.id != b.id => Err(lookup_missing(q)),
            (Some(row), _) | (None, Some(row)) => Ok(row),
            (None, None) => Err(lookup_missing(q)),
        }
    }

    /// A page of all live subscribers of the distributor, optionally of one account.
    pub async fn list_distributor_subscribers(
        &self,
        distributor: &DistributorId,
        account_id: Option<&str>,
        paging: Paging,
    ) -> ServiceResult<Page<SubscriberView>> {
        let mut conn = self.store().reader().await?;
        let account = match account_id {
            Some(raw) => Some(
                find_account(&mut conn, distributor, raw)
                    .await?
                    .ok_or_else(|| ServiceError::field("AccountId", INVALID_ACCOUNT_ID))?,
            ),
            None => None,
        };
        let (total, rows) = subscribers::list(
            &mut conn,
            distributor.as_str(),
            account.as_ref().map(|a| a.id.as_str()),
            paging.offset(),
            paging.limit(),
        )
        .await?;
        Ok(Page {
            total,
            results: subscriber_views(&mut conn, rows).await?,
        })
    }
}
