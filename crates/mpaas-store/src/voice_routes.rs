//! Voice routes (CRID): where a number's calls go.
//!
//! Like message routes, a deleted route keeps its row and is still listed; lookups by id ignore
//! it, its sealed secret is erased and its `TerminationUriSubdomain` is free again (the partial
//! unique index only covers live routes).

use std::sync::LazyLock;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

pub use crate::message_routes::RouteFilter;
use crate::message_routes::{lock_clause, RELEASED_STATUSES};
use crate::{AnyQuery, StoreResult};

/// Name of the unique index on `termination_uri_subdomain` among live voice routes.
pub const SUBDOMAIN_UNIQUE_INDEX: &str = "voice_routes_subdomain_unique";

/// One SIP trunk of a route (trunk 1 or trunk 2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrunkRow {
    /// IPv4 or IPv6 literal.
    pub ip: Option<String>,
    /// 1 to 65535.
    pub port: Option<i64>,
    /// `UDP`, `TCP` or `TLS`.
    pub transport: Option<String>,
    /// SIP URI, http(s) URL or host name.
    pub uri: Option<String>,
    /// Used for calls.
    pub enabled: bool,
    /// Lower is preferred.
    pub priority: Option<i64>,
    /// Share among equal priorities.
    pub weight: Option<i64>,
}

/// A voice route as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoiceRouteRow {
    /// `CRID-…`.
    pub id: String,
    /// Owner account.
    pub account_id: String,
    /// Owner distributor.
    pub distributor_id: String,
    /// `RouteName`.
    pub name: String,
    /// `Trunk`, `URL` or `Forward`.
    pub route_type: String,
    /// Webhook URL, or `tel:+E164` for `Forward`.
    pub voice_url: Option<String>,
    /// `GET` or `POST`.
    pub voice_url_method: String,
    /// `None`, `Basic` or `Bearer`.
    pub voice_auth_type: String,
    /// Basic only.
    pub voice_username: Option<String>,
    /// Sealed `VoicePasswordToken`.
    pub voice_password_sealed: Option<String>,
    /// `CallbackVoiceUrl`.
    pub callback_url: Option<String>,
    /// `GET` or `POST`.
    pub callback_url_method: String,
    /// Trunk 1 and trunk 2.
    pub trunks: [TrunkRow; 2],
    /// At most 64 characters.
    pub header_manipulation: Option<String>,
    /// Handed to the network adapter.
    pub enable_sip_refer: bool,
    /// `Transferee`, `Transferor` or `Transferee/Transferor`.
    pub transfer_caller_id: Option<String>,
    /// Handed to the network adapter.
    pub symmetric_rtp: bool,
    /// Handed to the network adapter.
    pub enable_trp_secure_trunk: bool,
    /// Handed to the network adapter.
    pub enable_pstn_transfer: bool,
    /// Handed to the network adapter.
    pub cnam_lookup: bool,
    /// JSON array of `{"IpAddress"}` objects.
    pub ip_whitelist: String,
    /// Lower-case label, unique among live routes.
    pub termination_uri_subdomain: Option<String>,
    /// Requires `wss_uri`.
    pub enable_call_streaming: bool,
    /// `wss://` URL.
    pub wss_uri: Option<String>,
    /// Stored and returned.
    pub intelligent_route_enabled: bool,
    /// `RouteEnabled`.
    pub enabled: bool,
    /// Platform time.
    pub created_on: i64,
    /// Platform time.
    pub updated_on: i64,
    /// Platform time of the delete.
    pub deleted_on: Option<i64>,
}

/// Columns a create sets and an update overwrites, in binding order.
const EDITABLE: [&str; 36] = [
    "name",
    "route_type",
    "voice_url",
    "voice_url_method",
    "voice_auth_type",
    "voice_username",
    "voice_password_sealed",
    "callback_url",
    "callback_url_method",
    "trunk_ip1",
    "trunk_port1",
    "trunk_transport1",
    "trunk_uri1",
    "trunk_enabled1",
    "trunk_priority1",
    "trunk_weight1",
    "trunk_ip2",
    "trunk_port2",
    "trunk_transport2",
    "trunk_uri2",
    "trunk_enabled2",
    "trunk_priority2",
    "trunk_weight2",
    "header_manipulation",
    "enable_sip_refer",
    "transfer_caller_id",
    "symmetric_rtp",
    "enable_trp_secure_trunk",
    "enable_pstn_transfer",
    "cnam_lookup",
    "ip_whitelist",
    "termination_uri_subdomain",
    "enable_call_streaming",
    "wss_uri",
    "intelligent_route_enabled",
    "enabled",
];

