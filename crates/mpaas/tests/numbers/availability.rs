//! `POST /v1.0/numbers/availability` (05 §2.1): search order, exact totals, paging, the
//! ZIP fallback, unknown areas, every documented error, and that nothing is reserved.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, availability, count_rows, keys_of, line, ngp, numbers_of, pool_count,
    pool_number, provision, search, single, sorted, AREA_CODE_INVALID, IOT_A2P, IOT_VOICE,
    MESSAGE_TYPE_INVALID, ZIPS_201, ZIP_CODE_INVALID,
};

const KEYS: [&str; 13] = [
    "AreaCode",
    "AvailableNumberAreas",
    "MessageEnabled",
    "NumberType",
    "NumbersAvailable",
    "PageNumber",
    "PageSize",
    "RequestDate",
    "RequestId",
    "ResultsTotal",
    "SearchedBy",
    "VoiceEnabled",
    "ZipCode",
];

fn request_number(answer: &Value) -> u64 {
    let id = answer["RequestId"].as_str().expect("RequestId");
    let digits = id.strip_prefix("T-").expect("T- prefix");
    assert!(digits.len() >= 5, "{id}");
    assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{id}");
    digits.parse().expect("counter")
}

fn area(zip: &str, area_code: u16) -> Value {
    json!({"NGP": ngp(zip), "AreaCode": area_code, "Zipcode": zip})
}

#[tokio::test]
async fn searches_an_area_code_with_exact_totals_and_both_result_keys() {
    let app = TestApp::start().await;
    let request = json!({"NumberType": "mobile", "MessageType": "p2p", "MessageEnabled": true,
        "VoiceEnabled": true, "PageNumber": 1, "TotalNumbersRequested": 3, "AreaCode": "201", "ZipCode": ""});
    let first = availability(&app, request.clone()).await.ok();
    assert_eq!(keys_of(&first), sorted(&KEYS), "{first}");
    assert_eq!(first["NumberType"], "mobile");
    assert_eq!(first["MessageEnabled"], true);
    assert_eq!(first["VoiceEnabled"], true);
    assert_eq!(first["AreaCode"], "201");
    assert_eq!(first["ZipCode"], "");
    assert_eq!(first["PageNumber"], 1);
    assert_eq!(first["PageSize"], 3);
    assert_eq!(first["SearchedBy"], "AreaCode");
    assert_eq!(first["ResultsTotal"], 5 * 2500, "five ZIP pools of 2500");
    let expected: Vec<String> = (0..3).map(|l| pool_number(201, 0, l)).collect();
    assert_eq!(numbers_of(&first), expected, "first pool, lines 0000-0002");
    assert_eq!(first["AvailableNumberAreas"], json!([area("07024", 201)]));
    assert!(first["RequestDate"]
        .as_str()
        .is_some_and(|d| d.ends_with("+00:00")));

    // Taking a number lowers the exact total by one; the counter moves on.
    let line = line(&app, "Doe Family").await;
    provision(&app, single(&line, json!({"AreaCode": "201"})))
        .await
        .ok();
    let second = availability(&app, request).await.ok();
    assert!(request_number(&second) > request_number(&first));
    assert_eq!(second["ResultsTotal"], 5 * 2500 - 1);
    let expected: Vec<String> = (1..4).map(|l| pool_number(201, 0, l)).collect();
    assert_eq!(numbers_of(&second), expected);
    app.stop().await;
}

