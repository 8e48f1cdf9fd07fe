//! `PhoneNumbers` on create and update with real numbers: assignment, unassignment, every
//! refusal with its path, the active-subscription guard, and racing assignments.

use futures::future::join_all;
use serde_json::{json, Value};

use crate::common::{Resp, TestApp};
use crate::lines::{
    active_number, force_status, number_by_id, number_updates, pending_number, subscribe, text,
};
use crate::support::{
    assert_invalid, body, create, events_of, foreign_account, sid, update, NOT_IN_ACCOUNT,
};

const NOT_ACTIVE: &str = "Phone number is not active";
const OTHER_SUBSCRIBER: &str = "Phone number is assigned to another subscriber";

/// One account with a message route.
struct Family {
    account: String,
    route: String,
}

impl Family {
    async fn new(app: &TestApp, name: &str) -> Self {
        let account = app.new_account(name).await;
        let route = app.new_message_route(&account).await;
        Self { account, route }
    }

    /// A new `Active`, unassigned number: `(NID, E.164)`.
    async fn number(&self, app: &TestApp) -> (String, String) {
        let n = active_number(app, &self.account, &self.route, json!({})).await;
        (text(&n, "PhoneNumberId"), text(&n, "PhoneNumberAssigned"))
    }

    fn subscriber(&self, email: &str, numbers: Value) -> Value {
        let mut request = body(&self.account, email);
        request["PhoneNumbers"] = numbers;
        request
    }
}

/// A 409 whose `Detail` is `message`, reported at `$.<field>`.
#[track_caller]
fn assert_conflict(resp: &Resp, field: &str, message: &str) {
    resp.assert_problem(409, message);
    let path = format!("$.{field}");
    assert_eq!(
        resp.body["Errors"][&path],
        json!([message]),
        "{}",
        resp.text
    );
}

#[tokio::test]
async fn create_and_update_assign_and_unassign_numbers() {
    let app = TestApp::start().await;
    let doe = Family::new(&app, "Doe Family").await;
    let (id1, n1) = doe.number(&app).await;
    let (id2, n2) = doe.number(&app).await;
    let national = n1.trim_start_matches("+1").to_string();
    let request = doe.subscriber("jane@example.com", json!([n2, national, n2]));
    let jane = create(&app, request).await.ok();
    let jane_id = sid(&jane);
    let mut both = vec![n1.clone(), n2.clone()];
    both.sort();
    assert_eq!(
        jane["PhoneNumbers"],
        json!(both),
        "E.164, ascending, once each"
    );
    for id in [&id1, &id2] {
        assert_eq!(
            number_by_id(&app, id).await["AssignedSubscriberId"],
            jane_id.as_str()
        );
        let updates = number_updates(&app, id).await;
        assert_eq!(
            updates.len(),
            1,
            "one number.updated per number: {updates:?}"
        );
        assert_eq!(
            updates[0]["Changes"],
            json!({"AssignedSubscriberId": [null, jane_id]})
        );
    }
    assert_eq!(events_of(&app, "subscriber.created").await[0].2, jane);

    // Absent or null leaves the numbers; a list replaces them.
    let renamed = update(
        &app,
        json!({"SubscriberId": jane_id, "Name": "J", "PhoneNumbers": null}),
    )
    .await
    .ok();
    assert_eq!(renamed["PhoneNumbers"], json!(both));
    let kept = update(&app, json!({"SubscriberId": jane_id, "PhoneNumbers": [n1]}))
        .await
        .ok();
    assert_eq!(kept["PhoneNumbers"], json!([n1]));
    assert_eq!(
        number_by_id(&app, &id2).await["AssignedSubscriberId"],
        json!(null)
    );
    let updates = number_updates(&app, &id2).await;
    assert_eq!(
        updates.last().unwrap()["Changes"],
        json!({"AssignedSubscriberId": [jane_id, null]})
    );
    assert_eq!(
        number_updates(&app, &id1).await.len(),
        1,
        "a kept number is not updated"
    );

    let none = update(&app, json!({"SubscriberId": jane_id, "PhoneNumbers": []}))
        .await
        .ok();
    assert_eq!(none["PhoneNumbers"], json!([]));
    assert_eq!(
        number_by_id(&app, &id1).await["AssignedSubscriberId"],
        json!(null)
    );
    assert_eq!(
        events_of(&app, "subscriber.updated")
            .await
            .last()
            .unwrap()
            .2,
        none
    );

    // A freed number can go to someone else.
    let sam = create(&app, doe.subscriber("sam@example.com", json!([n2])))
        .await
        .ok();
    assert_eq!(sam["PhoneNumbers"], json!([n2]));
    app.stop().await;
}

