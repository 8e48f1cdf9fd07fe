//! Delete (the in-use guard, the alias key, erased secrets, freed subdomain), deleted routes
//! (404 by id, still listed) and the account lists with their filter and paging.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_bad_request, assert_invalid, attach_number, create_message, create_voice, crid,
    delete_message, delete_voice, events_of, get_message, get_voice, keys_of, message_body,
    message_not_found, mrid, set_number_status, stored, update_message, update_voice, voice_body,
    voice_not_found, with, INVALID_FILTER, MESSAGE_KEYS, VOICE_KEYS,
};

const MESSAGE_IN_USE: &str =
    "Cannot delete message route as it is currently assigned to one or more phone numbers.";
const VOICE_IN_USE: &str =
    "Cannot delete voice route as it is currently assigned to one or more phone numbers.";

#[tokio::test]
async fn a_message_route_in_use_cannot_be_deleted() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let route = create_message(&app, message_body(&account)).await.ok();
    let id = mrid(&route);
    let number = attach_number(&app, &account, (Some(&id), None), "Active").await;
    for status in ["Active", "Pending", "Parked", "Cancelled"] {
        set_number_status(&app, &number, status).await;
        let resp = delete_message(&app, json!({"MessageRouteId": id})).await;
        assert_bad_request(&resp, MESSAGE_IN_USE);
    }
    assert_eq!(get_message(&app, &id).await.ok(), route, "still there");
    set_number_status(&app, &number, "Released").await;
    // `MRID` is accepted as the key.
    let deleted = delete_message(&app, json!({"MRID": id})).await.ok();
    assert_eq!(
        deleted,
        json!({"MessageRouteStatus": "Deleted", "MRID": id})
    );
    for column in [
        "message_password_sealed",
        "callback_password_sealed",
        "message_username",
    ] {
        assert_eq!(
            stored(&app, "message_routes", column, &id).await,
            None,
            "{column} erased"
        );
    }
    // Gone for get, update and delete.
    get_message(&app, &id)
        .await
        .assert_problem(404, &message_not_found(&id));
    update_message(&app, json!({"MessageRouteId": id, "RouteName": "x"}))
        .await
        .assert_problem(404, &message_not_found(&id));
    delete_message(&app, json!({"MessageRouteId": id}))
        .await
        .assert_problem(404, &message_not_found(&id));
    let events = events_of(&app, "message_route.deleted").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, id);
    assert_eq!(events[0].1.as_deref(), Some(account.as_str()));
    assert_eq!(events[0].2, route, "Data is the masked route");
    let resp = delete_message(&app, json!({})).await;
    assert_invalid(&resp, "MessageRouteId", "MessageRouteId is required");
    app.stop().await;
}

#[tokio::test]
async fn a_voice_route_in_use_cannot_be_deleted_and_its_subdomain_is_freed() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let body = with(
        &voice_body(&account),
        json!({"TerminationUriSubdomain": "acme"}),
    );
    let route = create_voice(&app, body.clone()).await.ok();
    let id = crid(&route);
    let number = attach_number(&app, &account, (None, Some(&id)), "Active").await;
    let resp = delete_voice(&app, json!({"CallRouteId": id})).await;
    assert_bad_request(&resp, VOICE_IN_USE);
    create_voice(&app, body.clone())
        .await
        .assert_problem(409, "TerminationUriSubdomain already in use");
    set_number_status(&app, &number, "PortedOut").await;
    let deleted = delete_voice(&app, json!({"callRouteID": id})).await.ok();
    assert_eq!(
        deleted,
        json!({"CallRouteStatus": "Deleted", "CallRouteId": id})
    );
    assert_eq!(
        stored(&app, "voice_routes", "voice_password_sealed", &id).await,
        None
    );
    // The subdomain is free again.
    let again = create_voice(&app, body).await.ok();
    assert_eq!(again["TerminationUriSubdomain"], "acme");
    get_voice(&app, &id)
        .await
        .assert_problem(404, &voice_not_found(&id));
    update_voice(&app, json!({"CallRouteId": id}))
        .await
        .assert_problem(404, &voice_not_found(&id));
    delete_voice(&app, json!({"CallRouteId": id}))
        .await
        .assert_problem(404, &voice_not_found(&id));
    let events = events_of(&app, "voice_route.deleted").await;
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].0.as_str(), &events[0].2), (id.as_str(), &route));
    let resp = delete_voice(&app, json!({"CallRouteId": null})).await;
    assert_invalid(&resp, "CallRouteId", "CallRouteId is required");
    app.stop().await;
}

