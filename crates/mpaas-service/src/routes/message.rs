//! Message routes: create, get, update, delete, the account's list, and the live route a number
//! may reference.

use mpaas_core::ids::{AccountId, DistributorId, MessageRouteId};
use mpaas_core::{Paging, ValidationErrors};
use mpaas_store::message_routes::{self, MessageRouteRow};
use mpaas_store::AnyConnection;

use super::auth::{
    check_http_url, merge_credentials, CredentialFields, Credentials, CredentialsInput,
    RouteContext, DEFAULT_METHOD, URL_METHODS,
};
use super::secrets::{CALLBACK_PASSWORD, MESSAGE_PASSWORD};
use super::views::{message_item, message_view};
use super::{enumeration, parse_filter, Patch};
use super::{MessageRouteDeletedView, MessageRouteListItem, MessageRouteView, RouteList};
use crate::events::NewEvent;
use crate::tenancy::resolve_account;
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

/// `MessageUrl` missing or invalid.
pub const MESSAGE_URL_INVALID: &str = "A valid URL is required for the message webhook.";
/// `CallbackMessageUrl` invalid.
pub const CALLBACK_URL_INVALID: &str = "A valid URL is required for the callback webhook.";
/// Delete of a route a number uses.
pub const MESSAGE_ROUTE_IN_USE: &str =
    "Cannot delete message route as it is currently assigned to one or more phone numbers.";

const MESSAGE_FIELDS: CredentialFields = CredentialFields {
    auth_type: "MessageAuthenticationType",
    username: "MessageUsername",
    password: MESSAGE_PASSWORD,
};
const CALLBACK_FIELDS: CredentialFields = CredentialFields {
    auth_type: "CallbackMessageAuthenticationType",
    username: "CallbackMessageUsername",
    password: CALLBACK_PASSWORD,
};

/// The properties of a message route request (types and lengths checked by the edge).
#[derive(Clone, Debug, Default)]
pub struct MessageRouteInput {
    /// `RouteName`.
    pub route_name: Patch<String>,
    /// `MessageUrl`.
    pub message_url: Patch<String>,
    /// `MessageUrlMethod`.
    pub message_url_method: Patch<String>,
    /// `MessageRouteEnabled`.
    pub enabled: Patch<bool>,
    /// `MessageAuthenticationType`, `MessageUsername`, `MessagePasswordToken`.
    pub message: CredentialsInput,
    /// `CallbackMessageUrl`.
    pub callback_url: Patch<String>,
    /// `CallbackMessageUrlMethod`.
    pub callback_url_method: Patch<String>,
    /// `CallbackMessage…` credentials.
    pub callback: CredentialsInput,
    /// `InboundBypass`.
    pub inbound_bypass: Patch<bool>,
    /// `OutboundBypass`.
    pub outbound_bypass: Patch<bool>,
    /// `IntelligentRouteEnabled`.
    pub intelligent_route_enabled: Patch<bool>,
}

fn not_found(raw: &str) -> ServiceError {
    ServiceError::not_found("Message route", raw)
}

/// A new route before the request is applied: every default, no name and no URL yet.
pub(super) fn blank(id: &str, now: i64) -> MessageRouteRow {
    MessageRouteRow {
        id: id.to_string(),
        account_id: String::new(),
        distributor_id: String::new(),
        name: String::new(),
        message_url: String::new(),
        message_url_method: DEFAULT_METHOD.into(),
        enabled: true,
        message_auth_type: Credentials::none().auth_type,
        message_username: None,
        message_password_sealed: None,
        callback_url: None,
        callback_url_method: DEFAULT_METHOD.into(),
        callback_auth_type: Credentials::none().auth_type,
        callback_username: None,
        callback_password_sealed: None,
        inbound_bypass: false,
        outbound_bypass: false,
        intelligent_route_enabled: true,
        created_on: now,
        updated_on: now,
        deleted_on: None,
    }
}

