//! Tolerant requests: paths and query keys in any case and with stray slashes, body properties in
//! any case, null as absent, and the errors of the paging parameters.

use serde_json::{json, Value};

use crate::common::{TestApp, ADMIN_TOKEN};
use crate::support::{account_body, total_accounts, ACCOUNTS, ACCOUNT_CREATE, VALIDATION_TITLE};

#[tokio::test]
async fn paths_are_case_insensitive_and_tolerate_slashes() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    for path in [
        "/V1.0/Account/Create",
        "/v1.0/ACCOUNT/CREATE",
        "/v1.0/account/create/",
        "/v1.0//account//create",
        "/V1.0//Account/Create//",
    ] {
        let resp = app.post(path, &token, account_body(path)).await;
        assert_eq!(resp.status, 200, "{path}: {}", resp.text);
        assert_eq!(resp.body["AccountName"], path);
    }
    assert_eq!(total_accounts(&app).await, 5);
    // The query survives normalisation.
    let list_token = app.token(ACCOUNTS).await;
    let page = app
        .get("/V1.0/Distributor/Accounts/?PageSize=2", &list_token)
        .await
        .ok();
    assert_eq!(page["PageSize"], 2);
    assert_eq!(page["Results"].as_array().unwrap().len(), 2);
    // A token minted for a differently cased path is the same scope.
    let odd = app.token("/V1.0/Distributor/ACCOUNTS/").await;
    assert_eq!(app.get(ACCOUNTS, &odd).await.status, 200);
    app.stop().await;
}

#[tokio::test]
async fn query_keys_are_case_insensitive() {
    let app = TestApp::start().await;
    let first = app.new_account("First").await;
    let second = app.new_account("Second").await;
    // With two accounts AccountId is required, so the key must have been read.
    let resp = app.fetch("/v1.0/account").await;
    resp.assert_problem(400, "AccountId is required");
    for key in ["AccountId", "accountid", "ACCOUNTID", "accountId"] {
        let one = app
            .fetch(&format!("/v1.0/account?{key}={second}"))
            .await
            .ok();
        assert_eq!(one["AccountId"], second.as_str(), "{key}");
    }
    // Ids themselves are compared case-insensitively.
    let one = app
        .fetch(&format!("/v1.0/account?AccountID={}", first.to_lowercase()))
        .await
        .ok();
    assert_eq!(one["AccountId"], first.as_str());
    for query in [
        "PAGESIZE=1",
        "pagesize=1",
        "TotalPerPage=1",
        "TOTALPERPAGE=1",
        "totalperpage=1",
    ] {
        let page = app.fetch(&format!("{ACCOUNTS}?{query}")).await.ok();
        assert_eq!(page["PageSize"], 1, "{query}");
        assert_eq!(page["TotalAccounts"], 2, "{query}");
        assert_eq!(page["Results"].as_array().unwrap().len(), 1, "{query}");
        assert_eq!(page["Results"][0]["AccountId"], first.as_str(), "{query}");
    }
    let page = app
        .fetch(&format!("{ACCOUNTS}?pagenumber=2&PAGESIZE=1"))
        .await
        .ok();
    assert_eq!(page["PageNumber"], 2);
    assert_eq!(page["Results"][0]["AccountId"], second.as_str());
    app.stop().await;
}

#[tokio::test]
async fn body_properties_match_any_case_and_unknown_ones_are_ignored() {
    let app = TestApp::start().await;
    let body = json!({
        "accountname": "Lower Case",
        "ACCOUNTADMIN": "Lower.Case@Example.com",
        "billingaddress": {"street1": "1 Main St", "CITY": "Lehi", "Zip": "84043"},
        "SomethingElse": {"Nested": [1, 2, {"x": null}]},
        "Extra": 42
    });
    let created = app.call(ACCOUNT_CREATE, body).await.ok();
    assert_eq!(created["AccountName"], "Lower Case");
    assert!(
        created["AccountAdmin"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("lower.case@example.com"),
        "{created}"
    );
    assert_eq!(created["BillingAddress"]["Street1"], "1 Main St");
    assert_eq!(created["BillingAddress"]["City"], "Lehi");
    assert_eq!(created["BillingAddress"]["Zip"], "84043");
    assert!(
        created.get("SomethingElse").is_none() && created.get("Extra").is_none(),
        "{created}"
    );
    let id = created["AccountId"].as_str().unwrap();
    let updated = app
        .call(
            "/v1.0/account/update",
            json!({"ACCOUNTID": id, "aCcOuNtNaMe": "Renamed"}),
        )
        .await
        .ok();
    assert_eq!(updated["AccountName"], "Renamed");
    app.stop().await;
}

#[tokio::test]
async fn null_equals_absent_for_optional_fields() {
    let app = TestApp::start().await;
    let mut body = account_body("Nulls");
    body["BillingAddress"] = Value::Null;
    body["MailingAddress"] = Value::Null;
    let created = app.call(ACCOUNT_CREATE, body).await.ok();
    for key in ["Street1", "Street2", "City", "State", "Zip", "Country"] {
        assert_eq!(created["BillingAddress"][key], Value::Null, "{created}");
        assert_eq!(created["MailingAddress"][key], Value::Null, "{created}");
    }
    let id = created["AccountId"].as_str().unwrap();
    let updated = app
        .call("/v1.0/account/update", json!({"AccountId": id, "AccountName": null, "AccountAdmin": null, "BillingAddress": null}))
        .await
        .ok();
    assert_eq!(updated["AccountName"], "Nulls");
    assert_eq!(updated["AccountAdmin"], created["AccountAdmin"]);
    // Required fields: null is "missing".
    let resp = app
        .call(
            ACCOUNT_CREATE,
            json!({"AccountName": null, "AccountAdmin": "a@example.com"}),
        )
        .await;
    resp.assert_field_error("AccountName", "AccountName is required");
    app.stop().await;
}

#[tokio::test]
async fn paging_errors_use_the_contract_messages() {
    let app = TestApp::start().await;
    for (query, field, message) in [
        (
            "PageNumber=0",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "PageNumber=-1",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "pagenumber=abc",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "PageSize=0",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
        (
            "PageSize=1001",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
        (
            "PAGESIZE=x",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
    ] {
        for path in [ACCOUNTS, "/v1.0/distributor/subscribers"] {
            let resp = app.fetch(&format!("{path}?{query}")).await;
            resp.assert_problem(400, message);
            resp.assert_field_error(field, message);
        }
    }
    for query in ["TotalPerPage=0", "TotalPerPage=5000", "totalperpage=-3"] {
        let resp = app.fetch(&format!("{ACCOUNTS}?{query}")).await;
        resp.assert_problem(400, "PageSize must be between 1 and 1000");
        assert_eq!(resp.body["Title"], VALIDATION_TITLE);
    }
    let admin = app
        .get("/admin/v1/distributors?PageSize=1001", ADMIN_TOKEN)
        .await;
    admin.assert_problem(400, "PageSize must be between 1 and 1000");
    // The bounds themselves are fine.
    for query in [
        "PageNumber=1&PageSize=1",
        "PageSize=1000",
        "TotalPerPage=1000&PageNumber=99",
    ] {
        let page = app.fetch(&format!("{ACCOUNTS}?{query}")).await.ok();
        assert_eq!(page["TotalAccounts"], 0, "{query}");
    }
    app.stop().await;
}
