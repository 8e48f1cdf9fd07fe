//! `POST /v1.0/subscriptions`: the eleven checks of 04, in order, then one transaction.

use mpaas_core::ids::{DistributorId, NumberId, PackageId, SubscriptionId};
use mpaas_core::{Iccid, E164};
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::subscribers::SubscriberRow;
use mpaas_store::subscriptions::{self, NewSubscription, ONE_ACTIVE_INDEX};
use mpaas_store::{AnyConnection, StoreError};

use super::{subscription_view, SubscriptionType, SubscriptionView};
use crate::events::NewEvent;
use crate::numbers::{lock_by_id, lock_by_number, NumberChanges};
use crate::sims::SimTransition;
use crate::tenancy::{find_account, INVALID_ACCOUNT_ID};
use crate::{ServiceError, ServiceResult, Services};

/// A validated create request.
#[derive(Clone, Debug, Default)]
pub struct NewSubscriptionInput {
    /// Subscriber of the caller.
    pub subscriber_id: String,
    /// Number id (`NID-`/`TNID-`).
    pub tnid: Option<String>,
    /// The number in E.164 (Extension), instead of or with `TNID`.
    pub phone_number: Option<E164>,
    /// Package of the caller (`PID-`/`PKID-`).
    pub package_id: String,
    /// SIM to bind or confirm, as sent.
    pub iccid: Option<String>,
    /// Default: the number's classification.
    pub subscription_type: Option<SubscriptionType>,
    /// Must be the subscriber's account when given.
    pub account_id: Option<String>,
}

const NOT_ACTIVE: &str = "Phone number is not active";
const ALREADY_SUBSCRIBED: &str = "Phone number already has an active subscription";

