//! Subscribers: create (and its alias), update, get by id / email / account, transfer, delete,
//! the distributor-wide list, validation, email uniqueness, password storage and concurrency.

mod common;

use common::{Resp, TestApp, KEY};
use futures::future::join_all;
use serde_json::{json, Value};

const ROLE_MESSAGE: &str = "Invalid Role. Must be one of: Subscriber, Manager, Account Admin.";
const PASSWORD_MESSAGE: &str = "Password must be between 8 and 128 characters";
const NOT_IN_ACCOUNT: &str = "Phone number does not belong to account";
const SUBSCRIBER_KEYS: [&str; 8] = [
    "Account",
    "CreatedOn",
    "Email",
    "Name",
    "PhoneNumbers",
    "Role",
    "SubscriberId",
    "Subscriptions",
];

fn sid(subscriber: &Value) -> String {
    subscriber["SubscriberId"]
        .as_str()
        .expect("SubscriberId")
        .to_string()
}

/// The same subscriber id with the `SID-` alias prefix.
fn sid_alias(id: &str) -> String {
    id.replacen("TSUID-", "SID-", 1)
}

fn body(account: &str, email: &str) -> Value {
    json!({"Name": "Jane Doe", "Email": email, "Password": "Temp-Passw0rd!", "AccountId": account})
}

fn not_found(id: &str) -> String {
    format!("Subscriber with ID '{id}' was not found.")
}

#[track_caller]
fn assert_no_password(v: &Value) {
    match v {
        Value::Object(map) => {
            for (k, inner) in map {
                assert!(
                    !k.to_lowercase().contains("password"),
                    "password key {k:?} in {v}"
                );
                assert_no_password(inner);
            }
        }
        Value::Array(items) => items.iter().for_each(assert_no_password),
        _ => {}
    }
}

#[track_caller]
fn assert_subscriber_shape(s: &Value) {
    let mut keys: Vec<&str> = s
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, SUBSCRIBER_KEYS, "properties of {s}");
    assert_no_password(s);
}

fn ids_of(page: &Value) -> Vec<String> {
    page["Results"]
        .as_array()
        .expect("Results")
        .iter()
        .map(sid)
        .collect()
}

async fn get(app: &TestApp, query: &str) -> Resp {
    app.fetch(&format!("/v1.0/subscribers/get?{query}")).await
}

async fn password_hash(app: &TestApp, id: &str) -> String {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    sqlx::query_scalar::<_, String>("SELECT password_hash FROM subscribers WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .expect("subscriber row")
}

async fn event_account(app: &TestApp, event_type: &str) -> Option<String> {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    sqlx::query_scalar::<_, Option<String>>("SELECT account_id FROM events WHERE type = $1")
        .bind(event_type)
        .fetch_one(&mut *conn)
        .await
        .expect("event row")
}

async fn events_of(app: &TestApp, event_type: &str) -> Vec<(String, String, Value)> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == event_type)
        .collect()
}

#[tokio::test]
async fn creates_a_subscriber_with_the_documented_shape() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let request = json!({
        "Name": "  Jane Doe ", "Email": " Jane.Doe@Example.com ", "PhoneNumbers": [], "Role": "Manager",
        "Password": "Temp-Passw0rd!", "AccountId": account
    });
    let jane = app.call("/v1.0/subscribers/create", request).await.ok();
    assert_subscriber_shape(&jane);
    assert!(sid(&jane).starts_with("TSUID-"), "{jane}");
    assert_eq!(jane["Name"], "Jane Doe");
    assert_eq!(jane["Email"], "Jane.Doe@Example.com", "trimmed, case kept");
    assert_eq!(jane["PhoneNumbers"], json!([]));
    assert_eq!(jane["Role"], "Manager");
    assert_eq!(
        jane["Account"],
        json!({"AccountId": account, "CompanyName": "Doe Family"})
    );
    assert_eq!(jane["Subscriptions"], json!([]));
    assert!(jane["CreatedOn"]
        .as_str()
        .is_some_and(|t| t.ends_with("+00:00")));

    // Defaults: role Subscriber, AccountId from the only account, null PhoneNumbers = none.
    let request = json!({"name": "Sam Doe", "EMAIL": "sam@example.com", "password": "Temp-Passw0rd!", "PhoneNumbers": null});
    let sam = app.call("/v1.0/subscribers/create", request).await.ok();
    assert_eq!(sam["Role"], "Subscriber");
    assert_eq!(sam["Account"]["AccountId"], account.as_str());
    assert_eq!(sam["PhoneNumbers"], json!([]));

    // The alias path.
    let alex = app
        .call("/v1.0/subscribers", body(&account, "alex@example.com"))
        .await
        .ok();
    assert_subscriber_shape(&alex);
    assert_eq!(alex["Account"]["AccountId"], account.as_str());

    let created = events_of(&app, "subscriber.created").await;
    assert_eq!(created.len(), 3);
    assert_eq!(created[0].1, sid(&jane));
    assert_eq!(created[0].2, jane, "event Data is the subscriber object");
    assert_eq!(created[2].2, alex);
    assert_eq!(
        event_account(&app, "subscriber.created").await.as_deref(),
        Some(account.as_str())
    );
    app.stop().await;
}