#[tokio::test]
async fn numbers_of_other_accounts_and_distributors_are_refused_at_their_position() {
    let app = TestApp::start().await;
    let doe = Family::new(&app, "Doe Family").await;
    let roe = Family::new(&app, "Roe Family").await;
    let (ours, our_number) = doe.number(&app).await;
    let (_, roes) = roe.number(&app).await;
    let (key, secret, foreign) = foreign_account(&app).await;
    let path = "/v1.0/message/routes";
    let token = app.token_for(&key, &secret, path).await;
    let route = json!({"RouteName": "T", "MessageUrl": "https://hooks.example.com/t", "AccountId": foreign["AccountId"]});
    let route = app.post(path, &token, route).await.ok();
    let path = "/v1.0/numbers/provision";
    let token = app.token_for(&key, &secret, path).await;
    let request = json!({"NumberType": "mvno", "MessageRouteId": route["MessageRouteId"]});
    let theirs = text(
        &app.post(path, &token, request).await.ok(),
        "PhoneNumberAssigned",
    );

    let listed = json!([our_number, roes, theirs, "+18015551234"]);
    let resp = create(&app, doe.subscriber("jane@example.com", listed.clone())).await;
    assert_invalid(&resp, "PhoneNumbers[1]", NOT_IN_ACCOUNT);
    for i in 2..4 {
        resp.assert_field_error(&format!("PhoneNumbers[{i}]"), NOT_IN_ACCOUNT);
    }
    assert!(
        resp.body["Errors"].get("$.PhoneNumbers[0]").is_none(),
        "{}",
        resp.text
    );
    assert_eq!(
        number_by_id(&app, &ours).await["AssignedSubscriberId"],
        json!(null)
    );
    let listed_all = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(listed_all["TotalSubscribers"], 0, "nothing created");

    let jane = app.new_subscriber(&doe.account, "jane@example.com").await;
    let resp = update(
        &app,
        json!({"SubscriberId": sid(&jane), "PhoneNumbers": [our_number, roes]}),
    )
    .await;
    assert_invalid(&resp, "PhoneNumbers[1]", NOT_IN_ACCOUNT);
    assert_eq!(
        number_by_id(&app, &ours).await["AssignedSubscriberId"],
        json!(null)
    );
    app.stop().await;
}

#[tokio::test]
async fn numbers_must_be_active_or_parked_and_free() {
    let app = TestApp::start().await;
    let doe = Family::new(&app, "Doe Family").await;
    let pending = pending_number(&app, &doe.account, &doe.route).await;
    let (cancelled_id, cancelled) = doe.number(&app).await;
    force_status(&app, &cancelled_id, "Cancelled").await;
    let (_, free) = doe.number(&app).await;
    let pending_phone = text(&pending, "Number");

    let resp = create(
        &app,
        doe.subscriber("jane@example.com", json!([free, pending_phone])),
    )
    .await;
    assert_conflict(&resp, "PhoneNumbers[1]", NOT_ACTIVE);
    let resp = create(&app, doe.subscriber("jane@example.com", json!([cancelled]))).await;
    assert_conflict(&resp, "PhoneNumbers[0]", NOT_ACTIVE);
    // 400s come before 409s.
    let resp = create(
        &app,
        doe.subscriber("jane@example.com", json!([pending_phone, "+18015551234"])),
    )
    .await;
    assert_invalid(&resp, "PhoneNumbers[1]", NOT_IN_ACCOUNT);

    let jane = create(&app, doe.subscriber("jane@example.com", json!([free])))
        .await
        .ok();
    let resp = create(&app, doe.subscriber("sam@example.com", json!([free]))).await;
    assert_conflict(&resp, "PhoneNumbers[0]", OTHER_SUBSCRIBER);
    let sam = app.new_subscriber(&doe.account, "sam@example.com").await;
    let resp = update(
        &app,
        json!({"SubscriberId": sid(&sam), "PhoneNumbers": [free]}),
    )
    .await;
    assert_conflict(&resp, "PhoneNumbers[0]", OTHER_SUBSCRIBER);
    let resp = update(
        &app,
        json!({"SubscriberId": sid(&sam), "PhoneNumbers": [pending_phone]}),
    )
    .await;
    assert_conflict(&resp, "PhoneNumbers[0]", NOT_ACTIVE);
    assert_eq!(
        app.fetch(&format!("/v1.0/subscribers/get?SubscriberId={}", sid(&sam)))
            .await
            .ok()["PhoneNumbers"],
        json!([]),
        "refused updates change nothing"
    );

    // A parked number can be assigned.
    let (parked_id, parked) = doe.number(&app).await;
    force_status(&app, &parked_id, "Parked").await;
    let held = update(
        &app,
        json!({"SubscriberId": sid(&sam), "PhoneNumbers": [parked]}),
    )
    .await
    .ok();
    assert_eq!(held["PhoneNumbers"], json!([parked]));
    assert_eq!(jane["PhoneNumbers"], json!([free]));
    app.stop().await;
}

