//! Accounts: create, update, read, list.

use mpaas_core::ids::{AccountId, DistributorId};
use mpaas_core::{Address, Paging, Timestamp};
use mpaas_store::accounts::{self, AccountRow, AccountValues};
use mpaas_store::AnyConnection;

use crate::distributors::{address_json, parse_address};
use crate::events::NewEvent;
use crate::tenancy::resolve_account;
use crate::views::{AccountView, Page};
use crate::{ServiceError, ServiceResult, Services};

/// Values of a new account (validated at the edge).
#[derive(Clone, Debug, Default)]
pub struct NewAccountInput {
    /// 1 to 200 characters.
    pub name: String,
    /// Manager email.
    pub admin_email: String,
    /// Billing address.
    pub billing: Option<Address>,
    /// Mailing address.
    pub mailing: Option<Address>,
}

/// Changes to an account; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct AccountChanges {
    /// Target, by the tenancy rule.
    pub account_id: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New manager email.
    pub admin_email: Option<String>,
    /// Replaces the billing address.
    pub billing: Option<Address>,
    /// Replaces the mailing address.
    pub mailing: Option<Address>,
}

/// The wire object of a stored account.
pub(crate) fn account_view(row: AccountRow) -> AccountView {
    AccountView {
        account_id: row.id,
        account_name: row.name,
        total_subscribers: row.total_subscribers,
        billing_address: parse_address(&row.billing_address),
        mailing_address: parse_address(&row.mailing_address),
        account_admin: row.admin_email,
        distributor_id: row.distributor_id,
        created_on: Timestamp::from_micros(row.created_on),
    }
}

impl Services {
    /// Creates an account under the distributor.
    pub async fn create_account(
        &self,
        distributor: &DistributorId,
        input: NewAccountInput,
    ) -> ServiceResult<AccountView> {
        let id = AccountId::generate();
        let billing = address_json(&input.billing.unwrap_or_default())?;
        let mailing = address_json(&input.mailing.unwrap_or_default())?;
        let values = AccountValues {
            name: &input.name,
            admin_email: &input.admin_email,
            billing_address: &billing,
            mailing_address: &mailing,
        };
        let mut tx = self.store().begin().await?;
        accounts::insert(
            &mut tx,
            id.as_str(),
            distributor.as_str(),
            &values,
            self.clock().now().micros(),
        )
        .await?;
        let view = self
            .reload_account(&mut tx, distributor, id.as_str())
            .await?;
        self.emit_account(&mut tx, "account.created", &view).await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// Changes the fields sent.
    pub async fn update_account(
        &self,
        distributor: &DistributorId,
        changes: AccountChanges,
    ) -> ServiceResult<AccountView> {
        let mut tx = self.store().begin().await?;
        let current = resolve_account(
            &mut tx,
            distributor,
            changes.account_id.as_deref(),
            "AccountId",
        )
        .await?;
        let billing = changes
            .billing
            .map(|a| address_json(&a))
            .transpose()?
            .unwrap_or(current.billing_address);
        let mailing = changes
            .mailing
            .map(|a| address_json(&a))
            .transpose()?
            .unwrap_or(current.mailing_address);
        let values = AccountValues {
            name: changes.name.as_deref().unwrap_or(&current.name),
            admin_email: changes
                .admin_email
                .as_deref()
                .unwrap_or(&current.admin_email),
            billing_address: &billing,
            mailing_address: &mailing,
        };
        accounts::update(&mut tx, &current.id, &values, self.clock().now().micros()).await?;
        let view = self
            .reload_account(&mut tx, distributor, &current.id)
            .await?;
        self.emit_account(&mut tx, "account.updated", &view).await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// One account by the tenancy rule.
    pub async fn get_account(
        &self,
        distributor: &DistributorId,
        account_id: Option<&str>,
    ) -> ServiceResult<AccountView> {
        let mut conn = self.store().reader().await?;
        Ok(account_view(
            resolve_account(&mut conn, distributor, account_id, "AccountId").await?,
        ))
    }

    /// A page of the distributor's accounts in creation order.
    pub async fn list_accounts(
        &self,
        distributor: &DistributorId,
        paging: Paging,
    ) -> ServiceResult<Page<AccountView>> {
        let mut conn = self.store().reader().await?;
        let (total, rows) = accounts::list(
            &mut conn,
            distributor.as_str(),
            paging.offset(),
            paging.limit(),
        )
        .await?;
        Ok(Page {
            total,
            results: rows.into_iter().map(account_view).collect(),
        })
    }

    async fn reload_account(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        id: &str,
    ) -> ServiceResult<AccountView> {
        let row = accounts::find(conn, distributor.as_str(), id).await?;
        row.map(account_view)
            .ok_or_else(|| ServiceError::Internal("account vanished inside its transaction".into()))
    }

    async fn emit_account(
        &self,
        conn: &mut AnyConnection,
        event_type: &str,
        view: &AccountView,
    ) -> ServiceResult<()> {
        let event = NewEvent {
            event_type,
            distributor_id: &view.distributor_id,
            account_id: Some(&view.account_id),
            resource_id: &view.account_id,
            data: view,
        };
        self.emit(conn, event).await
    }
}
