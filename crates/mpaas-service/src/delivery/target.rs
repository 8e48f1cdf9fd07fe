//! Delivery targets and the request each kind sends. Webhook endpoints get the event envelope,
//! signed; route webhooks (`09-messaging-voice.md` §4, §7.7) will add a target with the route's
//! method and credentials and a body per kind.

use mpaas_store::deliveries::DeliveryRow;
use mpaas_store::events::EventRow;
use mpaas_store::AnyConnection;
use reqwest::Method;
use url::Url;

use crate::events::envelope;
use crate::webhook_rules::sign;
use crate::{sealing, ServiceError, ServiceResult, Services};

/// What a delivery carries (`Kind` in the deliveries listing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryKind {
    /// An event envelope to a webhook endpoint.
    Event,
    /// An inbound message to a route's `MessageUrl`.
    InboundMessage,
    /// A delivery receipt to a route's `CallbackMessageUrl`.
    MessageReceipt,
    /// A call event to a route's `CallbackVoiceUrl`.
    VoiceCallback,
}

impl DeliveryKind {
    /// Every kind, in the contract's order.
    pub const ALL: [DeliveryKind; 4] = [
        DeliveryKind::Event,
        DeliveryKind::InboundMessage,
        DeliveryKind::MessageReceipt,
        DeliveryKind::VoiceCallback,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryKind::Event => "Event",
            DeliveryKind::InboundMessage => "InboundMessage",
            DeliveryKind::MessageReceipt => "MessageReceipt",
            DeliveryKind::VoiceCallback => "VoiceCallback",
        }
    }

    /// The kind of a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Where and how one delivery is sent.
pub(crate) enum DeliveryTarget {
    /// A webhook endpoint: `POST` of the envelope, signed with each secret in force (newest first).
    Endpoint {
        /// Current URL of the endpoint.
        url: String,
        /// Signing secrets in clear.
        secrets: Vec<String>,
    },
}

/// One HTTP request, ready to send.
pub(crate) struct OutgoingRequest {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl DeliveryTarget {
    /// The target of a delivery as it is now; `None` when it is gone or disabled.
    pub(crate) async fn load(
        services: &Services,
        conn: &mut AnyConnection,
        delivery: &DeliveryRow,
    ) -> ServiceResult<Option<Self>> {
        match DeliveryKind::parse(&delivery.kind) {
            Some(DeliveryKind::Event) => {
                let Some(webhook) =
                    mpaas_store::webhooks::find_live(conn, &delivery.target_id).await?
                else {
                    return Ok(None);
                };
                if !webhook.enabled {
                    return Ok(None);
                }
                let key = &services.keys().master_key;
                let mut secrets = vec![sealing::open(key, &webhook.id, &webhook.secret)?];
                let now = services.clock().now().micros();
                if let (Some(previous), Some(until)) =
                    (&webhook.previous_secret, webhook.previous_secret_expires_on)
                {
                    if until > now {
                        secrets.push(sealing::open(key, &webhook.id, previous)?);
                    }
                }
                Ok(Some(DeliveryTarget::Endpoint {
                    url: webhook.url,
                    secrets,
                }))
            }
            // Route targets arrive with the messaging and voice sections.
            _ => Ok(None),
        }
    }

    /// The URL the next attempt goes to.
    pub(crate) fn url(&self) -> &str {
        match self {
            DeliveryTarget::Endpoint { url, .. } => url,
        }
    }

    /// The request for `event`, stamped with `timestamp` (wall-clock Unix seconds).
    pub(crate) fn request(
        &self,
        event: &EventRow,
        timestamp: i64,
    ) -> ServiceResult<OutgoingRequest> {
        match self {
            DeliveryTarget::Endpoint { url, secrets } => {
                let url = Url::parse(url)
                    .map_err(|e| ServiceError::Internal(format!("stored webhook URL: {e}")))?;
                let body = serde_json::to_vec(&envelope(event.clone()))
                    .map_err(|e| ServiceError::Internal(e.to_string()))?;
                let signatures: Vec<String> = secrets
                    .iter()
                    .map(|s| sign(s, &event.id, timestamp, &body))
                    .collect();
                let headers = vec![
                    ("content-type", "application/json".to_string()),
                    ("webhook-id", event.id.clone()),
                    ("webhook-timestamp", timestamp.to_string()),
                    ("webhook-signature", signatures.join(" ")),
                ];
                Ok(OutgoingRequest {
                    method: Method::POST,
                    url,
                    headers,
                    body,
                })
            }
        }
    }
}
