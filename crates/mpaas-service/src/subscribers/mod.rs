//! Subscribers: create, update, read, list, transfer, delete.
//!
//! Numbers and subscriptions are the single source of truth for `PhoneNumbers` and
//! `Subscriptions` (see `holdings`).

use mpaas_core::ids::{DistributorId, SubscriberId};
use mpaas_core::{Email, Role, E164};
use mpaas_store::subscribers::{
    self, NewSubscriber, SubscriberChanges, SubscriberRow, EMAIL_UNIQUE_INDEX,
};
use mpaas_store::{AnyConnection, Backend, StoreError};

mod holdings;
mod queries;
mod transfer;

pub(crate) use holdings::{subscriber_view, subscriber_views};

pub use queries::{SubscriberLookup, SubscriberQuery};

use crate::events::NewEvent;
use crate::tenancy::{find_account, resolve_account, INVALID_ACCOUNT_ID};
use crate::views::{SubscriberDeletedView, SubscriberView};
use crate::{ServiceError, ServiceResult, Services};

/// Values of a new subscriber (validated at the edge).
#[derive(Clone, Debug)]
pub struct NewSubscriberInput {
    /// By the tenancy rule.
    pub account_id: Option<String>,
    /// 1 to 200 characters.
    pub name: String,
    /// Unique platform-wide among live subscribers, case-insensitively.
    pub email: Email,
    /// Numbers to assign, normalised, in request order (a duplicate is kept so that error paths
    /// name positions as sent; it assigns the same number once).
    pub phone_numbers: Vec<E164>,
    /// Default `Subscriber`.
    pub role: Role,
    /// 8 to 128 characters; stored as an argon2id hash only.
    pub password: String,
}

/// Changes to a subscriber; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct SubscriberUpdate {
    /// Target.
    pub subscriber_id: String,
    /// Must be the subscriber's current account when given.
    pub account_id: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New email.
    pub email: Option<Email>,
    /// Replaces the set of assigned numbers (request order, duplicates kept as on create).
    pub phone_numbers: Option<Vec<E164>>,
    /// New role.
    pub role: Option<Role>,
    /// New password.
    pub password: Option<String>,
}

/// A transfer between two accounts of the caller.
#[derive(Clone, Debug, Default)]
pub struct TransferInput {
    /// Subscriber to move.
    pub subscriber_id: String,
    /// Its current account.
    pub from_account_id: String,
    /// Target account.
    pub to_account_id: String,
    /// Message route of the target for moved numbers.
    pub message_route_id: Option<String>,
    /// Voice route of the target for moved numbers.
    pub voice_route_id: Option<String>,
}

pub(super) fn not_found(id: &str) -> ServiceError {
    ServiceError::not_found("Subscriber", id)
}

fn email_taken(err: StoreError) -> ServiceError {
    if err.is_unique_on(EMAIL_UNIQUE_INDEX) || err.is_unique_on("email_lower") {
        ServiceError::conflict_on("Email", "Email already exists")
    } else {
        err.into()
    }
}

async fn hash_password(password: String) -> ServiceResult<String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
    .map_err(|e| ServiceError::Internal(e.to_string()))
}

impl Services {
    /// Creates a subscriber in an account.
    pub async fn create_subscriber(
        &self,
        distributor: &DistributorId,
        input: NewSubscriberInput,
    ) -> ServiceResult<SubscriberView> {
        let password_hash = hash_password(input.password).await?;
        let id = SubscriberId::generate();
        let mut tx = self.store().begin().await?;
        let account = resolve_account(
            &mut tx,
            distributor,
            input.account_id.as_deref(),
            "AccountId",
        )
        .await?;
        let row = NewSubscriber {
            id: id.as_str(),
            account_id: &account.id,
            distributor_id: distributor.as_str(),
            name: &input.name,
            email: input.email.as_str(),
            role: input.role.as_str(),
            password_hash: &password_hash,
        };
        subscribers::insert(&mut tx, &row, self.clock().now().micros())
            .await
            .map_err(email_taken)?;
        let created = self
            .lock_subscriber(&mut tx, distributor, id.as_str())
            .await?;
        self.assign_numbers(&mut tx, distributor, &created, &input.phone_numbers, false)
            .await?;
        self.commit_change(tx, (distributor, "subscriber.created"), id.as_str())
            .await
    }

