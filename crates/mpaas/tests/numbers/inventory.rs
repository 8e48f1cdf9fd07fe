//! `GET /v1.0/numbers/inventory` (05 §2.4): the item shape, `Filter`, paging, the `AccountId`
//! echo rule, the Extension filters and tenant isolation.

use serde_json::{json, Value};

use crate::common::{TestApp, KEY};
use crate::support::{
    assert_invalid, inventory, inventory_numbers, keys_of, line, provision, set_status, single,
    sorted, text, Foreign, INVALID_ACCOUNT_ID,
};

const ITEM_KEYS: [&str; 18] = [
    "Number",
    "Tnid",
    "OrderId",
    "NumberType",
    "MessageEnabled",
    "MessageType",
    "Classification",
    "VoiceEnabled",
    "MessageRouteId",
    "VoiceRouteId",
    "Status",
    "OriginalDatePurchased",
    "AssignedSubscriberId",
    "Iccid",
    "Cnam",
    "DataEnabled",
    "ProductType",
    "AccountId",
];
const PAGE_KEYS: [&str; 6] = [
    "AccountId",
    "TotalResults",
    "PageNumber",
    "PageSize",
    "Filter",
    "PhoneNumbers",
];

async fn provisioned(app: &TestApp, line: &crate::support::Line, extra: Value) -> Value {
    provision(app, single(line, extra)).await.ok()
}