#[tokio::test]
async fn pages_default_to_twelve_and_continue_without_overlap() {
    // Pools of 7 numbers: a page of 12 spans two pools.
    let app = TestApp::start_with(|c| c.numbers.sandbox_numbers_per_zip = 7).await;
    let default = availability(&app, search(json!({"AreaCode": "201"})))
        .await
        .ok();
    assert_eq!(default["PageSize"], 12);
    assert_eq!(default["PageNumber"], 1);
    assert_eq!(default["ResultsTotal"], 35);
    let mut expected: Vec<String> = (0..7).map(|l| pool_number(201, 0, l)).collect();
    expected.extend((0..5).map(|l| pool_number(201, 1, l)));
    assert_eq!(numbers_of(&default), expected);
    assert_eq!(
        default["AvailableNumberAreas"],
        json!([area(ZIPS_201[0], 201), area(ZIPS_201[1], 201)])
    );

    let alias = availability(&app, search(json!({"AreaCode": "201", "PageSize": 5})))
        .await
        .ok();
    assert_eq!(alias["PageSize"], 5);
    assert_eq!(numbers_of(&alias), expected[..5]);
    let page_two =
        search(json!({"AreaCode": "201", "TotalNumbersRequested": "5", "PageNumber": 2}));
    let page_two = availability(&app, page_two).await.ok();
    assert_eq!(page_two["PageNumber"], 2);
    assert_eq!(numbers_of(&page_two), expected[5..10], "continues page 1");
    let last = search(json!({"AreaCode": "201", "TotalNumbersRequested": 10, "PageNumber": 4}));
    let last = availability(&app, last).await.ok();
    assert_eq!(numbers_of(&last).len(), 5, "35 numbers: 10 + 10 + 10 + 5");
    let beyond = search(json!({"AreaCode": "201", "TotalNumbersRequested": 10, "PageNumber": 5}));
    let beyond = availability(&app, beyond).await.ok();
    assert_eq!(beyond["NumbersAvailable"], json!([]));
    assert_eq!(beyond["AvailableNumberAreas"], json!([]));
    assert_eq!(beyond["ResultsTotal"], 35);
    app.stop().await;
}

#[tokio::test]
async fn searches_by_zip_code_or_any_pool() {
    let app = TestApp::start().await;
    let by_zip = search(json!({"ZipCode": "07030", "TotalNumbersRequested": 2}));
    let by_zip = availability(&app, by_zip).await.ok();
    assert_eq!(by_zip["SearchedBy"], "ZipCode");
    assert_eq!(by_zip["AreaCode"], "");
    assert_eq!(by_zip["ZipCode"], "07030");
    assert_eq!(by_zip["ResultsTotal"], 2500);
    assert_eq!(
        numbers_of(&by_zip),
        [pool_number(201, 1, 0), pool_number(201, 1, 1)]
    );
    assert_eq!(by_zip["AvailableNumberAreas"], json!([area("07030", 201)]));
    // A number as ZIP code is read as its digits.
    let numeric = availability(&app, search(json!({"ZipCode": 10001})))
        .await
        .ok();
    assert_eq!(numeric["ZipCode"], "10001");
    assert_eq!(numeric["AvailableNumberAreas"][0]["AreaCode"], 212);

    let any = search(json!({"AreaCode": "", "ZipCode": " ", "TotalNumbersRequested": 1}));
    let any = availability(&app, any).await.ok();
    assert_eq!(any["SearchedBy"], "Any");
    assert_eq!(any["ResultsTotal"], pool_count() * 2500);
    assert_eq!(
        numbers_of(&any),
        [pool_number(201, 0, 0)],
        "first pool first"
    );
    let absent = availability(&app, search(json!({}))).await.ok();
    assert_eq!(absent["SearchedBy"], "Any");
    assert_eq!(absent["PageSize"], 12);
    app.stop().await;
}