#[tokio::test]
async fn create_reports_every_documented_field_error() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let with = |changes: Value| {
        let mut b = body(&account, "jane@example.com");
        for (k, v) in changes.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = [
        (with(json!({"Name": null})), "Name", "Name is required"),
        (with(json!({"Name": " "})), "Name", "Name is required"),
        (
            with(json!({"Name": "n".repeat(201)})),
            "Name",
            "Name must be between 1 and 200 characters",
        ),
        (with(json!({"Name": 3})), "Name", "Name must be a string"),
        (with(json!({"Email": null})), "Email", "Email is required"),
        (
            with(json!({"Email": "jane"})),
            "Email",
            "Email must be a valid email address",
        ),
        (
            with(json!({"Email": ["jane@example.com"]})),
            "Email",
            "Email must be a string",
        ),
        (
            with(json!({"Password": null})),
            "Password",
            "Password is required",
        ),
        (
            with(json!({"Password": "1234567"})),
            "Password",
            PASSWORD_MESSAGE,
        ),
        (
            with(json!({"Password": "p".repeat(129)})),
            "Password",
            PASSWORD_MESSAGE,
        ),
        (
            with(json!({"Password": 12345678})),
            "Password",
            "Password must be a string",
        ),
        (with(json!({"Role": "Owner"})), "Role", ROLE_MESSAGE),
        (with(json!({"Role": ""})), "Role", ROLE_MESSAGE),
        (
            with(json!({"Role": "Manager".repeat(20)})),
            "Role",
            ROLE_MESSAGE,
        ),
        (with(json!({"Role": 1})), "Role", "Role must be a string"),
        (
            with(json!({"PhoneNumbers": "+18015551234"})),
            "PhoneNumbers",
            "PhoneNumbers must be an array",
        ),
        (
            with(json!({"PhoneNumbers": ["12"]})),
            "PhoneNumbers[0]",
            "PhoneNumbers[0] must be a valid phone number",
        ),
        (
            with(json!({"PhoneNumbers": ["+18015551234", "abc"]})),
            "PhoneNumbers[1]",
            "PhoneNumbers[1] must be a valid phone number",
        ),
        (
            with(json!({"PhoneNumbers": [18015551234_i64]})),
            "PhoneNumbers[0]",
            "PhoneNumbers[0] must be a string",
        ),
        (
            with(json!({"AccountId": 5})),
            "AccountId",
            "AccountId must be a string",
        ),
    ];
    for (request, field, message) in cases {
        let resp = app.call("/v1.0/subscribers/create", request).await;
        resp.assert_problem(400, message);
        resp.assert_field_error(field, message);
    }
    let resp = app.call("/v1.0/subscribers/create", json!({})).await;
    resp.assert_problem(400, "Name is required");
    for field in ["Name", "Email", "Password"] {
        resp.assert_field_error(field, &format!("{field} is required"));
    }
    // Password boundaries, counted in characters.
    for (i, password) in ["12345678".to_string(), "p".repeat(128), "ü".repeat(8)]
        .into_iter()
        .enumerate()
    {
        let request = with(json!({"Email": format!("edge{i}@example.com"), "Password": password}));
        app.call("/v1.0/subscribers/create", request).await.ok();
    }
    let listed = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(
        listed["TotalSubscribers"], 3,
        "only the valid creates stored a subscriber"
    );
    assert_eq!(events_of(&app, "subscriber.created").await.len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn numbers_must_be_valid_and_belong_to_the_account() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let mut request = body(&account, "jane@example.com");
    request["PhoneNumbers"] = json!(["+18015551234"]);
    let resp = app.call("/v1.0/subscribers/create", request.clone()).await;
    resp.assert_problem(400, NOT_IN_ACCOUNT);
    resp.assert_field_error("PhoneNumbers[0]", NOT_IN_ACCOUNT);
    // NANP input forms are normalised, then refused for the same reason (no inventory yet).
    request["PhoneNumbers"] = json!(["8015551234"]);
    app.call("/v1.0/subscribers/create", request.clone())
        .await
        .assert_field_error("PhoneNumbers[0]", NOT_IN_ACCOUNT);
    request["PhoneNumbers"] = json!(["(801) 555-1234", "+18015551299"]);
    let resp = app.call("/v1.0/subscribers/create", request.clone()).await;
    resp.assert_field_error("PhoneNumbers[0]", NOT_IN_ACCOUNT);
    resp.assert_field_error("PhoneNumbers[1]", NOT_IN_ACCOUNT);
    // Paths name the position as sent, also after a duplicate or a wrong item.
    request["PhoneNumbers"] = json!(["+18015551234", "18015551234", "+18015551299"]);
    let resp = app.call("/v1.0/subscribers/create", request.clone()).await;
    resp.assert_field_error("PhoneNumbers[2]", NOT_IN_ACCOUNT);
    request["PhoneNumbers"] = json!([5, "abc", "+18015551234"]);
    let resp = app.call("/v1.0/subscribers/create", request.clone()).await;
    resp.assert_problem(400, "PhoneNumbers[0] must be a string");
    resp.assert_field_error("PhoneNumbers[0]", "PhoneNumbers[0] must be a string");
    resp.assert_field_error(
        "PhoneNumbers[1]",
        "PhoneNumbers[1] must be a valid phone number",
    );
    request["PhoneNumbers"] = json!(["+1801555123"]);
    let resp = app.call("/v1.0/subscribers/create", request.clone()).await;
    resp.assert_field_error(
        "PhoneNumbers[0]",
        "PhoneNumbers[0] must be a valid phone number",
    );

    // On update too.
    let jane = app.new_subscriber(&account, "jane@example.com").await;
    let resp = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": sid(&jane), "PhoneNumbers": ["+18015551234"]}),
        )
        .await;
    resp.assert_problem(400, NOT_IN_ACCOUNT);
    resp.assert_field_error("PhoneNumbers[0]", NOT_IN_ACCOUNT);
    let resp = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": sid(&jane), "PhoneNumbers": ["x"]}),
        )
        .await;
    resp.assert_field_error(
        "PhoneNumbers[0]",
        "PhoneNumbers[0] must be a valid phone number",
    );
    let unchanged = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": sid(&jane), "PhoneNumbers": []}),
        )
        .await
        .ok();
    assert_eq!(unchanged["PhoneNumbers"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn roles_are_read_tolerantly_and_answered_exactly() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let cases = [
        ("account_admin", "Account Admin"),
        ("ACCOUNT ADMIN", "Account Admin"),
        ("AccountAdmin", "Account Admin"),
        ("account-admin", "Account Admin"),
        ("manager", "Manager"),
        (" SUBSCRIBER ", "Subscriber"),
    ];
    for (i, (input, answered)) in cases.into_iter().enumerate() {
        let mut request = body(&account, &format!("role{i}@example.com"));
        request["Role"] = json!(input);
        let created = app.call("/v1.0/subscribers/create", request).await.ok();
        assert_eq!(created["Role"], answered, "{input}");
    }
    let jane = app.new_subscriber(&account, "jane@example.com").await;
    let updated = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": sid(&jane), "Role": "account admin"}),
        )
        .await
        .ok();
    assert_eq!(updated["Role"], "Account Admin");
    let resp = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": sid(&jane), "Role": "Admin"}),
        )
        .await;
    resp.assert_problem(400, ROLE_MESSAGE);
    resp.assert_field_error("Role", ROLE_MESSAGE);
    app.stop().await;
}