static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id, account_id, distributor_id, {}, created_on, updated_on, deleted_on FROM voice_routes",
        EDITABLE.join(", ")
    )
});

static INSERT: LazyLock<String> = LazyLock::new(|| {
    let placeholders: Vec<String> = (1..=EDITABLE.len() + 5).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO voice_routes ({}, id, account_id, distributor_id, created_on, updated_on) VALUES ({})",
        EDITABLE.join(", "),
        placeholders.join(", ")
    )
});

static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = EDITABLE
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let n = EDITABLE.len();
    format!(
        "UPDATE voice_routes SET {}, updated_on = ${} WHERE id = ${} AND deleted_on IS NULL",
        sets.join(", "),
        n + 1,
        n + 2
    )
});

fn flag(r: &AnyRow, column: &str) -> bool {
    r.get::<i64, _>(column) == 1
}

fn trunk(r: &AnyRow, n: u8) -> TrunkRow {
    let col = |name: &str| format!("trunk_{name}{n}");
    TrunkRow {
        ip: r.get(col("ip").as_str()),
        port: r.get(col("port").as_str()),
        transport: r.get(col("transport").as_str()),
        uri: r.get(col("uri").as_str()),
        enabled: flag(r, &col("enabled")),
        priority: r.get(col("priority").as_str()),
        weight: r.get(col("weight").as_str()),
    }
}

fn map(r: AnyRow) -> VoiceRouteRow {
    VoiceRouteRow {
        id: r.get("id"),
        account_id: r.get("account_id"),
        distributor_id: r.get("distributor_id"),
        name: r.get("name"),
        route_type: r.get("route_type"),
        voice_url: r.get("voice_url"),
        voice_url_method: r.get("voice_url_method"),
        voice_auth_type: r.get("voice_auth_type"),
        voice_username: r.get("voice_username"),
        voice_password_sealed: r.get("voice_password_sealed"),
        callback_url: r.get("callback_url"),
        callback_url_method: r.get("callback_url_method"),
        trunks: [trunk(&r, 1), trunk(&r, 2)],
        header_manipulation: r.get("header_manipulation"),
        enable_sip_refer: flag(&r, "enable_sip_refer"),
        transfer_caller_id: r.get("transfer_caller_id"),
        symmetric_rtp: flag(&r, "symmetric_rtp"),
        enable_trp_secure_trunk: flag(&r, "enable_trp_secure_trunk"),
        enable_pstn_transfer: flag(&r, "enable_pstn_transfer"),
        cnam_lookup: flag(&r, "cnam_lookup"),
        ip_whitelist: r.get("ip_whitelist"),
        termination_uri_subdomain: r.get("termination_uri_subdomain"),
        enable_call_streaming: flag(&r, "enable_call_streaming"),
        wss_uri: r.get("wss_uri"),
        intelligent_route_enabled: flag(&r, "intelligent_route_enabled"),
        enabled: flag(&r, "enabled"),
        created_on: r.get("created_on"),
        updated_on: r.get("updated_on"),
        deleted_on: r.get("deleted_on"),
    }
}