/// Applies a request to a route and checks the result against every create rule.
fn merge(
    mut row: MessageRouteRow,
    input: MessageRouteInput,
    ctx: RouteContext<'_>,
) -> ServiceResult<MessageRouteRow> {
    let mut errors = ValidationErrors::default();
    row.name = input.route_name.or_keep(row.name);
    if row.name.is_empty() {
        errors.add("RouteName", "RouteName is required");
    }
    row.message_url = input.message_url.or_keep(row.message_url);
    let message_url = ("MessageUrl", MESSAGE_URL_INVALID);
    check_http_url(
        &row.message_url,
        message_url,
        ctx.allow_private,
        &mut errors,
    );
    let method = ("MessageUrlMethod", &URL_METHODS[..], DEFAULT_METHOD);
    row.message_url_method = enumeration(
        input.message_url_method,
        &row.message_url_method,
        method,
        &mut errors,
    );
    row.enabled = input.enabled.or_keep(row.enabled);
    let stored = Credentials {
        auth_type: row.message_auth_type,
        username: row.message_username,
        sealed: row.message_password_sealed,
    };
    let message = merge_credentials(input.message, stored, MESSAGE_FIELDS, ctx, &mut errors)?;
    (
        row.message_auth_type,
        row.message_username,
        row.message_password_sealed,
    ) = (message.auth_type, message.username, message.sealed);
    row.callback_url = input.callback_url.apply(row.callback_url);
    if let Some(url) = &row.callback_url {
        let callback_url = ("CallbackMessageUrl", CALLBACK_URL_INVALID);
        check_http_url(url, callback_url, ctx.allow_private, &mut errors);
    }
    let method = ("CallbackMessageUrlMethod", &URL_METHODS[..], DEFAULT_METHOD);
    row.callback_url_method = enumeration(
        input.callback_url_method,
        &row.callback_url_method,
        method,
        &mut errors,
    );
    let stored = Credentials {
        auth_type: row.callback_auth_type,
        username: row.callback_username,
        sealed: row.callback_password_sealed,
    };
    let callback = merge_credentials(input.callback, stored, CALLBACK_FIELDS, ctx, &mut errors)?;
    (
        row.callback_auth_type,
        row.callback_username,
        row.callback_password_sealed,
    ) = (callback.auth_type, callback.username, callback.sealed);
    row.inbound_bypass = input.inbound_bypass.or_keep(row.inbound_bypass);
    row.outbound_bypass = input.outbound_bypass.or_keep(row.outbound_bypass);
    row.intelligent_route_enabled = input
        .intelligent_route_enabled
        .or_keep(row.intelligent_route_enabled);
    Ok(errors.into_result(row)?)
}

/// A live message route of the distributor that a number of `account_id` may reference: 404
/// when unknown, deleted or another distributor's; 400 on `MessageRouteId` when it belongs to
/// another account. On PostgreSQL the row stays share-locked until the transaction ends, so a
/// concurrent delete either waits and then finds the route in use, or wins and this is a 404.
pub(crate) async fn live_message_route(
    conn: &mut AnyConnection,
    distributor: &DistributorId,
    account_id: &str,
    raw_id: &str,
) -> ServiceResult<MessageRouteRow> {
    let id = MessageRouteId::parse(raw_id).ok_or_else(|| not_found(raw_id))?;
    let row = message_routes::find_for_share(conn, distributor.as_str(), id.as_str())
        .await?
        .ok_or_else(|| not_found(raw_id))?;
    if row.account_id != account_id {
        return Err(ServiceError::field(
            "MessageRouteId",
            "MessageRouteId does not belong to account",
        ));
    }
    Ok(row)
}

/// The account of an update must be the route's own (`AccountId cannot be changed`).
pub(super) fn check_same_account(raw: Option<&str>, current: &str) -> ServiceResult<()> {
    match raw {
        Some(raw) if AccountId::parse(raw).is_none_or(|id| id.as_str() != current) => Err(
            ServiceError::field("AccountId", "AccountId cannot be changed"),
        ),
        _ => Ok(()),
    }
}