#[tokio::test]
async fn password_is_stored_as_argon2id_and_never_returned() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let password = "Temp-Passw0rd!";
    let jane = app
        .call(
            "/v1.0/subscribers/create",
            body(&account, "jane@example.com"),
        )
        .await
        .ok();
    assert_no_password(&jane);
    let first = password_hash(&app, &sid(&jane)).await;
    assert!(first.starts_with("$argon2id$"), "{first}");
    assert!(!first.contains(password));

    let updated = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": sid(&jane), "Password": "N3w-Passw0rd!"}),
        )
        .await
        .ok();
    assert_no_password(&updated);
    let second = password_hash(&app, &sid(&jane)).await;
    assert!(second.starts_with("$argon2id$"), "{second}");
    assert_ne!(first, second, "a new password replaces the stored hash");
    let renamed = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": sid(&jane), "Name": "Jane Roe"}),
        )
        .await
        .ok();
    assert_eq!(
        password_hash(&app, &sid(&jane)).await,
        second,
        "the hash changes only with a new password"
    );
    let resp = app
        .call(
            "/v1.0/subscribers/update",
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
    let deleted = app
        .call(
            "/v1.0/subscribers/delete",
            json!({"SubscriberId": sid(&jane)}),
        )
        .await
        .ok();
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
        let resp = app
            .call("/v1.0/subscribers/create", body(account, email))
            .await;
        resp.assert_problem(409, "Email already exists");
        assert_eq!(
            resp.body["Errors"]["$.Email"],
            json!(["Email already exists"]),
            "{}",
            resp.text
        );
    }
    // Another distributor cannot take it either.
    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
    let theirs = app
        .post(
            "/v1.0/account/create",
            &token,
            json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"}),
        )
        .await
        .ok();
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
    let resp = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": sid(&sam), "Email": "JANE@example.com"}),
        )
        .await;
    resp.assert_problem(409, "Email already exists");
    let resp = app
        .call(
            "/v1.0/subscribers/update",
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

#[tokio::test]
async fn update_changes_only_the_fields_sent() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let mut request = body(&doe, "jane@example.com");
    request["Role"] = json!("Manager");
    let jane = app.call("/v1.0/subscribers/create", request).await.ok();
    let id = sid(&jane);

    let renamed = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": id, "Name": " Jane Roe "}),
        )
        .await
        .ok();
    assert_subscriber_shape(&renamed);
    assert_eq!(renamed["Name"], "Jane Roe");
    assert_eq!(renamed["Email"], "jane@example.com");
    assert_eq!(renamed["Role"], "Manager");
    assert_eq!(renamed["Account"], jane["Account"]);
    assert_eq!(renamed["CreatedOn"], jane["CreatedOn"]);

    let same = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": id, "Email": "JANE@EXAMPLE.COM"}),
        )
        .await
        .ok();
    assert_eq!(
        same["Email"], "jane@example.com",
        "equal ignoring case: unchanged"
    );
    let nulls = json!({"SubscriberId": id, "Name": null, "Email": null, "Role": null, "Password": null, "PhoneNumbers": null, "AccountId": null});
    assert_eq!(
        app.call("/v1.0/subscribers/update", nulls).await.ok(),
        same,
        "null leaves values"
    );
    let current =
        json!({"SubscriberId": id, "AccountId": doe.to_lowercase(), "Role": "Subscriber"});
    let demoted = app.call("/v1.0/subscribers/update", current).await.ok();
    assert_eq!(demoted["Role"], "Subscriber");
    assert_eq!(demoted["Name"], "Jane Roe");

    let moved = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": id, "Email": "Jane.Roe@Example.com"}),
        )
        .await
        .ok();
    assert_eq!(moved["Email"], "Jane.Roe@Example.com");
    app.new_subscriber(&doe, "jane@example.com").await;

    let resp = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": id, "AccountId": roe, "Name": "X"}),
        )
        .await;
    let transfer = "Use /v1.0/subscribers/transfer to move a subscriber to another account";
    resp.assert_problem(400, transfer);
    resp.assert_field_error("AccountId", transfer);
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());
    for bad in [unknown.as_str(), "AID-1"] {
        let resp = app
            .call(
                "/v1.0/subscribers/update",
                json!({"SubscriberId": id, "AccountId": bad}),
            )
            .await;
        resp.assert_problem(400, "Invalid AccountId");
        resp.assert_field_error("AccountId", "Invalid AccountId");
    }
    let invalid = [
        (
            json!({"SubscriberId": id, "Name": ""}),
            "Name",
            "Name must be between 1 and 200 characters",
        ),
        (
            json!({"SubscriberId": id, "Email": "nope"}),
            "Email",
            "Email must be a valid email address",
        ),
        (
            json!({"Name": "X"}),
            "SubscriberId",
            "SubscriberId is required",
        ),
        (
            json!({"SubscriberId": "", "Name": "X"}),
            "SubscriberId",
            "SubscriberId is required",
        ),
    ];
    for (request, field, message) in invalid {
        app.call("/v1.0/subscribers/update", request)
            .await
            .assert_field_error(field, message);
    }
    let fetched = get(&app, &format!("SubscriberId={id}")).await.ok();
    assert_eq!(fetched, moved, "failed updates changed nothing");

    let updates = events_of(&app, "subscriber.updated").await;
    assert_eq!(updates.len(), 5);
    assert!(updates.iter().all(|(_, r, _)| *r == id));
    assert_eq!(updates[0].2, renamed, "event Data is the subscriber object");
    assert_eq!(updates[4].2, moved);
    app.stop().await;
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_404_with_the_id_as_sent() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let jane = app.new_subscriber(&account, "jane@example.com").await;
    let unknown = format!("TSUID-{}", uuid::Uuid::now_v7());
    let unknown_alias = format!("SID-{}", uuid::Uuid::now_v7());
    let account_id = format!("AID-{}", &sid(&jane)[6..]);
    for bad in [
        unknown.as_str(),
        unknown_alias.as_str(),
        "TSUID-nope",
        "garbage",
        account_id.as_str(),
    ] {
        get(&app, &format!("SubscriberId={bad}"))
            .await
            .assert_problem(404, &not_found(bad));
        let resp = app
            .call(
                "/v1.0/subscribers/update",
                json!({"SubscriberId": bad, "Name": "X"}),
            )
            .await;
        resp.assert_problem(404, &not_found(bad));
        assert_eq!(resp.body["Title"], "Not Found");
        assert_eq!(
            resp.body["Type"],
            "https://tools.ietf.org/html/rfc7231#section-6.5.4"
        );
        let resp = app
            .call("/v1.0/subscribers/delete", json!({"SubscriberId": bad}))
            .await;
        resp.assert_problem(404, &not_found(bad));
        let transfer =
            json!({"SubscriberId": bad, "FromAccountId": account, "ToAccountId": account});
        app.call("/v1.0/subscribers/transfer", transfer)
            .await
            .assert_problem(404, &not_found(bad));
    }
    app.stop().await;
}

