//! `POST /v1.0/subscribers/transfer`: the subscriber, every number assigned to it (with the
//! target account's routes and, when the source account owns it, its SIM) and its subscriptions
//! move to another account of the caller in one transaction.

use mpaas_core::ids::DistributorId;
use mpaas_store::numbers::{self, NumberRow, RouteKind};
use mpaas_store::subscribers::{self, SubscriberRow};
use mpaas_store::{sims, subscriptions, AnyConnection};

use super::TransferInput;
use crate::numbers::NumberChanges;
use crate::tenancy::{find_account, INVALID_ACCOUNT_ID};
use crate::views::SubscriberView;
use crate::{ServiceError, ServiceResult, Services};

/// The routes moved numbers get in the target account.
struct TargetRoutes {
    message: Option<String>,
    voice: Option<String>,
}

impl Services {
    /// Moves a subscriber with its numbers and subscriptions to another account of the caller.
    pub async fn transfer_subscriber(
        &self,
        distributor: &DistributorId,
        input: TransferInput,
    ) -> ServiceResult<SubscriberView> {
        let mut tx = self.store().begin().await?;
        let current = self
            .lock_subscriber(&mut tx, distributor, &input.subscriber_id)
            .await?;
        let (from, to) = self
            .transfer_accounts(&mut tx, distributor, &current, &input)
            .await?;
        let lock = Some(self.store().backend());
        let moving = numbers::assigned_to(&mut tx, &current.id, lock).await?;
        let routes = self
            .target_routes(&mut tx, distributor, &to, &input, &moving)
            .await?;
        let now = self.clock().now().micros();
        subscribers::set_account(&mut tx, &current.id, &to, now).await?;
        for number in &moving {
            self.move_number(&mut tx, number, (&from, &to), &routes)
                .await?;
        }
        subscriptions::move_subscriber(&mut tx, &current.id, &to).await?;
        let view = self
            .reload_subscriber(&mut tx, distributor, &current.id)
            .await?;
        let data = serde_json::json!({"SubscriberId": view.subscriber_id, "FromAccountId": from, "ToAccountId": to});
        self.emit_subscriber(
            &mut tx,
            (distributor, "subscriber.transferred"),
            &view,
            &data,
        )
        .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// Both accounts are the caller's, differ, and the subscriber is in the first.
    async fn transfer_accounts(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        current: &SubscriberRow,
        input: &TransferInput,
    ) -> ServiceResult<(String, String)> {
        let from = find_account(conn, distributor, &input.from_account_id).await?;
        let to = find_account(conn, distributor, &input.to_account_id).await?;
        let from = from.ok_or_else(|| ServiceError::field("FromAccountId", INVALID_ACCOUNT_ID))?;
        let to = to.ok_or_else(|| ServiceError::field("ToAccountId", INVALID_ACCOUNT_ID))?;
        if from.id == to.id {
            return Err(ServiceError::field(
                "ToAccountId",
                "FromAccountId and ToAccountId must differ",
            ));
        }
        if current.account_id != from.id {
            return Err(ServiceError::conflict_on(
                "FromAccountId",
                "Subscriber does not belong to FromAccountId",
            ));
        }
        Ok((from.id, to.id))
    }

    /// Routes given are checked whatever moves; otherwise the target's only route is used when
    /// a number needs one.
    async fn target_routes(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        to: &str,
        input: &TransferInput,
        moving: &[NumberRow],
    ) -> ServiceResult<TargetRoutes> {
        let message = match &input.message_route_id {
            Some(raw) => Some(
                self.live_message_route_of(conn, distributor, to, raw)
                    .await?,
            ),
            None if !moving.is_empty() => Some(only_route(conn, RouteKind::Message, to).await?),
            None => None,
        };
        let needs_voice = moving.iter().any(|n| n.voice_route_id.is_some());
        let voice = match &input.voice_route_id {
            Some(raw) => Some(self.live_voice_route_of(conn, distributor, to, raw).await?),
            None if needs_voice => Some(only_route(conn, RouteKind::Voice, to).await?),
            None => None,
        };
        Ok(TargetRoutes { message, voice })
    }

    async fn move_number(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
        (from, to): (&str, &str),
        routes: &TargetRoutes,
    ) -> ServiceResult<()> {
        let mut moved = number.clone();
        moved.account_id = to.to_string();
        moved.message_route_id.clone_from(&routes.message);
        if number.voice_route_id.is_some() {
            moved.voice_route_id.clone_from(&routes.voice);
        }
        moved.updated_on = self.clock().now().micros();
        numbers::save(conn, &moved).await?;
        if let Some(iccid) = &number.iccid {
            let lock = Some(self.store().backend());
            if let Some(mut sim) = sims::find(conn, iccid, lock).await? {
                if sim.account_id.as_deref() == Some(from) {
                    sim.account_id = Some(to.to_string());
                    sim.updated_on = moved.updated_on;
                    sims::save(conn, &sim).await?;
                }
            }
        }
        let changes = NumberChanges::between(number, &moved);
        self.emit_number_updated(conn, &moved, None, &changes).await
    }
}

/// The one non-deleted route of the account, else `<Field> is required`.
async fn only_route(
    conn: &mut AnyConnection,
    kind: RouteKind,
    account_id: &str,
) -> ServiceResult<String> {
    let mut ids = numbers::live_route_ids(conn, kind, account_id).await?;
    let field = match kind {
        RouteKind::Message => "MessageRouteId",
        RouteKind::Voice => "VoiceRouteId",
    };
    if ids.len() == 1 {
        Ok(ids.remove(0))
    } else {
        Err(ServiceError::field(field, format!("{field} is required")))
    }
}
