//! The distributor's account list with paging, and live subscriber counts.

use serde_json::{json, Value};

use crate::common::{TestApp, KEY};
use crate::support::{assert_invalid, list_page, page_ids, total_subscribers, update};

#[tokio::test]
async fn lists_accounts_in_creation_order_with_paging() {
    let app = TestApp::start().await;
    let empty = app.fetch("/v1.0/distributor/accounts").await.ok();
    assert_eq!(
        empty,
        json!({"DistributorId": KEY, "TotalAccounts": 0, "PageNumber": 1, "PageSize": 100, "Results": []})
    );
    let mut ids = Vec::new();
    for name in ["Zulu", "Alpha", "Mike", "Bravo", "Yankee"] {
        ids.push(app.new_account(name).await);
    }
    let all = app.fetch("/v1.0/distributor/accounts").await.ok();
    assert_eq!(all["DistributorId"], KEY);
    assert_eq!(all["TotalAccounts"], 5);
    assert_eq!(all["PageNumber"], 1);
    assert_eq!(all["PageSize"], 100);
    let listed: Vec<&str> = all["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AccountId"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids, "creation order, not name order");
    let names: Vec<&str> = all["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AccountName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Zulu", "Alpha", "Mike", "Bravo", "Yankee"]);

    let second = list_page(&app, "PageNumber=2&PageSize=2").await;
    assert_eq!(second["TotalAccounts"], 5);
    assert_eq!(second["PageNumber"], 2);
    assert_eq!(second["PageSize"], 2);
    assert_eq!(page_ids(&second), &ids[2..4]);
    let third = list_page(&app, "pagenumber=3&TotalPerPage=2").await;
    assert_eq!(third["PageSize"], 2, "TotalPerPage is an alias of PageSize");
    assert_eq!(page_ids(&third), &ids[4..5]);
    let beyond = list_page(&app, "PageNumber=4&PageSize=2").await;
    assert_eq!(beyond["TotalAccounts"], 5);
    assert_eq!(beyond["Results"], json!([]));
    let max = list_page(&app, "PageSize=1000").await;
    assert_eq!(max["PageSize"], 1000);
    assert_eq!(page_ids(&max), ids);

    let invalid = [
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
            "PageNumber=x",
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
            "TotalPerPage=abc",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
    ];
    for (query, field, message) in invalid {
        let resp = app
            .fetch(&format!("/v1.0/distributor/accounts?{query}"))
            .await;
        assert_invalid(&resp, field, message);
    }
    app.stop().await;
}

#[tokio::test]
async fn total_subscribers_counts_live_subscribers() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let jane = app.new_subscriber(&doe, "jane@example.com").await;
    app.new_subscriber(&doe, "sam@example.com").await;
    let alex = app.new_subscriber(&roe, "alex@example.com").await;
    assert_eq!(total_subscribers(&app, &doe).await, 2);
    assert_eq!(total_subscribers(&app, &roe).await, 1);
    let listed = app.fetch("/v1.0/distributor/accounts").await.ok();
    let totals: Vec<&Value> = listed["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["TotalSubscribers"])
        .collect();
    assert_eq!(totals, [&json!(2), &json!(1)]);

    let deleted = app
        .call(
            "/v1.0/subscribers/delete",
            json!({"SubscriberId": jane["SubscriberId"]}),
        )
        .await
        .ok();
    assert_eq!(deleted["Status"], "Deleted");
    assert_eq!(
        total_subscribers(&app, &doe).await,
        1,
        "deleted subscribers are excluded"
    );

    let body =
        json!({"SubscriberId": alex["SubscriberId"], "FromAccountId": roe, "ToAccountId": doe});
    app.call("/v1.0/subscribers/transfer", body).await.ok();
    assert_eq!(total_subscribers(&app, &doe).await, 2);
    assert_eq!(total_subscribers(&app, &roe).await, 0);
    let updated = update(
        &app,
        json!({"AccountId": doe, "AccountName": "Doe Household"}),
    )
    .await
    .ok();
    assert_eq!(
        updated["TotalSubscribers"], 2,
        "computed at read time on update too"
    );
    app.stop().await;
}