#[tokio::test]
async fn get_finds_by_id_email_or_account() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let a1 = app.new_subscriber(&doe, "Jane.Doe@Example.com").await;
    let a2 = app.new_subscriber(&doe, "sam@example.com").await;
    let id = sid(&a1);
    // With one account, the list defaults to it.
    let only = get(&app, "").await.ok();
    assert_eq!(only["AccountId"], doe.as_str());
    assert_eq!(ids_of(&only), [sid(&a1), sid(&a2)]);

    let roe = app.new_account("Roe Family").await;
    let b1 = app.new_subscriber(&roe, "alex@example.com").await;
    assert_eq!(get(&app, &format!("SubscriberId={id}")).await.ok(), a1);
    assert_eq!(
        get(&app, &format!("subscriberid={}", id.to_uppercase()))
            .await
            .ok(),
        a1
    );
    let via_alias = get(&app, &format!("SubscriberId={}", sid_alias(&id)))
        .await
        .ok();
    assert_eq!(
        via_alias["SubscriberId"],
        id.as_str(),
        "SID- accepted, TSUID- answered"
    );
    assert_eq!(get(&app, "Email=jane.doe@example.com").await.ok(), a1);
    assert_eq!(get(&app, "email=JANE.DOE%40EXAMPLE.COM").await.ok(), a1);
    assert_eq!(
        get(&app, &format!("SubscriberId={id}&AccountId={doe}"))
            .await
            .ok(),
        a1
    );
    assert_eq!(
        get(&app, &format!("Email=sam@example.com&AccountId={doe}"))
            .await
            .ok(),
        a2
    );
    assert_eq!(
        get(
            &app,
            &format!("SubscriberId={id}&Email=Jane.Doe@example.com")
        )
        .await
        .ok(),
        a1
    );

    get(&app, "Email=nobody@example.com").await.assert_problem(
        404,
        "Subscriber with email 'nobody@example.com' was not found.",
    );
    get(&app, &format!("SubscriberId={id}&AccountId={roe}"))
        .await
        .assert_problem(404, &not_found(&id));
    let resp = get(&app, &format!("Email=jane.doe@example.com&AccountId={roe}")).await;
    resp.assert_problem(
        404,
        "Subscriber with email 'jane.doe@example.com' was not found.",
    );
    get(&app, &format!("SubscriberId={id}&Email=alex@example.com"))
        .await
        .assert_problem(404, &not_found(&id));
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());
    let resp = get(&app, &format!("SubscriberId={id}&AccountId={unknown}")).await;
    resp.assert_problem(400, "Invalid AccountId");
    resp.assert_field_error("AccountId", "Invalid AccountId");

    let doe_page = get(&app, &format!("AccountId={doe}")).await.ok();
    assert_eq!(doe_page["AccountId"], doe.as_str());
    assert_eq!(doe_page["TotalSubscribers"], 2);
    assert_eq!(doe_page["PageNumber"], 1);
    assert_eq!(doe_page["PageSize"], 100);
    assert_eq!(doe_page["Results"], json!([a1, a2]));
    let second = get(&app, &format!("AccountId={doe}&PageSize=1&PageNumber=2"))
        .await
        .ok();
    assert_eq!(
        (
            second["TotalSubscribers"].clone(),
            second["PageSize"].clone()
        ),
        (json!(2), json!(1))
    );
    assert_eq!(ids_of(&second), [sid(&a2)]);
    let alias = get(&app, &format!("AccountId={roe}&TotalPerPage=1"))
        .await
        .ok();
    assert_eq!(alias["PageSize"], 1);
    assert_eq!(alias["Results"], json!([b1]));
    get(&app, "")
        .await
        .assert_problem(400, "AccountId is required");
    for bad in [unknown.as_str(), "AID-x", "nothing"] {
        get(&app, &format!("AccountId={bad}"))
            .await
            .assert_field_error("AccountId", "Invalid AccountId");
    }
    get(&app, &format!("AccountId={doe}&PageSize=0"))
        .await
        .assert_problem(400, "PageSize must be between 1 and 1000");
    app.stop().await;
}