#[tokio::test]
async fn a_number_with_an_active_subscription_cannot_be_unassigned() {
    let app = TestApp::start().await;
    let doe = Family::new(&app, "Doe Family").await;
    let (id, number) = doe.number(&app).await;
    let (_, other) = doe.number(&app).await;
    let jane = create(&app, doe.subscriber("jane@example.com", json!([number])))
        .await
        .ok();
    let package = app.new_package("10").await;
    let request = json!({"SubscriberId": sid(&jane), "TNID": id, "PackageId": package});
    let subscription = subscribe(&app, request).await.ok();

    for listed in [json!([]), json!([other])] {
        let resp = update(
            &app,
            json!({"SubscriberId": sid(&jane), "PhoneNumbers": listed}),
        )
        .await;
        assert_conflict(&resp, "PhoneNumbers", "Number has an active subscription");
    }
    assert_eq!(
        number_by_id(&app, &id).await["AssignedSubscriberId"],
        sid(&jane).as_str()
    );
    let both = update(
        &app,
        json!({"SubscriberId": sid(&jane), "PhoneNumbers": [number, other]}),
    )
    .await
    .ok();
    assert_eq!(both["Subscriptions"].as_array().map(Vec::len), Some(1));

    let body = json!({"SubscriptionId": subscription["SubscriptionId"]});
    app.call("/v1.0/subscriptions/delete", body).await.ok();
    let none = update(
        &app,
        json!({"SubscriberId": sid(&jane), "PhoneNumbers": []}),
    )
    .await
    .ok();
    assert_eq!(
        (none["PhoneNumbers"].clone(), none["Subscriptions"].clone()),
        (json!([]), json!([]))
    );
    app.stop().await;
}

#[tokio::test]
async fn racing_assignments_of_one_number_end_with_one_holder() {
    let app = TestApp::start().await;
    let doe = Family::new(&app, "Doe Family").await;
    let (id, number) = doe.number(&app).await;
    let token = app.token("/v1.0/subscribers/create").await;
    let requests: Vec<Value> = (0..8)
        .map(|i| doe.subscriber(&format!("racer{i}@example.com"), json!([number])))
        .collect();
    let calls = requests
        .iter()
        .map(|r| app.post("/v1.0/subscribers/create", &token, r.clone()));
    let answers = join_all(calls).await;
    let (won, lost): (Vec<&Resp>, Vec<&Resp>) =
        answers.iter().partition(|r| r.status.as_u16() == 200);
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        answers.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    for resp in lost {
        assert_conflict(resp, "PhoneNumbers[0]", OTHER_SUBSCRIBER);
    }
    let holder = sid(&won[0].body);
    assert_eq!(
        number_by_id(&app, &id).await["AssignedSubscriberId"],
        holder.as_str()
    );
    let listed = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(
        listed["TotalSubscribers"], 1,
        "losers left no subscriber behind"
    );
    assert_eq!(number_updates(&app, &id).await.len(), 1);
    app.stop().await;
}

/// Two subscribers asking for the same numbers in opposite orders: one gets them, the other a
/// 409, never a failure of the storage layer.
#[tokio::test]
async fn opposite_orders_of_the_same_numbers_end_with_one_holder() {
    let app = TestApp::start().await;
    let doe = Family::new(&app, "Doe Family").await;
    let jane = sid(&app.new_subscriber(&doe.account, "jane@example.com").await);
    let sam = sid(&app.new_subscriber(&doe.account, "sam@example.com").await);
    let token = app.token("/v1.0/subscribers/update").await;
    for round in 0..10 {
        let (_, a) = doe.number(&app).await;
        let (_, b) = doe.number(&app).await;
        let first = json!({"SubscriberId": jane, "PhoneNumbers": [a, b]});
        let second = json!({"SubscriberId": sam, "PhoneNumbers": [b, a]});
        let (x, y) = tokio::join!(
            app.post("/v1.0/subscribers/update", &token, first),
            app.post("/v1.0/subscribers/update", &token, second),
        );
        let mut statuses = [x.status.as_u16(), y.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 409],
            "round {round}: {} / {}",
            x.text,
            y.text
        );
        let loser = if x.status.as_u16() == 409 { &x } else { &y };
        loser.assert_problem(409, OTHER_SUBSCRIBER);
        // The winner's numbers go back to the pool for the next round.
        for id in [&jane, &sam] {
            update(&app, json!({"SubscriberId": id, "PhoneNumbers": []}))
                .await
                .ok();
        }
    }
    app.stop().await;
}
