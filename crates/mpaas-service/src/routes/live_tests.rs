//! The live route a number may reference, against a real database: SQLite in a temporary file,
//! or a fresh PostgreSQL database when `MPAAS_TEST_DATABASE_URL` is set (where the share lock
//! clause runs too).

use mpaas_core::ids::{AccountId, DistributorId, MessageRouteId, VoiceRouteId};
use mpaas_store::accounts::{self, AccountValues};
use mpaas_store::distributors::{self, NewDistributor};
use mpaas_store::{message_routes, voice_routes, Store, StoreOptions};
use sqlx::Connection;

use super::{live_message_route, live_voice_route};
use crate::ServiceError;

/// Where a test database lives, to remove it afterwards.
enum Cleanup {
    Sqlite(std::path::PathBuf),
    Postgres { admin: String, name: String },
}

/// A migrated store on a fresh database.
async fn fresh_store() -> (Store, Cleanup) {
    let admin = std::env::var("MPAAS_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let name = format!("mpaas_unit_{}", uuid::Uuid::new_v4().simple());
    let (url, cleanup) = match admin {
        Some(admin) => {
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            let sql = format!("CREATE DATABASE {name}");
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
            let server = admin.rsplit_once('/').map(|(s, _)| s.to_string()).unwrap();
            (
                format!("{server}/{name}"),
                Cleanup::Postgres { admin, name },
            )
        }
        None => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            (
                format!("sqlite://{}", path.display()),
                Cleanup::Sqlite(path),
            )
        }
    };
    let options = StoreOptions {
        url,
        max_connections: 2,
    };
    let store = Store::connect(&options).await.unwrap();
    store.migrate().await.unwrap();
    (store, cleanup)
}

async fn drop_store(store: Store, cleanup: Cleanup) {
    store.close().await;
    match cleanup {
        Cleanup::Sqlite(path) => {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
        Cleanup::Postgres { admin, name } => {
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
        }
    }
}

async fn distributor_with_account(conn: &mut sqlx::AnyConnection) -> (DistributorId, String) {
    let id = format!("DID-{}", uuid::Uuid::now_v7());
    let new = NewDistributor {
        id: &id,
        name: "D",
        secret_hash: &"0".repeat(64),
        rate_limit_per_minute: None,
        billing_address: "{}",
        mailing_address: "{}",
        now: 0,
    };
    distributors::insert(conn, &new).await.unwrap();
    let distributor = DistributorId::parse(&id).unwrap();
    (distributor.clone(), add_account(conn, &distributor).await)
}

async fn add_account(conn: &mut sqlx::AnyConnection, distributor: &DistributorId) -> String {
    let account = AccountId::generate().to_string();
    let values = AccountValues {
        name: "A",
        admin_email: "a@example.com",
        billing_address: "{}",
        mailing_address: "{}",
    };
    accounts::insert(conn, &account, distributor.as_str(), &values, 0)
        .await
        .unwrap();
    account
}

#[track_caller]
fn assert_not_found<T: std::fmt::Debug>(result: Result<T, ServiceError>, expected: &str) {
    match result {
        Err(ServiceError::NotFound(msg)) => assert_eq!(msg, expected),
        other => panic!("expected a 404, got {other:?}"),
    }
}

#[track_caller]
fn assert_field<T: std::fmt::Debug>(result: Result<T, ServiceError>, field: &str, expected: &str) {
    match result {
        Err(ServiceError::Validation(errors)) => {
            let first = errors.iter().next().expect("one error");
            assert_eq!(first.path, format!("$.{field}"));
            assert_eq!(first.message, expected);
        }
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[tokio::test]
async fn live_routes_are_live_routes_of_the_account() {
    let (store, cleanup) = fresh_store().await;
    let mut tx = store.begin().await.unwrap();
    let (ours, account) = distributor_with_account(&mut tx).await;
    let sibling = add_account(&mut tx, &ours).await;
    let (theirs, their_account) = distributor_with_account(&mut tx).await;
    let mid = MessageRouteId::generate().to_string();
    let mut message = super::message::blank(&mid, 0);
    (message.account_id, message.distributor_id) = (account.clone(), ours.to_string());
    (message.name, message.message_url) = ("R".into(), "https://h.example.com/".into());
    message_routes::insert(&mut tx, &message).await.unwrap();
    let vid = VoiceRouteId::generate().to_string();
    let mut voice = super::voice_merge::blank(&vid, 0);
    (voice.account_id, voice.distributor_id) = (account.clone(), ours.to_string());
    (voice.name, voice.route_type) = ("R".into(), "URL".into());
    voice.voice_url = Some("https://h.example.com/".into());
    voice_routes::insert(&mut tx, &voice).await.unwrap();

    // Ids are compared case-insensitively.
    let found = live_message_route(&mut tx, &ours, &account, &mid.to_uppercase()).await;
    assert_eq!(found.unwrap(), message);
    let found = live_voice_route(&mut tx, &ours, &account, &vid).await;
    assert_eq!(found.unwrap(), voice);
    let other_account = live_message_route(&mut tx, &ours, &sibling, &mid).await;
    assert_field(
        other_account,
        "MessageRouteId",
        "MessageRouteId does not belong to account",
    );
    let other_account = live_voice_route(&mut tx, &ours, &sibling, &vid).await;
    assert_field(
        other_account,
        "VoiceRouteId",
        "VoiceRouteId does not belong to account",
    );
    let message_404 = format!("Message route with ID '{mid}' was not found.");
    let voice_404 = format!("Voice route with ID '{vid}' was not found.");
    let foreign = live_message_route(&mut tx, &theirs, &their_account, &mid).await;
    assert_not_found(foreign, &message_404);
    let foreign = live_voice_route(&mut tx, &theirs, &their_account, &vid).await;
    assert_not_found(foreign, &voice_404);
    let malformed = live_message_route(&mut tx, &ours, &account, "MRID-1").await;
    assert_not_found(malformed, "Message route with ID 'MRID-1' was not found.");
    let wrong_kind = live_voice_route(&mut tx, &ours, &account, &mid).await;
    assert_not_found(
        wrong_kind,
        &format!("Voice route with ID '{mid}' was not found."),
    );
    message_routes::mark_deleted(&mut tx, &mid, 1)
        .await
        .unwrap();
    voice_routes::mark_deleted(&mut tx, &vid, 1).await.unwrap();
    let deleted = live_message_route(&mut tx, &ours, &account, &mid).await;
    assert_not_found(deleted, &message_404);
    let deleted = live_voice_route(&mut tx, &ours, &account, &vid).await;
    assert_not_found(deleted, &voice_404);
    tx.commit().await.unwrap();
    drop_store(store, cleanup).await;
}
