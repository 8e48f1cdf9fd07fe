//! Voice routes: create, get, update, delete, the account's list, and the live route a number
//! may reference.

use mpaas_core::ids::{DistributorId, VoiceRouteId};
use mpaas_core::Paging;
use mpaas_store::voice_routes::{self, VoiceRouteRow, SUBDOMAIN_UNIQUE_INDEX};
use mpaas_store::{AnyConnection, StoreError};

use super::message::check_same_account;
use super::views::{voice_item, voice_view};
use super::voice_merge::{blank, merge, VoiceRouteInput};
use super::{parse_filter, RouteList, VoiceRouteDeletedView, VoiceRouteListItem, VoiceRouteView};
use crate::events::NewEvent;
use crate::tenancy::resolve_account;
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

/// Delete of a route a number uses.
pub const VOICE_ROUTE_IN_USE: &str =
    "Cannot delete voice route as it is currently assigned to one or more phone numbers.";

fn not_found(raw: &str) -> ServiceError {
    ServiceError::not_found("Voice route", raw)
}

/// A taken `TerminationUriSubdomain` is a 409; any other failure passes through.
fn subdomain_taken(err: StoreError) -> ServiceError {
    if err.is_unique_on(SUBDOMAIN_UNIQUE_INDEX) || err.is_unique_on("termination_uri_subdomain") {
        ServiceError::conflict_on(
            "TerminationUriSubdomain",
            "TerminationUriSubdomain already in use",
        )
    } else {
        err.into()
    }
}

/// A live voice route of the distributor that a number of `account_id` may reference: 404
/// when unknown, deleted or another distributor's; 400 on `VoiceRouteId` when it belongs to
/// another account. On PostgreSQL the row stays share-locked until the transaction ends (see
/// [`super::live_message_route`]).
pub(crate) async fn live_voice_route(
    conn: &mut AnyConnection,
    distributor: &DistributorId,
    account_id: &str,
    raw_id: &str,
) -> ServiceResult<VoiceRouteRow> {
    let id = VoiceRouteId::parse(raw_id).ok_or_else(|| not_found(raw_id))?;
    let row = voice_routes::find_for_share(conn, distributor.as_str(), id.as_str())
        .await?
        .ok_or_else(|| not_found(raw_id))?;
    if row.account_id != account_id {
        return Err(ServiceError::field(
            "VoiceRouteId",
            "VoiceRouteId does not belong to account",
        ));
    }
    Ok(row)
}

impl Services {
    /// Creates a voice route in an account (tenancy rule on `AccountId`).
    pub async fn create_voice_route(
        &self,
        distributor: &DistributorId,
        account_id: Option<&str>,
        input: VoiceRouteInput,
    ) -> ServiceResult<VoiceRouteView> {
        let id = VoiceRouteId::generate();
        let now = self.clock().now().micros();
        let mut row = merge(
            blank(id.as_str(), now),
            input,
            self.route_context(id.as_str()),
        )?;
        let mut tx = self.store().begin().await?;
        let account = resolve_account(&mut tx, distributor, account_id, "AccountId").await?;
        (row.account_id, row.distributor_id) = (account.id, account.distributor_id);
        voice_routes::insert(&mut tx, &row)
            .await
            .map_err(subdomain_taken)?;
        let view = voice_view(&row)?;
        self.emit_voice_route(&mut tx, "voice_route.created", &row, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// One live voice route of the distributor.
    pub async fn get_voice_route(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<VoiceRouteView> {
        let mut conn = self.store().reader().await?;
        let id = VoiceRouteId::parse(raw_id).ok_or_else(|| not_found(raw_id))?;
        let row = voice_routes::find(&mut conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw_id))?;
        voice_view(&row)
    }

    /// Changes the properties sent (update semantics of `03-routes.md`).
    pub async fn update_voice_route(
        &self,
        distributor: &DistributorId,
        (raw_id, account_id): (&str, Option<&str>),
        input: VoiceRouteInput,
    ) -> ServiceResult<VoiceRouteView> {
        let mut tx = self.store().begin().await?;
        let current = self.lock_voice_route(&mut tx, distributor, raw_id).await?;
        check_same_account(account_id, &current.account_id)?;
        let id = current.id.clone();
        let mut row = merge(current, input, self.route_context(&id))?;
        row.updated_on = self.clock().now().micros();
        voice_routes::update(&mut tx, &row)
            .await
            .map_err(subdomain_taken)?;
        let view = voice_view(&row)?;
        self.emit_voice_route(&mut tx, "voice_route.updated", &row, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// Deletes a route no number uses; its secret is erased and its subdomain freed.
    pub async fn delete_voice_route(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<VoiceRouteDeletedView> {
        let mut tx = self.store().begin().await?;
        let row = self.lock_voice_route(&mut tx, distributor, raw_id).await?;
        if voice_routes::in_use(&mut tx, &row.id).await? {
            return Err(ServiceError::BadRequest(VOICE_ROUTE_IN_USE.into()));
        }
        voice_routes::mark_deleted(&mut tx, &row.id, self.clock().now().micros()).await?;
        self.emit_voice_route(&mut tx, "voice_route.deleted", &row, &voice_view(&row)?)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(VoiceRouteDeletedView {
            call_route_status: "Deleted".into(),
            call_route_id: row.id,
        })
    }

    /// One page of an account's voice routes (deleted ones included unless filtered).
    pub async fn list_voice_routes(
        &self,
        distributor: &DistributorId,
        (account_id, filter): (Option<&str>, Option<&str>),
        paging: Paging,
    ) -> ServiceResult<RouteList<VoiceRouteListItem>> {
        let filter = parse_filter(filter)?;
        let mut conn = self.store().reader().await?;
        let account = resolve_account(&mut conn, distributor, account_id, "AccountId").await?;
        let (total, rows) = voice_routes::list(
            &mut conn,
            distributor.as_str(),
            &account.id,
            filter,
            paging.offset(),
            paging.limit(),
        )
        .await?;
        Ok(RouteList {
            account_id: account.id,
            page: Page {
                total,
                results: rows.iter().map(voice_item).collect::<ServiceResult<_>>()?,
            },
        })
    }

    async fn lock_voice_route(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<VoiceRouteRow> {
        let id = VoiceRouteId::parse(raw_id).ok_or_else(|| not_found(raw_id))?;
        voice_routes::find_for_update(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw_id))
    }

    async fn emit_voice_route(
        &self,
        conn: &mut AnyConnection,
        event_type: &str,
        row: &VoiceRouteRow,
        view: &VoiceRouteView,
    ) -> ServiceResult<()> {
        let event = NewEvent {
            event_type,
            distributor_id: &row.distributor_id,
            account_id: Some(&row.account_id),
            resource_id: &row.id,
            data: view,
        };
        self.emit(conn, event).await
    }
}