#[tokio::test]
async fn falls_back_to_the_zip_code_when_the_area_is_exhausted() {
    let app = TestApp::start_with(|c| c.numbers.sandbox_numbers_per_zip = 2).await;
    let line = line(&app, "Doe Family").await;
    let both = search(json!({"AreaCode": "202", "ZipCode": "07030"}));
    let before = availability(&app, both.clone()).await.ok();
    assert_eq!(before["SearchedBy"], "AreaCode");
    assert_eq!(before["ResultsTotal"], 2);
    assert_eq!(
        numbers_of(&before),
        [pool_number(202, 0, 0), pool_number(202, 0, 1)]
    );
    for _ in 0..2 {
        provision(&app, single(&line, json!({"AreaCode": "202"})))
            .await
            .ok();
    }
    let after = availability(&app, both).await.ok();
    assert_eq!(after["SearchedBy"], "ZipCode");
    assert_eq!(after["AreaCode"], "202", "echoed as sent");
    assert_eq!(after["ResultsTotal"], 2);
    assert_eq!(
        numbers_of(&after),
        [pool_number(201, 1, 0), pool_number(201, 1, 1)]
    );
    assert_eq!(after["AvailableNumberAreas"], json!([area("07030", 201)]));

    let exhausted = availability(&app, search(json!({"AreaCode": "202"})))
        .await
        .ok();
    assert_eq!(exhausted["SearchedBy"], "AreaCode");
    assert_eq!(exhausted["ResultsTotal"], 0);
    assert_eq!(exhausted["NumbersAvailable"], json!([]));
    assert_eq!(exhausted["AvailableNumberAreas"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn unknown_areas_have_nothing_and_nothing_is_reserved() {
    let app = TestApp::start().await;
    for body in [
        search(json!({"AreaCode": "999"})),
        search(json!({"ZipCode": "00000"})),
        search(json!({"AreaCode": "999", "ZipCode": "00000"})),
    ] {
        let answer = availability(&app, body).await.ok();
        assert_eq!(answer["ResultsTotal"], 0, "{answer}");
        assert_eq!(answer["NumbersAvailable"], json!([]));
        assert_eq!(answer["AvailableNumberAreas"], json!([]));
    }
    for _ in 0..3 {
        let again = availability(
            &app,
            search(json!({"AreaCode": "201", "TotalNumbersRequested": 1})),
        )
        .await
        .ok();
        assert_eq!(numbers_of(&again), [pool_number(201, 0, 0)], "still free");
        assert_eq!(again["ResultsTotal"], 12_500);
    }
    assert_eq!(count_rows(&app, "phone_numbers").await, 0);
    assert_eq!(count_rows(&app, "inventory_pools").await, 0);
    assert_eq!(count_rows(&app, "orders").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn reports_every_documented_error() {
    let app = TestApp::start().await;
    let number_type = "Invalid NumberType. Must be one of: mobile, mvno, iot.";
    let size = "TotalNumbersRequested must be between 1 and 100";
    let cases = [
        (json!({"NumberType": null}), "NumberType", number_type),
        (json!({"NumberType": "voip"}), "NumberType", number_type),
        (json!({"NumberType": ""}), "NumberType", number_type),
        (
            json!({"MessageType": "mms"}),
            "MessageType",
            MESSAGE_TYPE_INVALID,
        ),
        (
            json!({"NumberType": "IoT", "MessageType": "A2P"}),
            "NumberType",
            IOT_A2P,
        ),
        (
            json!({"NumberType": "iot", "VoiceEnabled": true}),
            "VoiceEnabled",
            IOT_VOICE,
        ),
        (json!({"AreaCode": "20"}), "AreaCode", AREA_CODE_INVALID),
        (json!({"AreaCode": "2011"}), "AreaCode", AREA_CODE_INVALID),
        (json!({"AreaCode": "2a1"}), "AreaCode", AREA_CODE_INVALID),
        (json!({"ZipCode": "0703"}), "ZipCode", ZIP_CODE_INVALID),
        (json!({"ZipCode": "070300"}), "ZipCode", ZIP_CODE_INVALID),
        (json!({"ZipCode": "07O30"}), "ZipCode", ZIP_CODE_INVALID),
        (
            json!({"TotalNumbersRequested": 0}),
            "TotalNumbersRequested",
            size,
        ),
        (
            json!({"TotalNumbersRequested": 101}),
            "TotalNumbersRequested",
            size,
        ),
        (
            json!({"TotalNumbersRequested": "x"}),
            "TotalNumbersRequested",
            size,
        ),
        (json!({"PageSize": 101}), "PageSize", size),
        (
            json!({"PageNumber": 0}),
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            json!({"PageNumber": -3}),
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
    ];
    for (changes, field, message) in cases {
        let resp = availability(&app, search(changes.clone())).await;
        assert_invalid(&resp, field, message);
    }
    // IoT with p2p and without voice is a valid search.
    let iot = search(json!({"NumberType": "IOT", "MessageType": "p2p", "VoiceEnabled": false}));
    let iot = availability(&app, iot).await.ok();
    assert_eq!(iot["NumberType"], "iot");
    app.stop().await;
}
