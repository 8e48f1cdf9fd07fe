//! Tenant isolation: another distributor sees none of the bootstrap distributor's
//! subscriptions, subscribers, packages or numbers, and cannot touch them.

use serde_json::json;

use crate::common::TestApp;
use crate::lines::{active_number, number_by_id, subscribe, text};
use crate::support::{get, sub_id, Line, Other};

#[tokio::test]
async fn another_distributor_gets_404_for_everything_of_ours() {
    let app = TestApp::start().await;
    let ours = Line::new(&app).await;
    let created = subscribe(&app, ours.request()).await.ok();
    let id = sub_id(&created);

    let other = Other::new(&app).await;
    let route_body = json!({"RouteName": "Theirs", "MessageUrl": "https://hooks.example.com/t", "AccountId": other.account});
    let route = other
        .call(&app, "/v1.0/message/routes", route_body)
        .await
        .ok();
    let provision = json!({"NumberType": "mvno", "MessageRouteId": route["MessageRouteId"], "AccountId": other.account});
    let number = other
        .call(&app, "/v1.0/numbers/provision", provision)
        .await
        .ok();
    let subscriber_body =
        json!({"Name": "Them", "Email": "them@example.com", "Password": "Temp-Passw0rd!"});
    let theirs = other
        .call(&app, "/v1.0/subscribers/create", subscriber_body)
        .await
        .ok();
    let package_body = json!({"PackageName": "Theirs", "Type": "esim", "Price": 1});
    let package = other.call(&app, "/v1.0/packages", package_body).await.ok();
    let own = json!({"SubscriberId": theirs["SubscriberId"], "TNID": number["PhoneNumberId"], "PackageId": package["PackageId"]});

    // Our subscription id.
    other
        .fetch(&app, &format!("/v1.0/subscriptions?SubscriptionId={id}"))
        .await
        .assert_problem(404, &format!("Subscription with ID '{id}' was not found."));
    other
        .call(
            &app,
            "/v1.0/subscriptions/delete",
            json!({"SubscriptionId": id}),
        )
        .await
        .assert_problem(404, &format!("Subscription with ID '{id}' was not found."));
    // Our subscriber.
    let subscriber_missing = format!("Subscriber with ID '{}' was not found.", ours.subscriber);
    other
        .fetch(
            &app,
            &format!("/v1.0/subscriptions?SubscriberId={}", ours.subscriber),
        )
        .await
        .assert_problem(404, &subscriber_missing);
    let mut request = own.clone();
    request["SubscriberId"] = json!(ours.subscriber);
    let resp = other.call(&app, "/v1.0/subscriptions", request).await;
    resp.assert_problem(404, &subscriber_missing);
    // Our package.
    let package_missing = format!("Package with ID '{}' was not found.", ours.package);
    let mut request = own.clone();
    request["PackageId"] = json!(ours.package);
    let resp = other.call(&app, "/v1.0/subscriptions", request).await;
    resp.assert_problem(404, &package_missing);
    other
        .fetch(
            &app,
            &format!("/v1.0/packages/subscriptions?PackageId={}", ours.package),
        )
        .await
        .assert_problem(404, &package_missing);
    // Our number, by id and by E.164.
    let mut request = own.clone();
    request["TNID"] = json!(ours.tnid);
    let resp = other.call(&app, "/v1.0/subscriptions", request).await;
    resp.assert_problem(
        404,
        &format!("Phone number with ID '{}' was not found.", ours.tnid),
    );
    let mut request = own.clone();
    request["TNID"] = json!(null);
    request["PhoneNumber"] = json!(ours.phone);
    let resp = other.call(&app, "/v1.0/subscriptions", request).await;
    resp.assert_problem(
        404,
        &format!(
            "Phone number '{}' was not found in your inventory.",
            ours.phone
        ),
    );
    // Our account.
    let resp = other
        .fetch(
            &app,
            &format!("/v1.0/account/subscriptions?AccountId={}", ours.account),
        )
        .await;
    resp.assert_problem(400, "Invalid AccountId");

    // Their SIM counts as in use for us.
    let extra = json!({"ProductType": "Sms-Only"});
    let simless = active_number(&app, &ours.account, &ours.route, extra).await;
    let request = ours.with(json!({"TNID": simless["PhoneNumberId"], "ICCID": number["ICCID"]}));
    subscribe(&app, request)
        .await
        .assert_problem(409, "ICCID already in use");

    // Their own subscription works and lists stay apart.
    let mine = other.call(&app, "/v1.0/subscriptions", own).await.ok();
    let listed = other
        .fetch(&app, "/v1.0/distributor/subscriptions")
        .await
        .ok();
    assert_eq!(listed["TotalSubscriptions"], 1);
    assert_eq!(listed["Results"], json!([mine]));
    let ours_listed = app.fetch("/v1.0/distributor/subscriptions").await.ok();
    assert_eq!(ours_listed["Results"], json!([created]));
    let ours_by_id = get(&app, &format!("SubscriptionId={}", sub_id(&mine))).await;
    ours_by_id.assert_problem(
        404,
        &format!("Subscription with ID '{}' was not found.", sub_id(&mine)),
    );
    assert_eq!(
        number_by_id(&app, &ours.tnid).await["AssignedSubscriberId"],
        ours.subscriber.as_str()
    );
    assert_eq!(text(&mine, "AccountId"), other.account);
    app.stop().await;
}