#[tokio::test]
async fn email_lookup_stays_within_the_callers_distributor() {
    let app = TestApp::start().await;
    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
    let theirs = app
        .post(
            "/v1.0/account/create",
            &token,
            json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"}),
        )
        .await
        .ok();
    let token = app
        .token_for(&key, &secret, "/v1.0/subscribers/create")
        .await;
    let their_body = body(theirs["AccountId"].as_str().unwrap(), "theirs@example.com");
    let their_sub = app
        .post("/v1.0/subscribers/create", &token, their_body)
        .await
        .ok();
    app.new_account("Doe Family").await;
    get(&app, "Email=theirs@example.com").await.assert_problem(
        404,
        "Subscriber with email 'theirs@example.com' was not found.",
    );
    let token = app.token_for(&key, &secret, "/v1.0/subscribers/get").await;
    let found = app
        .get("/v1.0/subscribers/get?Email=THEIRS@example.com", &token)
        .await
        .ok();
    assert_eq!(found, their_sub);
    app.stop().await;
}

#[tokio::test]
async fn transfer_moves_a_subscriber_to_another_account() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let sam = app.new_subscriber(&doe, "sam@example.com").await;
    let id = sid(&sam);
    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
    let foreign = app
        .post(
            "/v1.0/account/create",
            &token,
            json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"}),
        )
        .await
        .ok();
    let foreign = foreign["AccountId"].as_str().unwrap().to_string();
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());

    let transfer = |from: &str, to: &str| json!({"SubscriberId": id, "FromAccountId": from, "ToAccountId": to});
    let invalid = [
        (transfer(&unknown, &roe), "FromAccountId"),
        (transfer("AID-1", &roe), "FromAccountId"),
        (transfer(&foreign, &roe), "FromAccountId"),
        (transfer(&doe, &unknown), "ToAccountId"),
        (transfer(&doe, "garbage"), "ToAccountId"),
        (transfer(&doe, &foreign), "ToAccountId"),
    ];
    for (request, field) in invalid {
        let resp = app.call("/v1.0/subscribers/transfer", request).await;
        resp.assert_problem(400, "Invalid AccountId");
        resp.assert_field_error(field, "Invalid AccountId");
    }
    let resp = app
        .call(
            "/v1.0/subscribers/transfer",
            transfer(&doe, &doe.to_uppercase()),
        )
        .await;
    resp.assert_problem(400, "FromAccountId and ToAccountId must differ");
    let resp = app
        .call("/v1.0/subscribers/transfer", transfer(&roe, &doe))
        .await;
    resp.assert_problem(409, "Subscriber does not belong to FromAccountId");
    assert_eq!(resp.body["Title"], "Conflict");
    let resp = app.call("/v1.0/subscribers/transfer", json!({})).await;
    resp.assert_problem(400, "SubscriberId is required");
    for field in ["SubscriberId", "FromAccountId", "ToAccountId"] {
        resp.assert_field_error(field, &format!("{field} is required"));
    }
    assert!(events_of(&app, "subscriber.transferred").await.is_empty());

    let request = json!({"SubscriberId": sid_alias(&id), "FromAccountId": doe, "ToAccountId": roe});
    let moved = app.call("/v1.0/subscribers/transfer", request).await.ok();
    assert_subscriber_shape(&moved);
    assert_eq!(moved["SubscriberId"], id.as_str());
    assert_eq!(
        moved["Account"],
        json!({"AccountId": roe, "CompanyName": "Roe Family"})
    );
    assert_eq!(moved["Email"], sam["Email"]);
    assert_eq!(get(&app, &format!("SubscriberId={id}")).await.ok(), moved);
    assert_eq!(
        get(&app, &format!("AccountId={doe}")).await.ok()["TotalSubscribers"],
        0
    );
    let target = get(&app, &format!("AccountId={roe}")).await.ok();
    assert_eq!(ids_of(&target), [id.as_str()]);
    // The subscriber is no longer in the source account.
    let resp = app
        .call("/v1.0/subscribers/transfer", transfer(&doe, &roe))
        .await;
    resp.assert_problem(409, "Subscriber does not belong to FromAccountId");

    let events = events_of(&app, "subscriber.transferred").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1, id);
    assert_eq!(
        events[0].2,
        json!({"SubscriberId": id, "FromAccountId": doe, "ToAccountId": roe})
    );
    assert_eq!(
        event_account(&app, "subscriber.transferred")
            .await
            .as_deref(),
        Some(roe.as_str()),
        "event AccountId is the target"
    );
    app.stop().await;
}

