//! What a subscriber holds: numbers (the number row's `AssignedSubscriberId` is the single
//! source of truth) and active subscriptions. Derives `PhoneNumbers`/`Subscriptions` at read
//! time and applies the assignment rules of 02 (Behaviour).

use std::collections::HashMap;

use mpaas_core::ids::DistributorId;
use mpaas_core::{Timestamp, ValidationErrors, E164};
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::subscribers::SubscriberRow;
use mpaas_store::subscriptions;
use mpaas_store::AnyConnection;

use crate::numbers::NumberChanges;
use crate::views::{SubscriberAccountView, SubscriberSubscriptionView, SubscriberView};
use crate::{ServiceError, ServiceResult, Services};

const NOT_IN_ACCOUNT: &str = "Phone number does not belong to account";

/// Subscriber objects for `rows`, with their numbers and active subscriptions.
pub(crate) async fn subscriber_views(
    conn: &mut AnyConnection,
    rows: Vec<SubscriberRow>,
) -> ServiceResult<Vec<SubscriberView>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut numbers: HashMap<String, Vec<String>> = HashMap::new();
    for (subscriber, number) in numbers::numbers_of_subscribers(conn, &ids).await? {
        numbers.entry(subscriber).or_default().push(number);
    }
    let mut subs: HashMap<String, Vec<SubscriberSubscriptionView>> = HashMap::new();
    for s in subscriptions::active_of_subscribers(conn, &ids).await? {
        subs.entry(s.subscriber_id)
            .or_default()
            .push(SubscriberSubscriptionView {
                subscription_id: s.id,
                phone_number: s.phone_number,
                package_id: s.package_id,
                iccid: s.iccid,
            });
    }
    Ok(rows
        .into_iter()
        .map(|row| SubscriberView {
            phone_numbers: numbers.remove(&row.id).unwrap_or_default(),
            subscriptions: subs.remove(&row.id).unwrap_or_default(),
            subscriber_id: row.id,
            name: row.name,
            email: row.email,
            role: row.role,
            account: SubscriberAccountView {
                account_id: row.account_id,
                company_name: row.account_name,
            },
            created_on: Timestamp::from_micros(row.created_on),
        })
        .collect())
}

/// One subscriber object.
pub(crate) async fn subscriber_view(
    conn: &mut AnyConnection,
    row: SubscriberRow,
) -> ServiceResult<SubscriberView> {
    let mut views = subscriber_views(conn, vec![row]).await?;
    views
        .pop()
        .ok_or_else(|| ServiceError::Internal("no view for a subscriber row".into()))
}

impl Services {
    /// Makes the numbers listed exactly the subscriber's (`replace`), or adds them (create).
    /// Each listed number must be an `Active` or `Parked` number of the subscriber's account,
    /// free or already this subscriber's; a number leaving the subscriber must have no active
    /// subscription. Writes `number.updated` per changed number.
    pub(super) async fn assign_numbers(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        subscriber: &SubscriberRow,
        listed: &[E164],
        replace: bool,
    ) -> ServiceResult<()> {
        // The held set only changes under the subscriber's lock, which this transaction holds.
        let held = if replace {
            numbers::assigned_to(conn, &subscriber.id, None).await?
        } else {
            Vec::new()
        };
        let locked = self.lock_in_order(conn, distributor, listed, &held).await?;
        let wanted = check_listed(subscriber, listed, &locked)?;
        let leaving = held
            .iter()
            .filter_map(|n| locked.get(&n.number))
            .filter(|n| n.subscriber_id.as_deref() == Some(subscriber.id.as_str()))
            .filter(|n| !wanted.iter().any(|w| w.id == n.id));
        for number in leaving {
            if subscriptions::active_for_number(conn, &number.id)
                .await?
                .is_some()
            {
                return Err(ServiceError::conflict_on(
                    "PhoneNumbers",
                    "Number has an active subscription",
                ));
            }
            self.set_assignee(conn, number, None).await?;
        }
        for number in wanted.iter().filter(|n| n.subscriber_id.is_none()) {
            self.set_assignee(conn, number, Some(&subscriber.id))
                .await?;
        }
        Ok(())
    }

    /// Locks the caller's live rows of the listed and held numbers in E.164 order (each once),
    /// so that requests naming the same numbers in different orders queue instead of
    /// deadlocking; answers them by E.164.
    async fn lock_in_order(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        listed: &[E164],
        held: &[NumberRow],
    ) -> ServiceResult<HashMap<String, NumberRow>> {
        let mut keys: Vec<&str> = listed.iter().map(E164::as_str).collect();
        keys.extend(held.iter().map(|n| n.number.as_str()));
        keys.sort_unstable();
        keys.dedup();
        let lock = Some(self.store().backend());
        let mut rows = HashMap::with_capacity(keys.len());
        for key in keys {
            if let Some(row) =
                numbers::find_live_by_number(conn, distributor.as_str(), key, lock).await?
            {
                rows.insert(key.to_string(), row);
            }
        }
        Ok(rows)
    }

    async fn set_assignee(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
        subscriber: Option<&str>,
    ) -> ServiceResult<()> {
        let mut changed = number.clone();
        changed.subscriber_id = subscriber.map(str::to_string);
        changed.updated_on = self.clock().now().micros();
        numbers::save(conn, &changed).await?;
        let changes = NumberChanges::between(number, &changed);
        self.emit_number_updated(conn, &changed, None, &changes)
            .await
    }

    /// The 409 guards of a subscriber delete, in the contract's order.
    pub(super) async fn check_deletable(
        &self,
        conn: &mut AnyConnection,
        subscriber_id: &str,
    ) -> ServiceResult<()> {
        if subscriptions::subscriber_has_active(conn, subscriber_id).await? {
            return Err(ServiceError::conflict(
                "Subscriber has active subscriptions",
            ));
        }
        if !numbers::assigned_to(conn, subscriber_id, None)
            .await?
            .is_empty()
        {
            return Err(ServiceError::conflict(
                "Subscriber has assigned phone numbers",
            ));
        }
        Ok(())
    }
}

/// The locked rows of the listed numbers (a repeat once), after checking each position: 400s
/// for every bad position first, then the first 409.
fn check_listed(
    subscriber: &SubscriberRow,
    listed: &[E164],
    locked: &HashMap<String, NumberRow>,
) -> ServiceResult<Vec<NumberRow>> {
    let mut found: Vec<(usize, &NumberRow)> = Vec::new();
    let mut errors = ValidationErrors::default();
    for (i, number) in listed.iter().enumerate() {
        match locked
            .get(number.as_str())
            .filter(|r| r.account_id == subscriber.account_id)
        {
            Some(row) => found.push((i, row)),
            None => errors.add(&format!("PhoneNumbers[{i}]"), NOT_IN_ACCOUNT),
        }
    }
    errors.into_result(()).map_err(ServiceError::from)?;
    for (i, row) in &found {
        let field = format!("PhoneNumbers[{i}]");
        if row.status != "Active" && row.status != "Parked" {
            return Err(ServiceError::conflict_on(
                &field,
                "Phone number is not active",
            ));
        }
        if row
            .subscriber_id
            .as_deref()
            .is_some_and(|s| s != subscriber.id)
        {
            return Err(ServiceError::conflict_on(
                &field,
                "Phone number is assigned to another subscriber",
            ));
        }
    }
    let mut rows: Vec<NumberRow> = Vec::with_capacity(found.len());
    for (_, row) in found {
        if !rows.iter().any(|r| r.id == row.id) {
            rows.push(row.clone());
        }
    }
    Ok(rows)
}
