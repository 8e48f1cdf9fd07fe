//! Tenant isolation: a distributor neither reads nor writes anything of another one, on every
//! endpoint; it may update only itself.

mod common;

use common::{Resp, TestApp, ADMIN_TOKEN, KEY};
use serde_json::{json, Value};

/// A second distributor, calling with tokens minted from its own credentials.
struct Tenant<'a> {
    app: &'a TestApp,
    key: String,
    secret: String,
}

impl<'a> Tenant<'a> {
    async fn new(app: &'a TestApp, name: &str) -> Self {
        let (key, secret) = app.new_distributor(name).await;
        Self { app, key, secret }
    }

    async fn call(&self, path: &str, body: Value) -> Resp {
        let token = self.app.token_for(&self.key, &self.secret, path).await;
        self.app.post(path, &token, body).await
    }

    async fn fetch(&self, path_and_query: &str) -> Resp {
        let path = path_and_query.split('?').next().unwrap_or_default();
        let token = self.app.token_for(&self.key, &self.secret, path).await;
        self.app.get(path_and_query, &token).await
    }
}

fn not_found(id: &str) -> String {
    format!("Subscriber with ID '{id}' was not found.")
}

#[track_caller]
fn assert_invalid_account(resp: &Resp, field: &str) {
    resp.assert_problem(400, "Invalid AccountId");
    resp.assert_field_error(field, "Invalid AccountId");
}

/// The first distributor's world: one account with one subscriber, plus a snapshot of it.
struct World {
    account: Value,
    subscriber: Value,
}

impl World {
    async fn build(app: &TestApp) -> Self {
        let body = json!({"AccountName": "Doe Family", "AccountAdmin": "jane@example.com"});
        let created = app.call("/v1.0/account/create", body).await.ok();
        let id = created["AccountId"].as_str().unwrap();
        let subscriber = app.new_subscriber(id, "jane@example.com").await;
        let account = app
            .fetch(&format!("/v1.0/account?AccountId={id}"))
            .await
            .ok();
        assert_eq!(account["TotalSubscribers"], 1);
        Self {
            account,
            subscriber,
        }
    }

    fn account_id(&self) -> &str {
        self.account["AccountId"].as_str().unwrap()
    }

    fn subscriber_id(&self) -> &str {
        self.subscriber["SubscriberId"].as_str().unwrap()
    }

    /// Asserts that nothing of the first distributor changed.
    async fn assert_untouched(&self, app: &TestApp) {
        let account = app
            .fetch(&format!("/v1.0/account?AccountId={}", self.account_id()))
            .await
            .ok();
        assert_eq!(account, self.account);
        let subscriber = app
            .fetch(&format!(
                "/v1.0/subscribers/get?SubscriberId={}",
                self.subscriber_id()
            ))
            .await
            .ok();
        assert_eq!(subscriber, self.subscriber);
    }
}