#[tokio::test]
async fn delete_removes_a_subscriber_from_every_read() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let jane = app.new_subscriber(&doe, "Jane@Example.com").await;
    let sam = app.new_subscriber(&doe, "sam@example.com").await;
    let id = sid(&jane);

    let deleted = app
        .call(
            "/v1.0/subscribers/delete",
            json!({"SubscriberId": sid_alias(&id)}),
        )
        .await
        .ok();
    let mut keys: Vec<&String> = deleted.as_object().unwrap().keys().collect();
    keys.sort_unstable();
    assert_eq!(keys, ["DateDeleted", "Status", "SubscriberId"], "{deleted}");
    assert_eq!(deleted["SubscriberId"], id.as_str());
    assert_eq!(deleted["Status"], "Deleted");
    assert!(deleted["DateDeleted"]
        .as_str()
        .is_some_and(|t| t.ends_with("+00:00")));

    get(&app, &format!("SubscriberId={id}"))
        .await
        .assert_problem(404, &not_found(&id));
    get(&app, "Email=jane@example.com").await.assert_problem(
        404,
        "Subscriber with email 'jane@example.com' was not found.",
    );
    let update = app
        .call(
            "/v1.0/subscribers/update",
            json!({"SubscriberId": id, "Name": "X"}),
        )
        .await;
    update.assert_problem(404, &not_found(&id));
    let transfer = json!({"SubscriberId": id, "FromAccountId": doe, "ToAccountId": roe});
    app.call("/v1.0/subscribers/transfer", transfer)
        .await
        .assert_problem(404, &not_found(&id));
    let again = app
        .call("/v1.0/subscribers/delete", json!({"SubscriberId": id}))
        .await;
    again.assert_problem(404, &not_found(&id));
    let listed = get(&app, &format!("AccountId={doe}")).await.ok();
    assert_eq!(
        (listed["TotalSubscribers"].clone(), ids_of(&listed)),
        (json!(1), vec![sid(&sam)])
    );
    let everyone = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(
        (everyone["TotalSubscribers"].clone(), ids_of(&everyone)),
        (json!(1), vec![sid(&sam)])
    );
    let account = app
        .fetch(&format!("/v1.0/account?AccountId={doe}"))
        .await
        .ok();
    assert_eq!(account["TotalSubscribers"], 1);

    // The email is free again, in any case.
    let reborn = app.new_subscriber(&roe, "JANE@example.com").await;
    assert_ne!(sid(&reborn), id);
    let by_email = get(&app, "Email=jane@example.com").await.ok();
    assert_eq!(by_email["SubscriberId"], reborn["SubscriberId"]);

    let events = events_of(&app, "subscriber.deleted").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1, id);
    assert_eq!(events[0].2, deleted, "event Data is the delete answer");
    app.call("/v1.0/subscribers/delete", json!({}))
        .await
        .assert_field_error("SubscriberId", "SubscriberId is required");
    app.stop().await;
}

