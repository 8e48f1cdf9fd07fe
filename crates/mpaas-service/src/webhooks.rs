//! Webhook endpoints (`10-platform.md` §2): register, read, update, delete, rotate the signing
//! secret and send a test event. Replay and the deliveries listing are in `webhook_deliveries`.

use mpaas_core::ids::{DistributorId, WebhookId};
use mpaas_core::{Paging, Timestamp, ValidationErrors};
use mpaas_store::webhooks::{self, WebhookRow};
use mpaas_store::AnyConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::events::{append_event, NewEvent};
use crate::fanout::event_types_of;
use crate::tenancy::{find_account, INVALID_ACCOUNT_ID};
use crate::views::Page;
use crate::webhook_rules::{check_url, is_known_type, new_signing_secret, TEST_EVENT};
use crate::{sealing, ServiceError, ServiceResult, Services};

/// Live endpoints a distributor may have.
pub const MAX_WEBHOOKS: i64 = 20;
/// Longest rotation grace, in seconds.
pub const MAX_GRACE_SECONDS: i64 = 604_800;
/// `Secret` everywhere but on create and rotate.
const MASKED: &str = "********";

/// Webhook endpoint object.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookView {
    /// `WHK-…`.
    pub webhook_id: String,
    /// Absolute http(s) URL.
    pub url: String,
    /// Types or patterns received.
    pub event_types: Vec<String>,
    /// Free text.
    pub description: Option<String>,
    /// Receives deliveries.
    pub enabled: bool,
    /// Only this account's events, when set.
    pub account_id: Option<String>,
    /// In clear on create and rotate only, else `********`.
    pub secret: String,
    /// Creation time.
    #[schema(value_type = String)]
    pub created_on: Timestamp,
    /// Last change.
    #[schema(value_type = String)]
    pub updated_on: Timestamp,
}

/// Answer of a delete.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookDeletedView {
    /// `WHK-…`.
    pub webhook_id: String,
    /// Always `Deleted`.
    pub status: String,
    /// Deletion time.
    #[schema(value_type = String)]
    pub date_deleted: Timestamp,
}

/// Answer of a secret rotation.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookSecretView {
    /// `WHK-…`.
    pub webhook_id: String,
    /// The new secret, shown once.
    pub secret: String,
    /// Until then the previous secret also signs.
    #[schema(value_type = String)]
    pub previous_secret_expires_on: Timestamp,
}

/// Answer of a test.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookTestView {
    /// The `webhook.test` event.
    pub event_id: String,
    /// `WHK-…`.
    pub webhook_id: String,
}

/// Values of a new endpoint (types checked by the edge).
#[derive(Clone, Debug, Default)]
pub struct NewWebhookInput {
    /// Required.
    pub url: String,
    /// Default `["*"]`.
    pub event_types: Option<Vec<String>>,
    /// At most 256 characters.
    pub description: Option<String>,
    /// Default `true`.
    pub enabled: Option<bool>,
    /// Only this account's events.
    pub account_id: Option<String>,
}

/// Changes to an endpoint; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct WebhookChanges {
    /// New URL.
    pub url: Option<String>,
    /// New types.
    pub event_types: Option<Vec<String>>,
    /// New description.
    pub description: Option<String>,
    /// Enable or disable (disabling cancels pending deliveries).
    pub enabled: Option<bool>,
    /// New account filter.
    pub account_id: Option<String>,
}

fn not_found(raw: &str) -> ServiceError {
    ServiceError::not_found("Webhook", raw)
}

fn view(row: &WebhookRow, secret: Option<String>) -> WebhookView {
    WebhookView {
        webhook_id: row.id.clone(),
        url: row.url.clone(),
        event_types: event_types_of(row),
        description: row.description.clone(),
        enabled: row.enabled,
        account_id: row.account_id.clone(),
        secret: secret.unwrap_or_else(|| MASKED.to_string()),
        created_on: Timestamp::from_micros(row.created_on),
        updated_on: Timestamp::from_micros(row.updated_on),
    }
}

