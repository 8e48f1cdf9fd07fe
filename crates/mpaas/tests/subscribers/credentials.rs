//! Credentials: passwords stored as Argon2id and never answered, emails unique platform-wide,
//! also under concurrent creates.

use futures::future::join_all;
use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{
    assert_no_password, body, create, delete, events_of, foreign_account, get, password_hash, sid,
    update, PASSWORD_MESSAGE,
};

#[tokio::test]
async fn password_is_stored_as_argon2id_and_never_returned() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let password = "Temp-Passw0rd!";
    let jane = create(&app, body(&account, "jane@example.com")).await.ok();
    assert_no_password(&jane);
    let first = password_hash(&app, &sid(&jane)).await;
    assert!(first.starts_with("$argon2id$"), "{first}");
    assert!(!first.contains(password));

    let updated = update(
        &app,
        json!({"SubscriberId": sid(&jane), "Password": "N3w-Passw0rd!"}),
    )
    .await
    .ok();
    assert_no_password(&updated);
    let second = password_hash(&app, &sid(&jane)).await;
    assert!(second.starts_with("$argon2id$"), "{second}");
    assert_ne!(first, second, "a new password replaces the stored hash");
    let renamed = update(
        &app,
        json!({"SubscriberId": sid(&jane), "Name": "Jane Roe"}),
    )
    .await
    .ok();
    assert_eq!(
        password_hash(&app, &sid(&jane)).await,
        second,
        "the hash changes only with a new password"
    );
    let resp = update(
        &app,
        json!({"SubscriberId": sid(&jane), "Password": "short"}),
    )
    .await;
    resp.assert_field_error("Password", PASSWORD_MESSAGE);

    for read in [
        get(&app, &format!("SubscriberId={}", sid(&jane)))
            .await
            .ok(),
        get(&app, "Email=jane@example.com").await.ok(),
        get(&app, &format!("AccountId={account}")).await.ok(),
        app.fetch("/v1.0/distributor/subscribers").await.ok(),
        renamed,
    ] {
        assert_no_password(&read);
    }
    let deleted = delete(&app, json!({"SubscriberId": sid(&jane)})).await.ok();
    assert_no_password(&deleted);
    for (_, _, data) in app.events(KEY).await {
        assert_no_password(&data);
        assert!(
            !data.to_string().contains("argon2"),
            "no hash in events: {data}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn email_is_unique_platform_wide_ignoring_case() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    app.new_subscriber(&doe, "jane@example.com").await;
    for (account, email) in [
        (&doe, "jane@example.com"),
        (&doe, "JANE@Example.COM"),
        (&roe, " Jane@example.com "),
    ] {
        let resp = create(&app, body(account, email)).await;
        resp.assert_problem(409, "Email already exists");
        assert_eq!(
            resp.body["Errors"]["$.Email"],
            json!(["Email already exists"]),
            "{}",
            resp.text
        );
    }
    // Another distributor cannot take it either.
    let (key, secret, theirs) = foreign_account(&app).await;
    let token = app
        .token_for(&key, &secret, "/v1.0/subscribers/create")
        .await;
    let their_body = body(theirs["AccountId"].as_str().unwrap(), "Jane@Example.com");
    app.post("/v1.0/subscribers/create", &token, their_body)
        .await
        .assert_problem(409, "Email already exists");
    let their_other = app
        .post(
            "/v1.0/subscribers/create",
            &token,
            body(theirs["AccountId"].as_str().unwrap(), "their@example.com"),
        )
        .await
        .ok();
    // Nor by update, in either direction.
    let sam = app.new_subscriber(&roe, "sam@example.com").await;
    let resp = update(
        &app,
        json!({"SubscriberId": sid(&sam), "Email": "JANE@example.com"}),
    )
    .await;
    resp.assert_problem(409, "Email already exists");
    let resp = update(
        &app,
        json!({"SubscriberId": sid(&sam), "Email": "Their@Example.com"}),
    )
    .await;
    resp.assert_problem(409, "Email already exists");
    let token = app
        .token_for(&key, &secret, "/v1.0/subscribers/update")
        .await;
    let resp = app
        .post(
            "/v1.0/subscribers/update",
            &token,
            json!({"SubscriberId": sid(&their_other), "Email": "sam@example.com"}),
        )
        .await;
    resp.assert_problem(409, "Email already exists");
    let listed = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(listed["TotalSubscribers"], 2);
    app.stop().await;
}

#[tokio::test]
async fn concurrent_creates_with_one_email_end_with_one_success() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let token = app.token("/v1.0/subscribers/create").await;
    let calls = (0..10).map(|i| {
        let mut request = body(
            &account,
            if i % 2 == 0 {
                "race@example.com"
            } else {
                "RACE@example.com"
            },
        );
        request["Name"] = json!(format!("Racer {i}"));
        let token = token.clone();
        let app = &app;
        async move { app.post("/v1.0/subscribers/create", &token, request).await }
    });
    let answers = join_all(calls).await;
    let ok = answers.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        answers.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    for conflict in answers.iter().filter(|r| r.status != 200) {
        conflict.assert_problem(409, "Email already exists");
    }
    let listed = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(listed["TotalSubscribers"], 1);
    assert_eq!(events_of(&app, "subscriber.created").await.len(), 1);
    app.stop().await;
}