#[tokio::test]
async fn lists_numbers_in_creation_order_with_filters() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let voice_route = app.new_voice_route(&line.account).await;
    let body = json!({"ProductType": "Sms+Data+Voice", "VoiceRouteId": voice_route});
    let first = provisioned(&app, &line, body).await;
    let second = provisioned(&app, &line, json!({"ZipCode": "10001"})).await;
    let third = provisioned(&app, &line, json!({"ZipCode": "99501"})).await;
    let all: Vec<String> = [&first, &second, &third]
        .iter()
        .map(|a| text(a, "PhoneNumberAssigned"))
        .collect();

    let page = inventory(&app, "").await.ok();
    assert_eq!(keys_of(&page), sorted(&PAGE_KEYS), "{page}");
    assert_eq!(page["AccountId"], line.account.as_str(), "the only account");
    assert_eq!(page["TotalResults"], 3);
    assert_eq!(page["PageNumber"], 1);
    assert_eq!(page["PageSize"], 100);
    assert_eq!(page["Filter"], "All");
    assert_eq!(inventory_numbers(&page), all, "creation order");
    let item = &page["PhoneNumbers"][0];
    assert_eq!(keys_of(item), sorted(&ITEM_KEYS), "{item}");
    assert_eq!(item["Tnid"], first["PhoneNumberId"]);
    assert_eq!(item["OrderId"], first["OrderId"]);
    assert_eq!(item["NumberType"], "mobile");
    assert_eq!(item["Classification"], "MVNO");
    assert_eq!(item["VoiceRouteId"], voice_route.as_str());
    assert_eq!(item["Status"], "Active");
    assert_eq!(item["Iccid"], first["ICCID"]);
    assert_eq!(item["Cnam"], Value::Null);
    assert_eq!(item["AccountId"], line.account.as_str());

    set_status(&app, &text(&second, "PhoneNumberId"), "Parked").await;
    set_status(&app, &text(&third, "PhoneNumberId"), "Cancelled").await;
    let active = inventory(&app, "Filter=Active").await.ok();
    assert_eq!(active["Filter"], "Active");
    assert_eq!(inventory_numbers(&active), all[..1]);
    let inactive = inventory(&app, "filter=inactive").await.ok();
    assert_eq!(inactive["Filter"], "Inactive");
    assert_eq!(inactive["TotalResults"], 2);
    assert_eq!(inventory_numbers(&inactive), all[1..]);
    let every = inventory(&app, "Filter=ALL").await.ok();
    assert_eq!(inventory_numbers(&every), all);
    // Released numbers are history: never listed.
    set_status(&app, &text(&third, "PhoneNumberId"), "Released").await;
    assert_eq!(inventory(&app, "").await.ok()["TotalResults"], 2);

    let status = inventory(&app, "Status=Parked").await.ok();
    assert_eq!(inventory_numbers(&status), all[1..2]);
    let none = inventory(&app, "Filter=Active&Status=Parked").await.ok();
    assert_eq!(none["TotalResults"], 0);
    assert_eq!(none["PhoneNumbers"], json!([]));
    for filter in ["Parked", "x"] {
        let resp = inventory(&app, &format!("Filter={filter}")).await;
        assert_invalid(
            &resp,
            "Filter",
            "Invalid Filter. Must be one of: All, Active, Inactive.",
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn pages_and_echoes_the_account() {
    let app = TestApp::start().await;
    let doe = line(&app, "Doe Family").await;
    let jane = app.new_subscriber(&doe.account, "jane@example.com").await;
    let jane_id = text(&jane, "SubscriberId");
    let mut numbers = Vec::new();
    for i in 0..3 {
        let extra = if i == 1 {
            json!({"AssignedSubscriberId": jane_id})
        } else {
            json!({})
        };
        numbers.push(text(
            &provisioned(&app, &doe, extra).await,
            "PhoneNumberAssigned",
        ));
    }
    let roe = line(&app, "Roe Family").await;
    let theirs = text(
        &provisioned(&app, &roe, json!({})).await,
        "PhoneNumberAssigned",
    );

    // Several accounts: the distributor is echoed and every number is listed.
    let page = inventory(&app, "PageSize=2").await.ok();
    assert_eq!(page["AccountId"], KEY);
    assert_eq!(page["TotalResults"], 4);
    assert_eq!(page["PageSize"], 2);
    assert_eq!(inventory_numbers(&page), numbers[..2]);
    let page = inventory(&app, "PageNumber=2&TotalPerPage=2").await.ok();
    assert_eq!(page["PageNumber"], 2);
    assert_eq!(
        inventory_numbers(&page),
        [numbers[2].clone(), theirs.clone()]
    );
    let page = inventory(&app, "PageNumber=3&PageSize=2").await.ok();
    assert_eq!(page["PhoneNumbers"], json!([]));
    assert_eq!(page["TotalResults"], 4);

    // One account asked for: echoed canonical, only its numbers.
    let upper = doe.account.to_uppercase();
    let page = inventory(&app, &format!("AccountId={upper}")).await.ok();
    assert_eq!(page["AccountId"], doe.account.as_str());
    assert_eq!(inventory_numbers(&page), numbers);
    let page = inventory(&app, &format!("accountid={}", roe.account))
        .await
        .ok();
    assert_eq!(inventory_numbers(&page), [theirs]);
    let page = inventory(&app, &format!("SubscriberId={jane_id}"))
        .await
        .ok();
    assert_eq!(inventory_numbers(&page), numbers[1..2]);

    let foreign = Foreign::create(&app).await;
    for bad in [foreign.line.account.as_str(), "AID-nope"] {
        let resp = inventory(&app, &format!("AccountId={bad}")).await;
        assert_invalid(&resp, "AccountId", INVALID_ACCOUNT_ID);
    }
    for (query, field, message) in [
        (
            "PageNumber=0",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "PageSize=1001",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
        (
            "PageSize=0",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
    ] {
        assert_invalid(&inventory(&app, query).await, field, message);
    }

    // The other distributor sees only its own (empty) inventory.
    let theirs = foreign.get(&app, "/v1.0/numbers/inventory").await.ok();
    assert_eq!(theirs["AccountId"], foreign.line.account.as_str());
    assert_eq!(theirs["TotalResults"], 0);
    assert_eq!(theirs["PhoneNumbers"], json!([]));
    app.stop().await;
}