#[tokio::test]
async fn distributor_list_spans_accounts() {
    let app = TestApp::start().await;
    let empty = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(
        empty,
        json!({"DistributorId": KEY, "TotalSubscribers": 0, "PageNumber": 1, "PageSize": 100, "Results": []})
    );
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let a1 = app.new_subscriber(&doe, "a1@example.com").await;
    let b1 = app.new_subscriber(&roe, "b1@example.com").await;
    let a2 = app.new_subscriber(&doe, "a2@example.com").await;
    let all = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(all["DistributorId"], KEY);
    assert_eq!(all["TotalSubscribers"], 3);
    assert_eq!(
        all["Results"],
        json!([a1, b1, a2]),
        "creation order across accounts"
    );
    let page = app
        .fetch("/v1.0/distributor/subscribers?PageNumber=2&PageSize=2")
        .await
        .ok();
    assert_eq!(
        (
            page["PageNumber"].clone(),
            page["PageSize"].clone(),
            page["TotalSubscribers"].clone()
        ),
        (json!(2), json!(2), json!(3))
    );
    assert_eq!(ids_of(&page), [sid(&a2)]);
    let alias = app
        .fetch("/v1.0/distributor/subscribers?TotalPerPage=1")
        .await
        .ok();
    assert_eq!(ids_of(&alias), [sid(&a1)]);
    let narrowed = app
        .fetch(&format!("/v1.0/distributor/subscribers?accountid={roe}"))
        .await
        .ok();
    assert_eq!(narrowed["TotalSubscribers"], 1);
    assert_eq!(narrowed["Results"], json!([b1]));
    let narrowed = app
        .fetch(&format!("/v1.0/distributor/subscribers?AccountId={doe}"))
        .await
        .ok();
    assert_eq!(ids_of(&narrowed), [sid(&a1), sid(&a2)]);

    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
    let foreign = app
        .post(
            "/v1.0/account/create",
            &token,
            json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"}),
        )
        .await
        .ok();
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());
    for bad in [
        unknown.as_str(),
        "AID-zz",
        foreign["AccountId"].as_str().unwrap(),
    ] {
        let resp = app
            .fetch(&format!("/v1.0/distributor/subscribers?AccountId={bad}"))
            .await;
        resp.assert_problem(400, "Invalid AccountId");
        resp.assert_field_error("AccountId", "Invalid AccountId");
    }
    let resp = app
        .fetch("/v1.0/distributor/subscribers?PageNumber=0")
        .await;
    resp.assert_problem(400, "PageNumber must be 1 or greater");
    app.stop().await;
}