fn ids(page: &Value, key: &str) -> Vec<String> {
    page["Results"]
        .as_array()
        .expect("Results")
        .iter()
        .map(|r| r[key].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn message_routes_are_listed_with_filter_and_paging() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let mut created = Vec::new();
    for name in ["One", "Two", "Three"] {
        let body = with(&message_body(&account), json!({"RouteName": name}));
        created.push(mrid(&create_message(&app, body).await.ok()));
    }
    delete_message(&app, json!({"MessageRouteId": created[1]}))
        .await
        .ok();
    let page = app
        .fetch(&format!("/v1.0/account/message/routes?AccountId={account}"))
        .await
        .ok();
    assert_eq!(
        keys_of(&page),
        [
            "AccountID",
            "PageNumber",
            "PageSize",
            "Results",
            "TotalRoutes"
        ]
    );
    assert_eq!(
        (&page["AccountID"], &page["TotalRoutes"]),
        (&json!(account), &json!(3))
    );
    assert_eq!(
        (&page["PageNumber"], &page["PageSize"]),
        (&json!(1), &json!(100))
    );
    assert_eq!(ids(&page, "MessageRouteId"), created, "creation order");
    let item = &page["Results"][0];
    let mut expected_keys: Vec<String> = MESSAGE_KEYS
        .iter()
        .map(|k| k.replace("AccountId", "AccountID"))
        .collect();
    expected_keys.push("MessageRouteStatus".into());
    expected_keys.sort_unstable();
    assert_eq!(keys_of(item), expected_keys);
    assert_eq!(item["AccountID"], account.as_str());
    assert_eq!(item["MessagePasswordToken"], "********");
    let statuses: Vec<&Value> = page["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["MessageRouteStatus"])
        .collect();
    assert_eq!(
        statuses,
        [&json!("Active"), &json!("Deleted"), &json!("Active")]
    );
    let deleted_item = &page["Results"][1];
    assert_eq!(
        deleted_item["MessagePasswordToken"],
        Value::Null,
        "secret erased"
    );
    assert_eq!(deleted_item["MessageAuthenticationType"], "None");
    // Filter, any case; the only account is the default.
    let active = app
        .fetch("/v1.0/account/message/routes?filter=active")
        .await
        .ok();
    assert_eq!(
        (
            active["TotalRoutes"].clone(),
            ids(&active, "MessageRouteId")
        ),
        (json!(2), vec![created[0].clone(), created[2].clone()])
    );
    let inactive = app
        .fetch("/v1.0/account/message/routes?Filter=INACTIVE")
        .await
        .ok();
    assert_eq!(ids(&inactive, "MessageRouteId"), [created[1].clone()]);
    let all = app
        .fetch("/v1.0/account/message/routes?Filter=All&PageSize=1&PageNumber=2")
        .await
        .ok();
    assert_eq!(
        (&all["TotalRoutes"], &all["PageSize"], &all["PageNumber"]),
        (&json!(3), &json!(1), &json!(2))
    );
    assert_eq!(ids(&all, "MessageRouteId"), [created[1].clone()]);
    let resp = app
        .fetch("/v1.0/account/message/routes?Filter=Deleted")
        .await;
    assert_invalid(&resp, "Filter", INVALID_FILTER);
    let resp = app.fetch("/v1.0/account/message/routes?PageSize=0").await;
    assert_invalid(&resp, "PageSize", "PageSize must be between 1 and 1000");
    // Another account of the caller has its own (empty) list; with two accounts one is required.
    let second = app.new_account("Second").await;
    let page = app
        .fetch(&format!("/v1.0/account/message/routes?accountid={second}"))
        .await
        .ok();
    assert_eq!(
        (&page["TotalRoutes"], &page["Results"]),
        (&json!(0), &json!([]))
    );
    let resp = app.fetch("/v1.0/account/message/routes").await;
    assert_invalid(&resp, "AccountId", "AccountId is required");
    let resp = app
        .fetch("/v1.0/account/message/routes?AccountId=AID-nope")
        .await;
    assert_invalid(&resp, "AccountId", "Invalid AccountId");
    app.stop().await;
}

#[tokio::test]
async fn voice_routes_are_listed_with_their_own_spellings() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let first = create_voice(&app, voice_body(&account)).await.ok();
    let second = crid(&create_voice(&app, voice_body(&account)).await.ok());
    delete_voice(&app, json!({"CallRouteId": second}))
        .await
        .ok();
    let page = app.fetch("/v1.0/account/voice/routes").await.ok();
    assert_eq!(
        keys_of(&page),
        [
            "AccountID",
            "PageNumber",
            "PageSize",
            "Results",
            "TotalRoutes"
        ]
    );
    assert_eq!(
        (&page["AccountID"], &page["TotalRoutes"]),
        (&json!(account), &json!(2))
    );
    let item = &page["Results"][0];
    let mut expected_keys: Vec<String> = VOICE_KEYS
        .iter()
        .map(|k| {
            k.replace("AccountId", "AccountID")
                .replace("IpWhiteList", "IpWhitelist")
        })
        .collect();
    expected_keys.push("CallRouteStatus".into());
    expected_keys.sort_unstable();
    assert_eq!(keys_of(item), expected_keys);
    assert_eq!(item["CallRouteStatus"], "Active");
    assert_eq!(item["IpWhitelist"], first["IpWhiteList"]);
    assert_eq!(item["VoicePasswordToken"], "********");
    assert_eq!(page["Results"][1]["CallRouteStatus"], "Deleted");
    assert_eq!(page["Results"][1]["VoicePasswordToken"], Value::Null);
    let active = app
        .fetch("/v1.0/account/voice/routes?Filter=Active")
        .await
        .ok();
    assert_eq!(ids(&active, "CallRouteId"), [crid(&first)]);
    let inactive = app
        .fetch("/v1.0/account/voice/routes?Filter=inactive")
        .await
        .ok();
    assert_eq!(ids(&inactive, "CallRouteId"), [second]);
    let resp = app.fetch("/v1.0/account/voice/routes?Filter=x").await;
    assert_invalid(&resp, "Filter", INVALID_FILTER);
    app.new_account("Second").await;
    let resp = app.fetch("/v1.0/account/voice/routes").await;
    assert_invalid(&resp, "AccountId", "AccountId is required");
    app.stop().await;
}
