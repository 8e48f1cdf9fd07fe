//! Reads: by id, per subscriber, per distributor, per account and per package, with `Filter`,
//! paging, wrappers and errors.

use serde_json::{json, Value};

use crate::common::{TestApp, KEY};
use crate::lines::{active_number, cancel, subscribe, text};
use crate::support::{get, ids_in, sub_id, Line, Other};

const FILTER_MESSAGE: &str = "Invalid Filter. Must be one of: All, Active, Inactive.";

/// Sorted property names of an object.
fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    keys.sort_unstable();
    keys
}

/// Two subscriptions of the line's subscriber: the first cancelled, the second active.
async fn two_subscriptions(app: &TestApp, line: &Line) -> (Value, Value) {
    let first = subscribe(app, line.request()).await.ok();
    let first = cancel(app, &sub_id(&first)).await.ok();
    let number = active_number(app, &line.account, &line.route, json!({})).await;
    let second = subscribe(app, line.with(json!({"TNID": number["PhoneNumberId"]})))
        .await
        .ok();
    (first, second)
}

#[tokio::test]
async fn reads_by_id_and_by_subscriber() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let (first, second) = two_subscriptions(&app, &line).await;
    let id = sub_id(&first);
    assert_eq!(get(&app, &format!("SubscriptionId={id}")).await.ok(), first);
    let upper = get(&app, &format!("subscriptionid={}", id.to_uppercase())).await;
    assert_eq!(upper.ok(), first, "ids and query keys in any case");
    let missing = format!("SUB-{}", uuid::Uuid::now_v7());
    for bad in [missing.as_str(), "SUB-1", line.subscriber.as_str()] {
        get(&app, &format!("SubscriptionId={bad}"))
            .await
            .assert_problem(404, &format!("Subscription with ID '{bad}' was not found."));
    }

    let alias = line.subscriber.replacen("TSUID-", "SID-", 1);
    let page = get(&app, &format!("SubscriberId={alias}")).await.ok();
    let expected = json!({"SubscriberId": line.subscriber, "TotalSubscriptions": 2, "Filter": "All",
        "PageNumber": 1, "PageSize": 100, "Results": [first, second]});
    assert_eq!(page, expected);
    let by = |q: &str| format!("SubscriberId={}&{q}", line.subscriber);
    let active = get(&app, &by("Filter=Active")).await.ok();
    assert_eq!(
        (
            active["TotalSubscriptions"].clone(),
            active["Filter"].clone()
        ),
        (json!(1), json!("Active"))
    );
    assert_eq!(ids_in(&active, "Results"), [sub_id(&second)]);
    let inactive = get(&app, &by("Filter=Inactive")).await.ok();
    assert_eq!(ids_in(&inactive, "Results"), [id.as_str()]);
    let paged = get(&app, &by("PageNumber=2&PageSize=1")).await.ok();
    assert_eq!(
        (
            paged["TotalSubscriptions"].clone(),
            paged["PageNumber"].clone(),
            paged["PageSize"].clone()
        ),
        (json!(2), json!(2), json!(1))
    );
    assert_eq!(ids_in(&paged, "Results"), [sub_id(&second)]);
    get(&app, &by("Filter=Ended"))
        .await
        .assert_problem(400, FILTER_MESSAGE);
    get(&app, &by("PageNumber=0"))
        .await
        .assert_problem(400, "PageNumber must be 1 or greater");
    get(&app, &by("PageSize=1001"))
        .await
        .assert_problem(400, "PageSize must be between 1 and 1000");

    let sam = app.new_subscriber(&line.account, "sam@example.com").await;
    let none = get(
        &app,
        &format!("SubscriberId={}", text(&sam, "SubscriberId")),
    )
    .await
    .ok();
    assert_eq!(
        (none["TotalSubscriptions"].clone(), none["Results"].clone()),
        (json!(0), json!([]))
    );
    let stranger = format!("TSUID-{}", uuid::Uuid::now_v7());
    get(&app, &format!("SubscriberId={stranger}"))
        .await
        .assert_problem(
            404,
            &format!("Subscriber with ID '{stranger}' was not found."),
        );
    for query in ["Filter=All", "SubscriptionId=&SubscriberId=%20"] {
        let resp = get(&app, query).await;
        resp.assert_problem(400, "SubscriptionId or SubscriberId is required");
    }
    app.stop().await;
}

