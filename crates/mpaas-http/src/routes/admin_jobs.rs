//! The operator's view of the job queue (`/admin/v1/jobs`, Extension): failed and dead jobs,
//! and a retry action.

use axum::extract::State;
use axum::Json;
use mpaas_service::jobs::JobView;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{PathId, Query};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// A page of jobs.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct JobPage {
    /// Over all pages.
    total_jobs: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page, most recently changed first.
    results: Vec<JobView>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(retry))
}

/// Jobs with a status (`Dead` by default; `Queued` shows failed jobs waiting for a retry).
#[utoipa::path(get, path = "/admin/v1/jobs", tag = "Admin",
    params(("Status" = Option<String>, Query, description = "Queued, Running, Succeeded or Dead (default Dead)"),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = JobPage), (status = 400, body = Problem)), security(("admin" = [])))]
async fn list(State(state): State<AppState>, query: Query) -> ApiResult<Json<JobPage>> {
    let paging = query.paging()?;
    let page = state
        .services
        .list_jobs(query.get("Status").unwrap_or("Dead"), paging)
        .await?;
    Ok(Json(JobPage {
        total_jobs: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    }))
}

/// Puts a dead job back in the queue, due now, with a fresh attempt budget.
#[utoipa::path(post, path = "/admin/v1/jobs/{id}/retry", tag = "Admin", params(("id" = String, Path)),
    responses((status = 200, body = JobView), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("admin" = [])))]
async fn retry(State(state): State<AppState>, PathId(id): PathId) -> ApiResult<Json<JobView>> {
    Ok(Json(state.services.retry_job(&id).await?))
}