/// Checks `Url` and `EventTypes`, recording the contract's messages.
fn check_fields(
    url: Option<&str>,
    types: Option<&[String]>,
    allow_private: bool,
) -> ServiceResult<()> {
    let mut errors = ValidationErrors::default();
    if let Some(url) = url {
        if let Err(problem) = check_url(url, allow_private) {
            errors.add("Url", problem.message());
        }
    }
    if let Some(types) = types {
        if types.is_empty() || types.len() > 50 {
            errors.add(
                "EventTypes",
                "EventTypes must contain between 1 and 50 items",
            );
        }
        for (i, t) in types.iter().enumerate().filter(|(_, t)| !is_known_type(t)) {
            errors.add(
                &format!("EventTypes[{i}]"),
                format!("Unknown event type '{t}'"),
            );
        }
    }
    Ok(errors.into_result(())?)
}

fn types_json(types: &[String]) -> ServiceResult<String> {
    serde_json::to_string(types).map_err(|e| ServiceError::Internal(e.to_string()))
}

impl Services {
    /// Registers an endpoint; the answer carries the secret in clear, once.
    pub async fn create_webhook(
        &self,
        distributor: &DistributorId,
        input: NewWebhookInput,
    ) -> ServiceResult<WebhookView> {
        let types = input.event_types.unwrap_or_else(|| vec!["*".to_string()]);
        check_fields(
            Some(&input.url),
            Some(&types),
            self.settings().allow_private_webhooks,
        )?;
        let mut tx = self.store().begin().await?;
        let account_id = self
            .webhook_account(&mut tx, distributor, input.account_id.as_deref())
            .await?;
        webhooks::lock_distributor(&mut tx, distributor.as_str()).await?;
        if webhooks::count_live(&mut tx, distributor.as_str()).await? >= MAX_WEBHOOKS {
            return Err(ServiceError::Unprocessable(format!(
                "Webhook endpoint limit of {MAX_WEBHOOKS} reached"
            )));
        }
        let id = WebhookId::generate();
        let secret = new_signing_secret();
        let now = self.clock().now().micros();
        let row = WebhookRow {
            id: id.to_string(),
            distributor_id: distributor.to_string(),
            account_id,
            url: input.url,
            event_types: types_json(&types)?,
            description: input.description,
            enabled: input.enabled.unwrap_or(true),
            secret: sealing::seal(&self.keys().master_key, id.as_str(), &secret)?,
            previous_secret: None,
            previous_secret_expires_on: None,
            created_on: now,
            updated_on: now,
        };
        webhooks::insert(&mut tx, &row).await?;
        self.forget_listeners(distributor.as_str());
        mpaas_store::commit(tx).await?;
        tracing::info!(webhook_id = %row.id, distributor_id = %distributor, "webhook endpoint registered");
        Ok(view(&row, Some(secret)))
    }