impl Services {
    pub(super) fn route_context<'a>(&'a self, route_id: &'a str) -> RouteContext<'a> {
        RouteContext {
            master_key: &self.keys().master_key,
            route_id,
            allow_private: self.settings().allow_private_webhooks,
        }
    }

    /// Creates a message route in an account (tenancy rule on `AccountId`).
    pub async fn create_message_route(
        &self,
        distributor: &DistributorId,
        account_id: Option<&str>,
        input: MessageRouteInput,
    ) -> ServiceResult<MessageRouteView> {
        let id = MessageRouteId::generate();
        let now = self.clock().now().micros();
        let mut row = merge(
            blank(id.as_str(), now),
            input,
            self.route_context(id.as_str()),
        )?;
        let mut tx = self.store().begin().await?;
        let account = resolve_account(&mut tx, distributor, account_id, "AccountId").await?;
        (row.account_id, row.distributor_id) = (account.id, account.distributor_id);
        message_routes::insert(&mut tx, &row).await?;
        let view = message_view(&row);
        self.emit_message_route(&mut tx, "message_route.created", &row, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// One live message route of the distributor.
    pub async fn get_message_route(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<MessageRouteView> {
        let mut conn = self.store().reader().await?;
        let id = MessageRouteId::parse(raw_id).ok_or_else(|| not_found(raw_id))?;
        let row = message_routes::find(&mut conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw_id))?;
        Ok(message_view(&row))
    }

    /// Changes the properties sent (update semantics of `03-routes.md`).
    pub async fn update_message_route(
        &self,
        distributor: &DistributorId,
        (raw_id, account_id): (&str, Option<&str>),
        input: MessageRouteInput,
    ) -> ServiceResult<MessageRouteView> {
        let mut tx = self.store().begin().await?;
        let current = self
            .lock_message_route(&mut tx, distributor, raw_id)
            .await?;
        check_same_account(account_id, &current.account_id)?;
        let id = current.id.clone();
        let mut row = merge(current, input, self.route_context(&id))?;
        row.updated_on = self.clock().now().micros();
        message_routes::update(&mut tx, &row).await?;
        let view = message_view(&row);
        self.emit_message_route(&mut tx, "message_route.updated", &row, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// Deletes a route no number uses; its secrets are erased.
    pub async fn delete_message_route(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<MessageRouteDeletedView> {
        let mut tx = self.store().begin().await?;
        let row = self
            .lock_message_route(&mut tx, distributor, raw_id)
            .await?;
        if message_routes::in_use(&mut tx, &row.id).await? {
            return Err(ServiceError::BadRequest(MESSAGE_ROUTE_IN_USE.into()));
        }
        message_routes::mark_deleted(&mut tx, &row.id, self.clock().now().micros()).await?;
        self.emit_message_route(&mut tx, "message_route.deleted", &row, &message_view(&row))
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(MessageRouteDeletedView {
            message_route_status: "Deleted".into(),
            mrid: row.id,
        })
    }

    /// One page of an account's message routes (deleted ones included unless filtered).
    pub async fn list_message_routes(
        &self,
        distributor: &DistributorId,
        (account_id, filter): (Option<&str>, Option<&str>),
        paging: Paging,
    ) -> ServiceResult<RouteList<MessageRouteListItem>> {
        let filter = parse_filter(filter)?;
        let mut conn = self.store().reader().await?;
        let account = resolve_account(&mut conn, distributor, account_id, "AccountId").await?;
        let (total, rows) = message_routes::list(
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
                results: rows.iter().map(message_item).collect(),
            },
        })
    }

    async fn lock_message_route(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<MessageRouteRow> {
        let id = MessageRouteId::parse(raw_id).ok_or_else(|| not_found(raw_id))?;
        message_routes::find_for_update(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw_id))
    }

    async fn emit_message_route(
        &self,
        conn: &mut AnyConnection,
        event_type: &str,
        row: &MessageRouteRow,
        view: &MessageRouteView,
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