async fn own_account(tenant: &Tenant<'_>) -> String {
    let body = json!({"AccountName": "Theirs", "AccountAdmin": "them@example.com"});
    let account = tenant.call("/v1.0/account/create", body).await.ok();
    account["AccountId"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn accounts_of_another_distributor_are_invalid() {
    let app = TestApp::start().await;
    let world = World::build(&app).await;
    let other = Tenant::new(&app, "Other Mobile").await;
    let theirs = own_account(&other).await;
    let foreign = world.account_id();

    let resp = other
        .call(
            "/v1.0/account/update",
            json!({"AccountId": foreign, "AccountName": "Hijacked"}),
        )
        .await;
    assert_invalid_account(&resp, "AccountId");
    assert_invalid_account(
        &other
            .fetch(&format!("/v1.0/account?AccountId={foreign}"))
            .await,
        "AccountId",
    );
    assert_invalid_account(
        &other
            .fetch(&format!(
                "/v1.0/account?AccountId={}",
                foreign.to_lowercase()
            ))
            .await,
        "AccountId",
    );
    // Its own default is its own account, never the other one.
    let own = other.fetch("/v1.0/account").await.ok();
    assert_eq!(own["AccountId"], theirs.as_str());
    assert_eq!(own["DistributorId"], other.key.as_str());
    let listed = other.fetch("/v1.0/distributor/accounts").await.ok();
    assert_eq!(listed["DistributorId"], other.key.as_str());
    assert_eq!(listed["TotalAccounts"], 1);
    assert_eq!(listed["Results"].as_array().unwrap().len(), 1);
    assert_eq!(listed["Results"][0]["AccountId"], theirs.as_str());
    let mine = app.fetch("/v1.0/distributor/accounts").await.ok();
    assert_eq!(mine["TotalAccounts"], 1);
    assert_eq!(mine["Results"][0], world.account);
    world.assert_untouched(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn subscribers_of_another_distributor_are_not_found() {
    let app = TestApp::start().await;
    let world = World::build(&app).await;
    let other = Tenant::new(&app, "Other Mobile").await;
    let theirs = own_account(&other).await;
    let id = world.subscriber_id();
    let alias = id.replacen("TSUID-", "SID-", 1);
    let foreign = world.account_id();

    for sent in [id, alias.as_str()] {
        let resp = other
            .fetch(&format!("/v1.0/subscribers/get?SubscriberId={sent}"))
            .await;
        resp.assert_problem(404, &not_found(sent));
        let resp = other
            .call(
                "/v1.0/subscribers/update",
                json!({"SubscriberId": sent, "Name": "Hijacked"}),
            )
            .await;
        resp.assert_problem(404, &not_found(sent));
        let resp = other
            .call("/v1.0/subscribers/delete", json!({"SubscriberId": sent}))
            .await;
        resp.assert_problem(404, &not_found(sent));
        let transfer =
            json!({"SubscriberId": sent, "FromAccountId": foreign, "ToAccountId": theirs});
        other
            .call("/v1.0/subscribers/transfer", transfer)
            .await
            .assert_problem(404, &not_found(sent));
    }
    let resp = other
        .fetch("/v1.0/subscribers/get?Email=jane@example.com")
        .await;
    resp.assert_problem(
        404,
        "Subscriber with email 'jane@example.com' was not found.",
    );
    let resp = other
        .fetch(&format!(
            "/v1.0/subscribers/get?SubscriberId={id}&AccountId={theirs}"
        ))
        .await;
    resp.assert_problem(404, &not_found(id));
    let resp = other
        .fetch(&format!(
            "/v1.0/subscribers/get?SubscriberId={id}&AccountId={foreign}"
        ))
        .await;
    assert_invalid_account(&resp, "AccountId");
    assert_invalid_account(
        &other
            .fetch(&format!("/v1.0/subscribers/get?AccountId={foreign}"))
            .await,
        "AccountId",
    );
    let resp = other
        .fetch(&format!(
            "/v1.0/distributor/subscribers?AccountId={foreign}"
        ))
        .await;
    assert_invalid_account(&resp, "AccountId");
    let everyone = other.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(everyone["DistributorId"], other.key.as_str());
    assert_eq!(everyone["TotalSubscribers"], 0);
    assert_eq!(everyone["Results"], json!([]));
    let own_list = other.fetch("/v1.0/subscribers/get").await.ok();
    assert_eq!(own_list["AccountId"], theirs.as_str());
    assert_eq!(own_list["TotalSubscribers"], 0);

    // Creating in, or moving to, the other distributor's account is refused too.
    let body = json!({"Name": "Spy", "Email": "spy@example.com", "Password": "Temp-Passw0rd!", "AccountId": foreign});
    assert_invalid_account(
        &other.call("/v1.0/subscribers/create", body).await,
        "AccountId",
    );
    let body = json!({"Name": "Mole", "Email": "mole@example.com", "Password": "Temp-Passw0rd!", "AccountId": theirs});
    let mole = other.call("/v1.0/subscribers/create", body).await.ok();
    let transfer = json!({"SubscriberId": mole["SubscriberId"], "FromAccountId": theirs, "ToAccountId": foreign});
    assert_invalid_account(
        &other.call("/v1.0/subscribers/transfer", transfer).await,
        "ToAccountId",
    );
    let transfer = json!({"SubscriberId": mole["SubscriberId"], "FromAccountId": foreign, "ToAccountId": theirs});
    assert_invalid_account(
        &other.call("/v1.0/subscribers/transfer", transfer).await,
        "FromAccountId",
    );
    let update = json!({"SubscriberId": mole["SubscriberId"], "AccountId": foreign});
    assert_invalid_account(
        &other.call("/v1.0/subscribers/update", update).await,
        "AccountId",
    );
    // And the first distributor cannot see the second one's subscriber either.
    let mole_id = mole["SubscriberId"].as_str().unwrap();
    let resp = app
        .fetch(&format!("/v1.0/subscribers/get?SubscriberId={mole_id}"))
        .await;
    resp.assert_problem(404, &not_found(mole_id));
    let mine = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(mine["TotalSubscribers"], 1);
    assert_eq!(mine["Results"], json!([world.subscriber]));

    world.assert_untouched(&app).await;
    let events = app.events(KEY).await;
    let types: Vec<&str> = events.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(
        types,
        [
            "distributor.created",
            "account.created",
            "subscriber.created"
        ],
        "no event from refused calls"
    );
    let theirs_events = app.events(&other.key).await;
    assert!(
        theirs_events.iter().all(|(_, r, _)| r != id),
        "{theirs_events:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_distributor_updates_only_itself() {
    let app = TestApp::start().await;
    let other = Tenant::new(&app, "Other Mobile").await;
    let resp = other
        .call(
            "/v1.0/distributor/update",
            json!({"DistributorId": KEY, "DistributorName": "Hijacked"}),
        )
        .await;
    resp.assert_problem(404, &format!("Distributor with ID '{KEY}' was not found."));
    let lower = KEY.to_lowercase();
    let resp = other
        .call(
            "/v1.0/distributor/update",
            json!({"DistributorId": lower, "DistributorName": "Hijacked"}),
        )
        .await;
    resp.assert_problem(
        404,
        &format!("Distributor with ID '{lower}' was not found."),
    );
    let resp = other
        .call(
            "/v1.0/distributor/update",
            json!({"DistributorId": "DID-nobody", "DistributorName": "X"}),
        )
        .await;
    resp.assert_problem(404, "Distributor with ID 'DID-nobody' was not found.");
    let bootstrap = app
        .get(&format!("/admin/v1/distributors/{KEY}"), ADMIN_TOKEN)
        .await
        .ok();
    assert_eq!(bootstrap["DistributorName"], "Default Distributor");
    assert!(app
        .events(KEY)
        .await
        .iter()
        .all(|(t, _, _)| t != "distributor.updated"));

    // Without DistributorId a distributor token updates itself.
    let billing = json!({"Street1": "100 Main St", "Street2": "Suite 200", "City": "Lehi", "State": "UT", "Zip": "84043", "Country": "USA"});
    let body = json!({"DistributorName": "  Other Mobile LLC ", "BillingAddress": billing});
    let updated = other.call("/v1.0/distributor/update", body).await.ok();
    assert_eq!(updated["DistributorId"], other.key.as_str());
    assert_eq!(updated["AccountKey"], other.key.as_str());
    assert_eq!(updated["DistributorName"], "Other Mobile LLC");
    assert_eq!(updated["BillingAddress"], billing);
    assert_eq!(updated["MailingAddress"]["Street1"], Value::Null);
    assert!(updated.get("Secret").is_none(), "{updated}");
    // Its own id, in any case, is accepted.
    let body =
        json!({"DistributorId": other.key.to_uppercase(), "MailingAddress": {"City": "Orem"}});
    let again = other.call("/v1.0/distributor/update", body).await.ok();
    assert_eq!(again["DistributorName"], "Other Mobile LLC");
    assert_eq!(again["BillingAddress"], billing);
    assert_eq!(again["MailingAddress"]["City"], "Orem");

    let events: Vec<_> = app
        .events(&other.key)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == "distributor.updated")
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].1, other.key);
    assert_eq!(events[0].2, updated, "event Data is the distributor object");
    assert_eq!(events[1].2, again);
    let admin_view = app
        .get(
            &format!("/admin/v1/distributors/{}", other.key),
            ADMIN_TOKEN,
        )
        .await
        .ok();
    assert_eq!(admin_view, again);
    app.stop().await;
}