#[tokio::test]
async fn tenancy_default_applies_to_create() {
    let app = TestApp::start().await;
    let resp = app
        .call(
            "/v1.0/subscribers/create",
            json!({"Name": "Jane", "Email": "jane@example.com", "Password": "Temp-Passw0rd!"}),
        )
        .await;
    resp.assert_problem(400, "AccountId is required");
    resp.assert_field_error("AccountId", "AccountId is required");
    let doe = app.new_account("Doe Family").await;
    let jane = app
        .call(
            "/v1.0/subscribers/create",
            json!({"Name": "Jane", "Email": "jane@example.com", "Password": "Temp-Passw0rd!"}),
        )
        .await
        .ok();
    assert_eq!(jane["Account"]["AccountId"], doe.as_str());
    app.new_account("Roe Family").await;
    let resp = app
        .call(
            "/v1.0/subscribers/create",
            json!({"Name": "Sam", "Email": "sam@example.com", "Password": "Temp-Passw0rd!"}),
        )
        .await;
    resp.assert_problem(400, "AccountId is required");
    for bad in ["AID-1", "SID-1"] {
        let resp = app
            .call("/v1.0/subscribers/create", body(bad, "sam@example.com"))
            .await;
        resp.assert_problem(400, "Invalid AccountId");
        resp.assert_field_error("AccountId", "Invalid AccountId");
    }
    app.stop().await;
}