#[tokio::test]
async fn distributor_and_account_lists() {
    let app = TestApp::start().await;
    let doe = Line::new(&app).await;
    // With one account, the account list needs no AccountId.
    let (first, second) = two_subscriptions(&app, &doe).await;
    let defaulted = app.fetch("/v1.0/account/subscriptions").await.ok();
    assert_eq!(defaulted["AccountId"], doe.account.as_str());
    assert_eq!(
        ids_in(&defaulted, "Results"),
        [sub_id(&first), sub_id(&second)]
    );

    let roe_account = app.new_account("Roe Family").await;
    let roe = Line::in_account(&app, &roe_account, "sam@example.com").await;
    let third = subscribe(&app, roe.request()).await.ok();

    let all = app.fetch("/v1.0/distributor/subscriptions").await.ok();
    let expected = json!({"DistributorId": KEY, "TotalSubscriptions": 3, "Filter": "All",
        "PageNumber": 1, "PageSize": 100, "Results": [first, second, third]});
    assert_eq!(all, expected);
    let active = app
        .fetch("/v1.0/distributor/subscriptions?filter=active&TotalPerPage=1")
        .await
        .ok();
    assert_eq!(active["TotalSubscriptions"], 2);
    assert_eq!(active["PageSize"], 1);
    assert_eq!(ids_in(&active, "Results"), [sub_id(&second)]);
    let resp = app.fetch("/v1.0/distributor/subscriptions?Filter=x").await;
    resp.assert_problem(400, FILTER_MESSAGE);

    let path = |q: &str| format!("/v1.0/account/subscriptions?{q}");
    let of_roe = app
        .fetch(&path(&format!("AccountId={roe_account}")))
        .await
        .ok();
    assert_eq!(
        keys(&of_roe),
        [
            "AccountId",
            "Filter",
            "PageNumber",
            "PageSize",
            "Results",
            "TotalSubscriptions"
        ]
    );
    assert_eq!(of_roe["AccountId"], roe_account.as_str());
    assert_eq!(of_roe["TotalSubscriptions"], 1);
    assert_eq!(of_roe["Results"], json!([third]));
    let inactive = app
        .fetch(&path(&format!("AccountId={}&Filter=Inactive", doe.account)))
        .await
        .ok();
    assert_eq!(ids_in(&inactive, "Results"), [sub_id(&first)]);
    assert_eq!(inactive["Filter"], "Inactive");

    let foreign = Other::new(&app).await;
    app.fetch(&path(""))
        .await
        .assert_problem(400, "AccountId is required");
    let stranger = format!("AID-{}", uuid::Uuid::now_v7());
    for bad in [stranger.as_str(), "AID-1", foreign.account.as_str()] {
        let resp = app.fetch(&path(&format!("AccountId={bad}"))).await;
        resp.assert_problem(400, "Invalid AccountId");
    }
    let resp = app
        .fetch(&path(&format!("AccountId={roe_account}&Filter=Open")))
        .await;
    resp.assert_problem(400, FILTER_MESSAGE);
    app.stop().await;
}

#[tokio::test]
async fn package_subscriptions_list_a_package_with_its_subscriptions() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let (first, second) = two_subscriptions(&app, &line).await;
    let package = app
        .fetch(&format!("/v1.0/packages?PackageId={}", line.package))
        .await
        .ok();
    let other_package = app.new_package("5").await;
    let number = active_number(&app, &line.account, &line.route, json!({})).await;
    let request = line.with(json!({"TNID": number["PhoneNumberId"], "PackageId": other_package}));
    subscribe(&app, request).await.ok();

    let alias = line.package.replacen("PID-", "PKID-", 1);
    let listed = app
        .fetch(&format!("/v1.0/packages/subscriptions?PackageId={alias}"))
        .await
        .ok();
    let mut expected = package.clone();
    let fields = expected.as_object_mut().expect("package object");
    assert!(fields.remove("PackageItems").is_some(), "{package}");
    fields.insert("Subscriptions".into(), json!([first, second]));
    fields.insert("TotalSubscriptions".into(), json!(2));
    fields.insert("Filter".into(), json!("All"));
    fields.insert("PageNumber".into(), json!(1));
    fields.insert("PageSize".into(), json!(100));
    assert_eq!(
        listed, expected,
        "the package without items, with its subscriptions"
    );

    let path = |q: &str| {
        format!(
            "/v1.0/packages/subscriptions?PackageId={}&{q}",
            line.package
        )
    };
    let active = app.fetch(&path("Filter=Active")).await.ok();
    assert_eq!(
        (
            active["TotalSubscriptions"].clone(),
            ids_in(&active, "Subscriptions")
        ),
        (json!(1), vec![sub_id(&second)])
    );
    let paged = app.fetch(&path("PageNumber=2&PageSize=1")).await.ok();
    assert_eq!(ids_in(&paged, "Subscriptions"), [sub_id(&second)]);
    app.fetch(&path("Filter=Some"))
        .await
        .assert_problem(400, FILTER_MESSAGE);

    let unused = app.new_package("7").await;
    let empty = app
        .fetch(&format!("/v1.0/packages/subscriptions?PackageId={unused}"))
        .await
        .ok();
    assert_eq!(
        (
            empty["TotalSubscriptions"].clone(),
            empty["Subscriptions"].clone()
        ),
        (json!(0), json!([]))
    );
    let resp = app.fetch("/v1.0/packages/subscriptions").await;
    resp.assert_problem(400, "PackageId is required");
    resp.assert_field_error("PackageId", "PackageId is required");
    let missing = format!("PID-{}", uuid::Uuid::now_v7());
    app.fetch(&format!("/v1.0/packages/subscriptions?PackageId={missing}"))
        .await
        .assert_problem(404, &format!("Package with ID '{missing}' was not found."));
    app.stop().await;
}