/// Binds the [`EDITABLE`] values in order.
fn bind_editable<'q>(q: AnyQuery<'q>, v: &'q VoiceRouteRow) -> AnyQuery<'q> {
    let mut q = q
        .bind(&v.name)
        .bind(&v.route_type)
        .bind(&v.voice_url)
        .bind(&v.voice_url_method)
        .bind(&v.voice_auth_type)
        .bind(&v.voice_username)
        .bind(&v.voice_password_sealed)
        .bind(&v.callback_url)
        .bind(&v.callback_url_method);
    for t in &v.trunks {
        q = q
            .bind(&t.ip)
            .bind(t.port)
            .bind(&t.transport)
            .bind(&t.uri)
            .bind(i64::from(t.enabled))
            .bind(t.priority)
            .bind(t.weight);
    }
    q.bind(&v.header_manipulation)
        .bind(i64::from(v.enable_sip_refer))
        .bind(&v.transfer_caller_id)
        .bind(i64::from(v.symmetric_rtp))
        .bind(i64::from(v.enable_trp_secure_trunk))
        .bind(i64::from(v.enable_pstn_transfer))
        .bind(i64::from(v.cnam_lookup))
        .bind(&v.ip_whitelist)
        .bind(&v.termination_uri_subdomain)
        .bind(i64::from(v.enable_call_streaming))
        .bind(&v.wss_uri)
        .bind(i64::from(v.intelligent_route_enabled))
        .bind(i64::from(v.enabled))
}

/// Inserts a route; a taken subdomain fails with a unique violation on
/// [`SUBDOMAIN_UNIQUE_INDEX`].
pub async fn insert(conn: &mut AnyConnection, v: &VoiceRouteRow) -> StoreResult<()> {
    bind_editable(sqlx::query(&INSERT), v)
        .bind(&v.id)
        .bind(&v.account_id)
        .bind(&v.distributor_id)
        .bind(v.created_on)
        .bind(v.updated_on)
        .execute(conn)
        .await?;
    Ok(())
}

/// Overwrites every editable value of a live route (same unique index as [`insert`]).
pub async fn update(conn: &mut AnyConnection, v: &VoiceRouteRow) -> StoreResult<()> {
    bind_editable(sqlx::query(&UPDATE), v)
        .bind(v.updated_on)
        .bind(&v.id)
        .execute(conn)
        .await?;
    Ok(())
}

async fn find_live(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
    lock: &'static str,
) -> StoreResult<Option<VoiceRouteRow>> {
    let lock = lock_clause(conn, lock);
    let sql = format!(
        "{} WHERE id = $1 AND distributor_id = $2 AND deleted_on IS NULL{lock}",
        *SELECT
    );
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// A live route of the distributor.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<VoiceRouteRow>> {
    find_live(conn, distributor_id, id, "").await
}

/// Like [`find`], and on PostgreSQL locks the row for the rest of the transaction.
pub async fn find_for_update(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<VoiceRouteRow>> {
    find_live(conn, distributor_id, id, " FOR UPDATE").await
}

/// Like [`find`], and on PostgreSQL holds a share lock until the end of the transaction (see
/// [`crate::message_routes::find_for_share`]).
pub async fn find_for_share(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<VoiceRouteRow>> {
    find_live(conn, distributor_id, id, " FOR SHARE").await
}

/// One page of an account's routes in creation order, plus the total under the filter.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    account_id: &str,
    filter: RouteFilter,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<VoiceRouteRow>)> {
    let condition = format!(
        "distributor_id = $1 AND account_id = $2 AND {}",
        filter.condition()
    );
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM voice_routes WHERE {condition}"
    ))
    .bind(distributor_id)
    .bind(account_id)
    .fetch_one(&mut *conn)
    .await?;
    let sql = format!(
        "{} WHERE {condition} ORDER BY id LIMIT $3 OFFSET $4",
        *SELECT
    );
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(account_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// True while a number in a status other than `Released` or `PortedOut` references the route.
pub async fn in_use(conn: &mut AnyConnection, id: &str) -> StoreResult<bool> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM phone_numbers WHERE voice_route_id = $1 \
         AND status NOT IN {RELEASED_STATUSES} LIMIT 1) used"
    );
    let count: i64 = sqlx::query_scalar(&sql).bind(id).fetch_one(conn).await?;
    Ok(count > 0)
}

/// Marks a live route deleted and erases its credentials (auth type back to `None`, as the
/// schema allows no credentials without a sealed secret).
pub async fn mark_deleted(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE voice_routes SET deleted_on = $1, updated_on = $1, voice_auth_type = 'None', \
         voice_username = NULL, voice_password_sealed = NULL WHERE id = $2 AND deleted_on IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
