//! Reads: get by id, email or account, the distributor-wide list, and 404 for unknown ids.

use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{
    assert_invalid, body, delete, foreign_account, get, ids_of, not_found, sid, sid_alias,
    transfer, update,
};

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
    assert_invalid(&resp, "AccountId", "Invalid AccountId");

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
    let (key, secret, theirs) = foreign_account(&app).await;
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

    let (_, _, foreign) = foreign_account(&app).await;
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());
    for bad in [
        unknown.as_str(),
        "AID-zz",
        foreign["AccountId"].as_str().unwrap(),
    ] {
        let resp = app
            .fetch(&format!("/v1.0/distributor/subscribers?AccountId={bad}"))
            .await;
        assert_invalid(&resp, "AccountId", "Invalid AccountId");
    }
    let resp = app
        .fetch("/v1.0/distributor/subscribers?PageNumber=0")
        .await;
    resp.assert_problem(400, "PageNumber must be 1 or greater");
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
        let resp = update(&app, json!({"SubscriberId": bad, "Name": "X"})).await;
        resp.assert_problem(404, &not_found(bad));
        assert_eq!(resp.body["Title"], "Not Found");
        assert_eq!(
            resp.body["Type"],
            "https://tools.ietf.org/html/rfc7231#section-6.5.4"
        );
        let resp = delete(&app, json!({"SubscriberId": bad})).await;
        resp.assert_problem(404, &not_found(bad));
        let request =
            json!({"SubscriberId": bad, "FromAccountId": account, "ToAccountId": account});
        transfer(&app, request)
            .await
            .assert_problem(404, &not_found(bad));
    }
    app.stop().await;
}