    /// Changes the fields sent.
    pub async fn update_subscriber(
        &self,
        distributor: &DistributorId,
        update: SubscriberUpdate,
    ) -> ServiceResult<SubscriberView> {
        let password_hash = match update.password {
            Some(p) => Some(hash_password(p).await?),
            None => None,
        };
        let mut tx = self.store().begin().await?;
        let current = self
            .lock_subscriber(&mut tx, distributor, &update.subscriber_id)
            .await?;
        if let Some(raw) = &update.account_id {
            let account = find_account(&mut tx, distributor, raw)
                .await?
                .ok_or_else(|| ServiceError::field("AccountId", INVALID_ACCOUNT_ID))?;
            if account.id != current.account_id {
                return Err(ServiceError::field(
                    "AccountId",
                    "Use /v1.0/subscribers/transfer to move a subscriber to another account",
                ));
            }
        }
        if let Some(numbers) = &update.phone_numbers {
            self.assign_numbers(&mut tx, distributor, &current, numbers, true)
                .await?;
        }
        let email = update
            .email
            .filter(|e| e.normalized() != current.email.to_lowercase());
        let changes = SubscriberChanges {
            name: update.name.as_deref(),
            email: email.as_ref().map(Email::as_str),
            role: update.role.map(Role::as_str),
            password_hash: password_hash.as_deref(),
        };
        subscribers::update(&mut tx, &current.id, &changes, self.clock().now().micros())
            .await
            .map_err(email_taken)?;
        self.commit_change(tx, (distributor, "subscriber.updated"), &current.id)
            .await
    }

    /// Reloads the changed subscriber, writes its event (`Data` = the subscriber) and commits.
    async fn commit_change(
        &self,
        mut tx: mpaas_store::Transaction<'static, mpaas_store::Any>,
        (distributor, event_type): (&DistributorId, &str),
        id: &str,
    ) -> ServiceResult<SubscriberView> {
        let view = self.reload_subscriber(&mut tx, distributor, id).await?;
        self.emit_subscriber(&mut tx, (distributor, event_type), &view, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// Deletes a subscriber that holds no subscription and no number.
    pub async fn delete_subscriber(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<SubscriberDeletedView> {
        let mut tx = self.store().begin().await?;
        let current = self.lock_subscriber(&mut tx, distributor, raw_id).await?;
        self.check_deletable(&mut tx, &current.id).await?;
        let now = self.clock().now();
        subscribers::mark_deleted(&mut tx, &current.id, now.micros()).await?;
        let view = SubscriberDeletedView {
            subscriber_id: current.id.clone(),
            status: "Deleted".into(),
            date_deleted: now,
        };
        let full = subscriber_view(&mut tx, current).await?;
        self.emit_subscriber(&mut tx, (distributor, "subscriber.deleted"), &full, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    pub(crate) async fn load_subscriber(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<SubscriberRow> {
        let Some(id) = SubscriberId::parse(raw) else {
            return Err(not_found(raw));
        };
        subscribers::find(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw))
    }

    pub(crate) async fn lock_subscriber(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<SubscriberRow> {
        let Some(id) = SubscriberId::parse(raw) else {
            return Err(not_found(raw));
        };
        let postgres = self.store().backend() == Backend::Postgres;
        subscribers::find_for_update(conn, distributor.as_str(), id.as_str(), postgres)
            .await?
            .ok_or_else(|| not_found(raw))
    }

    pub(super) async fn reload_subscriber(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        id: &str,
    ) -> ServiceResult<SubscriberView> {
        let row = subscribers::find(conn, distributor.as_str(), id)
            .await?
            .ok_or_else(|| {
                ServiceError::Internal("subscriber vanished inside its transaction".into())
            })?;
        subscriber_view(conn, row).await
    }

    pub(super) async fn emit_subscriber<D: serde::Serialize>(
        &self,
        conn: &mut AnyConnection,
        (distributor, event_type): (&DistributorId, &str),
        view: &SubscriberView,
        data: &D,
    ) -> ServiceResult<()> {
        let event = NewEvent {
            event_type,
            distributor_id: distributor.as_str(),
            account_id: Some(&view.account.account_id),
            resource_id: &view.subscriber_id,
            data,
        };
        self.emit(conn, event).await
    }
}
