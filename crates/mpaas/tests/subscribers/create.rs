//! Create (and its alias): the documented shape, field errors, phone numbers, tolerant roles and
//! the `AccountId` default.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, assert_subscriber_shape, body, create, event_account, events_of, sid, update,
    NOT_IN_ACCOUNT, PASSWORD_MESSAGE, ROLE_MESSAGE,
};

#[tokio::test]
async fn creates_a_subscriber_with_the_documented_shape() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let request = json!({
        "Name": "  Jane Doe ", "Email": " Jane.Doe@Example.com ", "PhoneNumbers": [], "Role": "Manager",
        "Password": "Temp-Passw0rd!", "AccountId": account
    });
    let jane = create(&app, request).await.ok();
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
    let sam = create(&app, request).await.ok();
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
        let resp = create(&app, request).await;
        assert_invalid(&resp, field, message);
    }
    let resp = create(&app, json!({})).await;
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
        create(&app, request).await.ok();
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
    let resp = create(&app, request.clone()).await;
    assert_invalid(&resp, "PhoneNumbers[0]", NOT_IN_ACCOUNT);
    // NANP input forms are normalised, then refused for the same reason (555 exchanges are never
    // inventory, so no account holds these numbers).
    request["PhoneNumbers"] = json!(["8015551234"]);
    create(&app, request.clone())
        .await
        .assert_field_error("PhoneNumbers[0]", NOT_IN_ACCOUNT);
    request["PhoneNumbers"] = json!(["(801) 555-1234", "+18015551299"]);
    let resp = create(&app, request.clone()).await;
    resp.assert_field_error("PhoneNumbers[0]", NOT_IN_ACCOUNT);
    resp.assert_field_error("PhoneNumbers[1]", NOT_IN_ACCOUNT);
    // Paths name the position as sent, also after a duplicate or a wrong item.
    request["PhoneNumbers"] = json!(["+18015551234", "18015551234", "+18015551299"]);
    let resp = create(&app, request.clone()).await;
    resp.assert_field_error("PhoneNumbers[2]", NOT_IN_ACCOUNT);
    request["PhoneNumbers"] = json!([5, "abc", "+18015551234"]);
    let resp = create(&app, request.clone()).await;
    assert_invalid(&resp, "PhoneNumbers[0]", "PhoneNumbers[0] must be a string");
    resp.assert_field_error(
        "PhoneNumbers[1]",
        "PhoneNumbers[1] must be a valid phone number",
    );
    request["PhoneNumbers"] = json!(["+1801555123"]);
    let resp = create(&app, request.clone()).await;
    resp.assert_field_error(
        "PhoneNumbers[0]",
        "PhoneNumbers[0] must be a valid phone number",
    );

    // On update too.
    let jane = app.new_subscriber(&account, "jane@example.com").await;
    let resp = update(
        &app,
        json!({"SubscriberId": sid(&jane), "PhoneNumbers": ["+18015551234"]}),
    )
    .await;
    assert_invalid(&resp, "PhoneNumbers[0]", NOT_IN_ACCOUNT);
    let resp = update(
        &app,
        json!({"SubscriberId": sid(&jane), "PhoneNumbers": ["x"]}),
    )
    .await;
    resp.assert_field_error(
        "PhoneNumbers[0]",
        "PhoneNumbers[0] must be a valid phone number",
    );
    let unchanged = update(
        &app,
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
        let created = create(&app, request).await.ok();
        assert_eq!(created["Role"], answered, "{input}");
    }
    let jane = app.new_subscriber(&account, "jane@example.com").await;
    let updated = update(
        &app,
        json!({"SubscriberId": sid(&jane), "Role": "account admin"}),
    )
    .await
    .ok();
    assert_eq!(updated["Role"], "Account Admin");
    let resp = update(&app, json!({"SubscriberId": sid(&jane), "Role": "Admin"})).await;
    assert_invalid(&resp, "Role", ROLE_MESSAGE);
    app.stop().await;
}

#[tokio::test]
async fn tenancy_default_applies_to_create() {
    let app = TestApp::start().await;
    let resp = create(
        &app,
        json!({"Name": "Jane", "Email": "jane@example.com", "Password": "Temp-Passw0rd!"}),
    )
    .await;
    assert_invalid(&resp, "AccountId", "AccountId is required");
    let doe = app.new_account("Doe Family").await;
    let jane = create(
        &app,
        json!({"Name": "Jane", "Email": "jane@example.com", "Password": "Temp-Passw0rd!"}),
    )
    .await
    .ok();
    assert_eq!(jane["Account"]["AccountId"], doe.as_str());
    app.new_account("Roe Family").await;
    let resp = create(
        &app,
        json!({"Name": "Sam", "Email": "sam@example.com", "Password": "Temp-Passw0rd!"}),
    )
    .await;
    resp.assert_problem(400, "AccountId is required");
    for bad in ["AID-1", "SID-1"] {
        let resp = create(&app, body(bad, "sam@example.com")).await;
        assert_invalid(&resp, "AccountId", "Invalid AccountId");
    }
    app.stop().await;
}
