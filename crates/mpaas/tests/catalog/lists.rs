//! `account/products` and `account/packages`: the `AccountId` echo rule, subscriber scopes,
//! `Filter` and paging.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, column, create_package, keys, new_product, text, update_package,
    update_product, Foreign, FILTER_MESSAGE,
};

async fn products_page(app: &TestApp, query: &str) -> Value {
    app.fetch(&format!("/v1.0/account/products?{query}"))
        .await
        .ok()
}

async fn packages_page(app: &TestApp, query: &str) -> Value {
    app.fetch(&format!("/v1.0/account/packages?{query}"))
        .await
        .ok()
}

/// Creates a package, optionally scoped to a subscriber; returns its id.
async fn package(app: &TestApp, name: &str, subscriber: Option<&str>) -> String {
    let body = json!({"PackageName": name, "Type": "esim", "Price": 1, "SubscriberId": subscriber});
    text(&create_package(app, body).await.ok(), "PackageId")
}

#[tokio::test]
async fn account_id_is_validated_when_given_and_echoed_by_the_rule() {
    let app = TestApp::start().await;
    for path in ["/v1.0/account/products", "/v1.0/account/packages"] {
        // No account: null.
        assert_eq!(
            app.fetch(path).await.ok()["AccountId"],
            json!(null),
            "{path}"
        );
    }
    let only = app.new_account("Only").await;
    for path in ["/v1.0/account/products", "/v1.0/account/packages"] {
        assert_eq!(
            app.fetch(path).await.ok()["AccountId"],
            only,
            "{path}: the only account"
        );
    }
    let second = app.new_account("Second").await;
    let foreign = Foreign::new(&app).await;
    let body = json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"});
    let theirs = text(
        &foreign.call("/v1.0/account/create", body).await.ok(),
        "AccountId",
    );
    for path in ["/v1.0/account/products", "/v1.0/account/packages"] {
        assert_eq!(
            app.fetch(path).await.ok()["AccountId"],
            json!(null),
            "{path}: several"
        );
        let given = app
            .fetch(&format!("{path}?accountid={}", second.to_uppercase()))
            .await;
        assert_eq!(
            given.ok()["AccountId"],
            second,
            "{path}: canonical id echoed"
        );
        for bad in [
            theirs.as_str(),
            "AID-nope",
            "AID-019a495e-3e6a-7bda-ad3c-2d6d1a3d1fa7",
        ] {
            let resp = app.fetch(&format!("{path}?AccountId={bad}")).await;
            assert_invalid(&resp, "AccountId", "Invalid AccountId");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn account_products_are_paged_and_filtered_in_creation_order() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let mut ids = Vec::new();
    for sku in ["ESIM", "DATA-10GB", "SMS-UNL"] {
        ids.push(text(&new_product(&app, sku, "MRC").await, "ProductId"));
    }
    update_product(&app, json!({"ProductId": ids[1], "Active": false}))
        .await
        .ok();
    let page = products_page(&app, "").await;
    assert_eq!(
        keys(&page),
        [
            "AccountId",
            "Filter",
            "PageNumber",
            "PageSize",
            "Results",
            "TotalProducts"
        ]
    );
    assert_eq!(page["AccountId"], account);
    assert_eq!(
        (&page["TotalProducts"], &page["Filter"]),
        (&json!(3), &json!("All"))
    );
    assert_eq!(
        (&page["PageNumber"], &page["PageSize"]),
        (&json!(1), &json!(100))
    );
    assert_eq!(column(&page, "ProductId"), ids);
    let page = products_page(
        &app,
        &format!("AccountId={account}&Filter=ACTIVE&PageSize=1"),
    )
    .await;
    assert_eq!(
        (&page["TotalProducts"], &page["Filter"]),
        (&json!(2), &json!("Active"))
    );
    assert_eq!(
        (&page["PageNumber"], &page["PageSize"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(column(&page, "ProductId"), [ids[0].clone()]);
    let page = products_page(&app, "filter=active&pagenumber=2&totalperpage=1").await;
    assert_eq!(column(&page, "ProductId"), [ids[2].clone()]);
    let page = products_page(&app, "Filter=Inactive").await;
    assert_eq!(column(&page, "ProductId"), [ids[1].clone()]);
    assert_eq!(page["Results"][0]["Active"], false);
    let page = products_page(&app, "PageNumber=9").await;
    assert_eq!(
        (&page["TotalProducts"], &page["Results"]),
        (&json!(3), &json!([]))
    );
    let resp = app.fetch("/v1.0/account/products?Filter=Retired").await;
    assert_invalid(&resp, "Filter", FILTER_MESSAGE);
    let resp = app.fetch("/v1.0/account/products?PageNumber=0").await;
    assert_invalid(&resp, "PageNumber", "PageNumber must be 1 or greater");
    // Another distributor sees only its own catalogue.
    let foreign = Foreign::new(&app).await;
    let theirs = foreign.fetch("/v1.0/account/products").await.ok();
    assert_eq!(
        (&theirs["TotalProducts"], &theirs["Results"]),
        (&json!(0), &json!([]))
    );
    app.stop().await;
}

#[tokio::test]
async fn account_packages_leave_out_other_accounts_subscriber_packages() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let jane = text(
        &app.new_subscriber(&doe, "jane@example.com").await,
        "SubscriberId",
    );
    let alex = text(
        &app.new_subscriber(&roe, "alex@example.com").await,
        "SubscriberId",
    );
    let open = package(&app, "Open", None).await;
    let janes = package(&app, "Jane only", Some(&jane)).await;
    let alexs = package(&app, "Alex only", Some(&alex)).await;
    let page = packages_page(&app, "").await;
    assert_eq!(
        keys(&page),
        [
            "AccountId",
            "Filter",
            "PageNumber",
            "PageSize",
            "Results",
            "TotalPackages"
        ]
    );
    assert_eq!(page["AccountId"], json!(null));
    assert_eq!(page["TotalPackages"], 3, "no account: every package");
    assert_eq!(
        column(&page, "PackageId"),
        [open.clone(), janes.clone(), alexs.clone()]
    );
    for result in page["Results"].as_array().unwrap() {
        assert!(
            result.get("PackageItems").is_none(),
            "items left out of lists: {result}"
        );
        assert!(result.get("CreatedOn").is_some());
    }
    let page = packages_page(&app, &format!("AccountId={doe}")).await;
    assert_eq!(page["TotalPackages"], 2);
    assert_eq!(column(&page, "PackageId"), [open.clone(), janes.clone()]);
    let page = packages_page(&app, &format!("AccountId={roe}&PageSize=1&PageNumber=2")).await;
    assert_eq!(page["TotalPackages"], 2);
    assert_eq!(column(&page, "PackageId"), [alexs]);
    update_package(&app, json!({"PackageId": open, "Active": false}))
        .await
        .ok();
    let page = packages_page(&app, &format!("AccountId={doe}&Filter=Active")).await;
    assert_eq!(
        (&page["Filter"], &page["TotalPackages"]),
        (&json!("Active"), &json!(1))
    );
    assert_eq!(column(&page, "PackageId"), [janes]);
    let page = packages_page(&app, "Filter=inactive").await;
    assert_eq!(column(&page, "PackageId"), [open]);
    let resp = app.fetch("/v1.0/account/packages?Filter=none").await;
    assert_invalid(&resp, "Filter", FILTER_MESSAGE);
    app.stop().await;
}
