//! `GET /sandbox/v1/inventory/pools` (05 §1.5): the pools of the generator with exact
//! availability, filters, paging and malformed filters.

use serde_json::json;

use crate::common::{TestApp, ADMIN_TOKEN};
use crate::support::{
    assert_invalid, line, listed, ngp, pool_count, pool_number, pools, provision, single, text,
    AREA_CODE_INVALID, ZIPS_201, ZIP_CODE_INVALID,
};

#[tokio::test]
async fn lists_a_pool_and_its_availability() {
    let app = TestApp::start().await;
    let query = "AreaCode=201&ZipCode=07030";
    let page = pools(&app, query).await.ok();
    let expected = json!({"Results": [{"NGP": ngp("07030"), "AreaCode": 201, "Zipcode": "07030",
        "State": "NJ", "Size": 2500, "Available": 2500}],
        "TotalResults": 1, "PageNumber": 1, "PageSize": 100});
    assert_eq!(page, expected);

    // One number by ZIP code, one by list: both from this pool.
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({"ZipCode": "07030"})))
        .await
        .ok();
    assert_eq!(answer["PhoneNumberAssigned"], pool_number(201, 1, 0));
    let listed_number = pool_number(201, 1, 2499);
    provision(&app, listed(&line, &[&listed_number], json!({})))
        .await
        .ok();
    let page = app
        .get(&format!("/sandbox/v1/inventory/pools?{query}"), ADMIN_TOKEN)
        .await
        .ok();
    assert_eq!(
        page["Results"][0]["Available"], 2498,
        "the admin token sees it too"
    );
    let neighbour = pools(&app, "ZipCode=07024").await.ok();
    assert_eq!(neighbour["Results"][0]["Available"], 2500);
    app.stop().await;
}

#[tokio::test]
async fn filters_and_pages_in_pool_order() {
    let app = TestApp::start_with(|c| c.numbers.sandbox_numbers_per_zip = 40).await;
    let area = pools(&app, "areacode=201").await.ok();
    assert_eq!(area["TotalResults"], 5);
    let zips: Vec<String> = area["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| text(p, "Zipcode"))
        .collect();
    assert_eq!(zips, ZIPS_201);
    assert!(area["Results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["Size"] == 40 && p["Available"] == 40 && p["State"] == "NJ"));

    let all = pools(&app, "").await.ok();
    assert_eq!(all["TotalResults"], pool_count());
    assert_eq!(all["Results"].as_array().unwrap().len(), 100);
    assert_eq!(all["Results"][0]["Zipcode"], ZIPS_201[0]);
    let second = pools(&app, "PageNumber=2&PageSize=3").await.ok();
    assert_eq!(second["Results"][0], all["Results"][3]);
    assert_eq!(second["PageSize"], 3);

    let new_jersey = pools(&app, "State=nj").await.ok();
    let states = new_jersey["Results"].as_array().unwrap();
    assert!(states.iter().all(|p| p["State"] == "NJ"));
    let mut areas: Vec<i64> = states
        .iter()
        .map(|p| p["AreaCode"].as_i64().unwrap())
        .collect();
    let in_order = areas.clone();
    areas.sort_unstable();
    assert_eq!(areas, in_order, "area code order");
    let overlay = pools(&app, "ZipCode=10001").await.ok();
    let codes: Vec<i64> = overlay["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["AreaCode"].as_i64().unwrap())
        .collect();
    assert_eq!(
        codes,
        [212, 332, 646, 934],
        "one pool per area code of the ZIP"
    );
    let none = pools(&app, "AreaCode=201&State=NY").await.ok();
    assert_eq!(none["TotalResults"], 0);
    assert_eq!(none["Results"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn rejects_malformed_filters() {
    let app = TestApp::start().await;
    for (query, field, message) in [
        ("AreaCode=20", "AreaCode", AREA_CODE_INVALID),
        ("AreaCode=2011", "AreaCode", AREA_CODE_INVALID),
        ("AreaCode=abc", "AreaCode", AREA_CODE_INVALID),
        ("ZipCode=7030", "ZipCode", ZIP_CODE_INVALID),
        ("ZipCode=07O30", "ZipCode", ZIP_CODE_INVALID),
        (
            "State=New%20Jersey",
            "State",
            "State must be a two-letter code",
        ),
        ("State=N1", "State", "State must be a two-letter code"),
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
    ] {
        assert_invalid(&pools(&app, query).await, field, message);
    }
    let anonymous = app
        .request(
            reqwest::Method::GET,
            "/sandbox/v1/inventory/pools",
            None,
            None,
        )
        .await;
    assert_eq!(anonymous.status.as_u16(), 401);
    app.stop().await;
}
