//! `GET /v1.0/events` (Extension): the caller's events, oldest first.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use mpaas_core::Timestamp;
use mpaas_service::events::{EventEnvelope, EventQuery};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{DistributorCaller, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// A page of events.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct EventPage {
    /// Over all pages.
    total_events: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page, oldest first.
    results: Vec<EventEnvelope>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

fn timestamp(query: &Query, name: &str) -> ApiResult<Option<Timestamp>> {
    match query.get(name) {
        None => Ok(None),
        Some(raw) => Timestamp::parse_rfc3339(raw)
            .map(Some)
            .ok_or_else(|| ApiError::field(name, format!("{name} must be an RFC 3339 timestamp"))),
    }
}

/// Lists the caller's events (or one, by `EventId`), oldest first.
#[utoipa::path(get, path = "/v1.0/events", tag = "Events",
    params(("EventId" = Option<String>, Query), ("Type" = Option<String>, Query, description = "exact type or pattern with * as a whole segment"),
        ("ResourceId" = Option<String>, Query), ("AccountId" = Option<String>, Query), ("Since" = Option<String>, Query),
        ("Until" = Option<String>, Query), ("After" = Option<String>, Query), ("PageNumber" = Option<u32>, Query),
        ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = EventPage), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Response> {
    if let Some(id) = query.get("EventId") {
        return Ok(Json(state.services.get_event(&d, id).await?).into_response());
    }
    let paging = query.paging()?;
    let q = EventQuery {
        event_type: query.get("Type").map(str::to_string),
        resource_id: query.get("ResourceId").map(str::to_string),
        account_id: query.get("AccountId").map(str::to_string),
        since: timestamp(&query, "Since")?,
        until: timestamp(&query, "Until")?,
        after: query.get("After").map(str::to_string),
    };
    let page = state.services.list_events(&d, q, paging).await?;
    let body = EventPage {
        total_events: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    };
    Ok(Json(body).into_response())
}