impl Services {
    /// Creates an active subscription; assigns the number and binds the SIM when needed.
    pub async fn create_subscription(
        &self,
        distributor: &DistributorId,
        input: NewSubscriptionInput,
    ) -> ServiceResult<SubscriptionView> {
        let mut tx = self.store().begin().await?;
        self.check_tnid_matches(&mut tx, distributor, &input)
            .await?;
        let subscriber = self
            .lock_subscriber(&mut tx, distributor, &input.subscriber_id)
            .await?;
        self.check_account(&mut tx, distributor, &subscriber, &input)
            .await?;
        let package_id = self
            .check_package(&mut tx, distributor, &subscriber, &input.package_id)
            .await?;
        let (mut number, field) = self.locate_number(&mut tx, distributor, &input).await?;
        check_number(&subscriber, &number, field)?;
        if subscriptions::active_for_number(&mut tx, &number.id)
            .await?
            .is_some()
        {
            return Err(ServiceError::conflict_on(field, ALREADY_SUBSCRIBED));
        }
        let sub_type = check_type(&number, input.subscription_type)?;
        let before = number.clone();
        let sim = self
            .settle_sim(&mut tx, &mut number, input.iccid.as_deref())
            .await?;
        number.subscriber_id = Some(subscriber.id.clone());
        number.updated_on = self.clock().now().micros();
        numbers::save(&mut tx, &number).await?;
        let id = SubscriptionId::generate();
        let row = NewSubscription {
            id: id.as_str(),
            distributor_id: distributor.as_str(),
            account_id: &subscriber.account_id,
            subscriber_id: &subscriber.id,
            number_id: &number.id,
            iccid: number.iccid.as_deref(),
            package_id: package_id.as_str(),
            subscription_type: sub_type.as_str(),
        };
        subscriptions::insert(&mut tx, &row, self.clock().now().micros())
            .await
            .map_err(|e| already_subscribed(e, field))?;
        let view = self
            .reload_subscription(&mut tx, distributor, id.as_str())
            .await?;
        self.emit_subscription(&mut tx, distributor, "subscription.created", &view)
            .await?;
        let changes = NumberChanges::between(&before, &number);
        self.emit_number_updated(&mut tx, &number, None, &changes)
            .await?;
        if let Some(t) = &sim {
            self.emit_sim_transition(&mut tx, &number, t).await?;
        }
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// Check 1: `TNID` and `PhoneNumber`, when both are sent, name the same number.
    async fn check_tnid_matches(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        input: &NewSubscriptionInput,
    ) -> ServiceResult<()> {
        let (Some(tnid), Some(phone)) = (&input.tnid, &input.phone_number) else {
            return Ok(());
        };
        // Read without a lock: the number is locked later, after the subscriber, in the order
        // every writer uses (subscriber, then numbers); its E.164 never changes.
        let row = match NumberId::parse(tnid) {
            Some(id) => {
                numbers::find_live_by_id(conn, distributor.as_str(), id.as_str(), None).await?
            }
            None => None,
        };
        // An unknown TNID is reported by check 5.
        if row.is_some_and(|r| r.number != phone.as_str()) {
            return Err(ServiceError::field(
                "TNID",
                "TNID and PhoneNumber do not match",
            ));
        }
        Ok(())
    }

    /// Check 3: a given `AccountId` is the subscriber's account.
    async fn check_account(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        subscriber: &SubscriberRow,
        input: &NewSubscriptionInput,
    ) -> ServiceResult<()> {
        let Some(raw) = &input.account_id else {
            return Ok(());
        };
        match find_account(conn, distributor, raw).await? {
            Some(a) if a.id == subscriber.account_id => Ok(()),
            _ => Err(ServiceError::field("AccountId", INVALID_ACCOUNT_ID)),
        }
    }

    /// Check 4: the package exists, is active and is open to this subscriber.
    async fn check_package(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        subscriber: &SubscriberRow,
        raw: &str,
    ) -> ServiceResult<PackageId> {
        let not_found = || ServiceError::not_found("Package", raw);
        let id = PackageId::parse(raw).ok_or_else(not_found)?;
        let facts = subscriptions::package_facts(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(not_found)?;
        if !facts.active {
            return Err(ServiceError::conflict_on(
                "PackageId",
                "Package is inactive",
            ));
        }
        if facts
            .subscriber_id
            .as_deref()
            .is_some_and(|s| s != subscriber.id)
        {
            return Err(ServiceError::field(
                "PackageId",
                "Package is not available to this subscriber",
            ));
        }
        Ok(id)
    }

    /// Check 5: the number exists for the caller (by `TNID`, else by `PhoneNumber`).
    async fn locate_number(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        input: &NewSubscriptionInput,
    ) -> ServiceResult<(NumberRow, &'static str)> {
        match (&input.tnid, &input.phone_number) {
            (Some(tnid), _) => Ok((lock_by_id(self, conn, distributor, tnid).await?, "TNID")),
            (None, Some(phone)) => Ok((
                lock_by_number(self, conn, distributor, phone.as_str()).await?,
                "PhoneNumber",
            )),
            (None, None) => Err(ServiceError::field("TNID", "TNID is required")),
        }
    }

    /// Check 11: the SIM. A number with a SIM keeps it (a different `ICCID` is refused); a
    /// number without one gets the given SIM bound.
    async fn settle_sim(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
        raw: Option<&str>,
    ) -> ServiceResult<Option<SimTransition>> {
        let Some(raw) = raw else { return Ok(None) };
        let iccid =
            Iccid::parse(raw).ok_or_else(|| ServiceError::field("ICCID", "Invalid ICCID"))?;
        match &number.iccid {
            Some(current) if current == iccid.as_str() => Ok(None),
            Some(_) => Err(ServiceError::conflict_on(
                "ICCID",
                "Phone number already has a different SIM",
            )),
            None => self.bind_sim(conn, number, &iccid).await.map(Some),
        }
    }

    pub(super) async fn reload_subscription(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        id: &str,
    ) -> ServiceResult<SubscriptionView> {
        subscriptions::find(conn, distributor.as_str(), id, None)
            .await?
            .map(subscription_view)
            .ok_or_else(|| {
                ServiceError::Internal("subscription vanished in its transaction".into())
            })
    }

    pub(super) async fn emit_subscription(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        event_type: &str,
        view: &SubscriptionView,
    ) -> ServiceResult<()> {
        let event = NewEvent {
            event_type,
            distributor_id: distributor.as_str(),
            account_id: Some(&view.account_id),
            resource_id: &view.subscription_id,
            data: view,
        };
        self.emit(conn, event).await
    }
}

/// Checks 6 to 8 on the locked number.
fn check_number(subscriber: &SubscriberRow, number: &NumberRow, field: &str) -> ServiceResult<()> {
    if number.account_id != subscriber.account_id {
        return Err(ServiceError::field(
            field,
            "Phone number does not belong to account",
        ));
    }
    if number.status != "Active" && number.status != "Parked" {
        return Err(ServiceError::conflict_on(field, NOT_ACTIVE));
    }
    if number
        .subscriber_id
        .as_deref()
        .is_some_and(|s| s != subscriber.id)
    {
        return Err(ServiceError::conflict_on(
            field,
            "Phone number is assigned to another subscriber",
        ));
    }
    Ok(())
}

/// Check 10: a requested `Type` equals the number's classification; answers the type.
fn check_type(
    number: &NumberRow,
    requested: Option<SubscriptionType>,
) -> ServiceResult<SubscriptionType> {
    let own = SubscriptionType::of_classification(&number.classification);
    match requested {
        Some(t) if t != own => Err(ServiceError::field(
            "Type",
            "Type does not match the number's classification",
        )),
        _ => Ok(own),
    }
}

/// A concurrent create that won the race on the partial unique index.
fn already_subscribed(err: StoreError, field: &str) -> ServiceError {
    if err.is_unique_on(ONE_ACTIVE_INDEX) || err.is_unique_on("subscriptions.number_id") {
        ServiceError::conflict_on(field, ALREADY_SUBSCRIBED)
    } else {
        err.into()
    }
}
