//! The sandbox clock (`/sandbox/v1/clock`): read, advance (running due jobs), freeze.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use mpaas_core::Timestamp;
use mpaas_service::advance::{AdvanceReport, ClockStatus, ClockTarget};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::Body;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Longest single advance: one year.
const MAX_SECONDS: i64 = 31_536_000;

/// The platform clock.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ClockView {
    /// Platform time.
    #[schema(value_type = String)]
    now: Timestamp,
    /// Frozen or following the wall clock.
    frozen: bool,
    /// Platform time minus wall time, seconds.
    offset_seconds: i64,
    /// Jobs queued or running.
    pending_jobs: i64,
    /// When the next job falls due.
    #[schema(value_type = Option<String>)]
    next_job_at: Option<Timestamp>,
}

impl From<ClockStatus> for ClockView {
    fn from(s: ClockStatus) -> Self {
        Self {
            now: s.now,
            frozen: s.frozen,
            offset_seconds: s.offset_seconds,
            pending_jobs: s.pending_jobs,
            next_job_at: s.next_job_at,
        }
    }
}

/// What an advance did.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AdvanceView {
    /// Platform time before.
    #[schema(value_type = String)]
    previous: Timestamp,
    /// Platform time after.
    #[schema(value_type = String)]
    now: Timestamp,
    /// Jobs run on the way.
    jobs_run: u64,
    /// Jobs still pending.
    pending_jobs: i64,
    /// When the next job falls due.
    #[schema(value_type = Option<String>)]
    next_job_at: Option<Timestamp>,
}

impl From<AdvanceReport> for AdvanceView {
    fn from(r: AdvanceReport) -> Self {
        Self {
            previous: r.previous,
            now: r.now,
            jobs_run: r.jobs_run,
            pending_jobs: r.pending_jobs,
            next_job_at: r.next_job_at,
        }
    }
}

/// Advance request: exactly one of the two.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct AdvanceRequest {
    /// 0 to 31,536,000; 0 runs only what is already due.
    seconds: Option<i64>,
    /// RFC 3339, not before `Now`.
    until: Option<String>,
}

/// Freeze request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct FreezeRequest {
    /// Freeze (`true`) or resume (`false`).
    frozen: bool,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(clock))
        .routes(routes!(advance))
        .routes(routes!(freeze))
}

/// Reads the platform clock.
#[utoipa::path(get, path = "/sandbox/v1/clock", tag = "Sandbox", responses((status = 200, body = ClockView)),
    security(("bearer" = []), ("admin" = [])))]
async fn clock(State(state): State<AppState>) -> ApiResult<Json<ClockView>> {
    Ok(Json(state.services.clock_status().await?.into()))
}

/// Moves the clock forward and runs every job that falls due, in order, before answering.
#[utoipa::path(post, path = "/sandbox/v1/clock/advance", tag = "Sandbox", request_body = AdvanceRequest,
    responses((status = 200, body = AdvanceView), (status = 400, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("admin" = [])))]
async fn advance(State(state): State<AppState>, body: Body) -> ApiResult<Json<AdvanceView>> {
    let mut f = body.fields();
    let given = |name: &str| f.raw(name).is_some_and(|v| !v.is_null());
    let (seconds, until) = (given("Seconds"), given("Until"));
    if seconds == until {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "Give either Seconds or Until",
        ));
    }
    let target = if seconds {
        let n = f.integer("Seconds", 0, MAX_SECONDS);
        f.finish()?;
        ClockTarget::By(n.unwrap_or_default())
    } else {
        let raw = f.required_string("Until", 1, 64);
        f.finish()?;
        let at = Timestamp::parse_rfc3339(&raw.unwrap_or_default())
            .ok_or_else(|| ApiError::field("Until", "Until must be an RFC 3339 timestamp"))?;
        ClockTarget::Until(at)
    };
    Ok(Json(state.services.advance_clock(target).await?.into()))
}

/// Freezes the clock at the current instant, or resumes from it.
#[utoipa::path(post, path = "/sandbox/v1/clock/freeze", tag = "Sandbox", request_body = FreezeRequest,
    responses((status = 200, body = ClockView), (status = 400, body = Problem)), security(("bearer" = []), ("admin" = [])))]
async fn freeze(State(state): State<AppState>, body: Body) -> ApiResult<Json<ClockView>> {
    let mut f = body.fields();
    let frozen = f.boolean("Frozen");
    if !f.is_present("Frozen") {
        f.error("Frozen", "Frozen is required");
    }
    f.finish()?;
    Ok(Json(
        state
            .services
            .freeze_clock(frozen.unwrap_or(true))
            .await?
            .into(),
    ))
}