    /// One endpoint of the caller.
    pub async fn get_webhook(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<WebhookView> {
        let mut conn = self.store().reader().await?;
        Ok(view(
            &self.find_webhook(&mut conn, distributor, raw_id).await?,
            None,
        ))
    }

    /// The caller's endpoints in creation order.
    pub async fn list_webhooks(
        &self,
        distributor: &DistributorId,
        paging: Paging,
    ) -> ServiceResult<Page<WebhookView>> {
        let mut conn = self.store().reader().await?;
        let (total, rows) = webhooks::list(
            &mut conn,
            distributor.as_str(),
            paging.offset(),
            paging.limit(),
        )
        .await?;
        Ok(Page {
            total,
            results: rows.iter().map(|r| view(r, None)).collect(),
        })
    }

    /// Changes the fields sent; disabling cancels pending deliveries.
    pub async fn update_webhook(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
        changes: WebhookChanges,
    ) -> ServiceResult<WebhookView> {
        check_fields(
            changes.url.as_deref(),
            changes.event_types.as_deref(),
            self.settings().allow_private_webhooks,
        )?;
        let mut tx = self.store().begin().await?;
        let mut row = self.find_webhook(&mut tx, distributor, raw_id).await?;
        if changes.account_id.is_some() {
            row.account_id = self
                .webhook_account(&mut tx, distributor, changes.account_id.as_deref())
                .await?;
        }
        if let Some(types) = &changes.event_types {
            row.event_types = types_json(types)?;
        }
        row.url = changes.url.unwrap_or(row.url);
        row.description = changes.description.or(row.description);
        row.enabled = changes.enabled.unwrap_or(row.enabled);
        let now = self.clock().now().micros();
        row.updated_on = now;
        webhooks::update(&mut tx, &row).await?;
        self.forget_listeners(distributor.as_str());
        if !row.enabled {
            mpaas_store::deliveries::cancel_pending(&mut tx, &row.id, now).await?;
        }
        mpaas_store::commit(tx).await?;
        Ok(view(&row, None))
    }

    /// Deletes an endpoint and cancels its pending deliveries.
    pub async fn delete_webhook(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<WebhookDeletedView> {
        let mut tx = self.store().begin().await?;
        let row = self.find_webhook(&mut tx, distributor, raw_id).await?;
        let now = self.clock().now();
        webhooks::delete(&mut tx, &row.id, now.micros()).await?;
        self.forget_listeners(distributor.as_str());
        mpaas_store::deliveries::cancel_pending(&mut tx, &row.id, now.micros()).await?;
        mpaas_store::commit(tx).await?;
        tracing::info!(webhook_id = %row.id, "webhook endpoint deleted");
        Ok(WebhookDeletedView {
            webhook_id: row.id,
            status: "Deleted".into(),
            date_deleted: now,
        })
    }

    /// New signing secret; the previous one also signs for `grace_seconds`.
    pub async fn rotate_webhook_secret(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
        grace_seconds: i64,
    ) -> ServiceResult<WebhookSecretView> {
        if !(0..=MAX_GRACE_SECONDS).contains(&grace_seconds) {
            return Err(ServiceError::field(
                "GraceSeconds",
                format!("GraceSeconds must be between 0 and {MAX_GRACE_SECONDS}"),
            ));
        }
        let mut tx = self.store().begin().await?;
        let mut row = self.find_webhook(&mut tx, distributor, raw_id).await?;
        let now = self.clock().now();
        let expires = now.plus_seconds(grace_seconds);
        let secret = new_signing_secret();
        let previous = std::mem::replace(
            &mut row.secret,
            sealing::seal(&self.keys().master_key, &row.id, &secret)?,
        );
        (row.previous_secret, row.previous_secret_expires_on) = if grace_seconds > 0 {
            (Some(previous), Some(expires.micros()))
        } else {
            (None, None)
        };
        row.updated_on = now.micros();
        webhooks::update(&mut tx, &row).await?;
        mpaas_store::commit(tx).await?;
        tracing::info!(webhook_id = %row.id, grace_seconds, "webhook secret rotated");
        Ok(WebhookSecretView {
            webhook_id: row.id,
            secret,
            previous_secret_expires_on: expires,
        })
    }

    /// Creates a `webhook.test` event delivered to this endpoint only.
    pub async fn test_webhook(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<WebhookTestView> {
        let mut tx = self.store().begin().await?;
        let row = self.find_webhook(&mut tx, distributor, raw_id).await?;
        if !row.enabled {
            return Err(ServiceError::Unprocessable("Webhook is disabled".into()));
        }
        let data =
            serde_json::json!({"WebhookId": row.id, "Message": "This is a test event from mpaas."});
        let event = NewEvent {
            event_type: TEST_EVENT,
            distributor_id: distributor.as_str(),
            account_id: row.account_id.as_deref(),
            resource_id: &row.id,
            data: &data,
        };
        // The test event matches no endpoint's types: it is delivered to this one directly.
        let event = append_event(&mut tx, event, self.clock().now(), false).await?;
        self.start_delivery(&mut tx, &row, &event).await?;
        mpaas_store::commit(tx).await?;
        Ok(WebhookTestView {
            event_id: event.id,
            webhook_id: row.id,
        })
    }

    /// A live endpoint of the caller by a client-given id (malformed or another's: 404).
    pub(crate) async fn find_webhook(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<WebhookRow> {
        let id = WebhookId::parse(raw_id).ok_or_else(|| not_found(raw_id))?;
        webhooks::find(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw_id))
    }

    /// The account filter of an endpoint: `None`, or an account of the caller.
    async fn webhook_account(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw: Option<&str>,
    ) -> ServiceResult<Option<String>> {
        let Some(raw) = raw else { return Ok(None) };
        let account = find_account(conn, distributor, raw).await?;
        Ok(Some(
            account
                .ok_or_else(|| ServiceError::field("AccountId", INVALID_ACCOUNT_ID))?
                .id,
        ))
    }
}
