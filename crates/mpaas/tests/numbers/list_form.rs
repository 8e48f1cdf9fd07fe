//! The list form of provisioning (05 §2.2): numbers reserved `Pending` at once, all or nothing,
//! activated by a job; and the asynchronous adapter of the single form, finished by a job.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_esim, availability, count_rows, inventory, inventory_numbers, jobs_on_advance,
    jobs_wait_for_advance, keys_of, line, listed, number, numbers_of, order, pool_number,
    provision, search, sim_row, single, sorted, text, IN_USE,
};

fn statuses(order: &Value) -> Vec<String> {
    order["History"]
        .as_array()
        .expect("History")
        .iter()
        .map(|h| text(h, "Status"))
        .collect()
}

#[tokio::test]
async fn reserves_the_listed_numbers_and_a_job_activates_them() {
    let app = jobs_on_advance(|_| {}).await;
    let line = line(&app, "Doe Family").await;
    let (a, b) = (pool_number(201, 2, 17), pool_number(201, 0, 3));
    let plain = b.trim_start_matches("+1").to_string();
    // A plain string and a number without `+1` are accepted; AreaCode is ignored.
    let body = single(
        &line,
        json!({"MessageType": "a2p", "MessageEnabled": true, "VoiceEnabled": false,
            "AreaCode": "bad, but ignored", "PhoneNumbers": [{"number": a}, plain]}),
    );
    let answer = provision(&app, body).await.ok();
    let keys = [
        "OrderDate",
        "OrderId",
        "OrderStatus",
        "PhoneNumbersRequested",
    ];
    assert_eq!(keys_of(&answer), sorted(&keys), "{answer}");
    assert_eq!(answer["OrderStatus"], "Submitted");
    assert_eq!(
        answer["PhoneNumbersRequested"],
        json!([{"Number": a}, {"Number": b}])
    );
    let order_id = text(&answer, "OrderId");

    let page = inventory(&app, "").await.ok();
    assert_eq!(inventory_numbers(&page), [a.clone(), b.clone()]);
    for item in page["PhoneNumbers"].as_array().unwrap() {
        assert_eq!(item["MessageType"], "a2p");
        assert_eq!(item["OrderId"], order_id.as_str());
    }
    let iccid = text(&number(&app, &a).await, "Iccid");
    if jobs_wait_for_advance() {
        for item in page["PhoneNumbers"].as_array().unwrap() {
            assert_eq!(item["Status"], "Pending", "{item}");
            assert_eq!(item["OriginalDatePurchased"], Value::Null);
        }
        assert_eq!(
            sim_row(&app, &iccid).await.1,
            "Assigned",
            "bound, not in service"
        );
        let submitted = order(&app, &order_id).await.ok();
        assert_eq!(submitted["OrderStatus"], "Submitted");
        assert_eq!(submitted["PhoneNumbersOrdered"][0]["Status"], "Submitted");
    }
    let search_a = search(json!({"ZipCode": "07301", "TotalNumbersRequested": 100}));
    let offered = numbers_of(&availability(&app, search_a).await.ok());
    assert!(!offered.contains(&a), "a reserved number is not offered");

    app.advance(0).await;
    let done = order(&app, &order_id).await.ok();
    assert_eq!(done["OrderStatus"], "Complete", "{done}");
    assert_eq!(done["OrderType"], "Provision");
    assert_eq!(done["OrderStatusMessage"], "");
    assert_eq!(statuses(&done), ["Submitted", "Processing", "Complete"]);
    let page = inventory(&app, "").await.ok();
    for (item, ordered) in page["PhoneNumbers"]
        .as_array()
        .unwrap()
        .iter()
        .zip(done["PhoneNumbersOrdered"].as_array().unwrap())
    {
        assert_eq!(item["Status"], "Active");
        assert!(item["OriginalDatePurchased"].is_string(), "{item}");
        assert_eq!(ordered["Status"], "Complete");
        assert_eq!(ordered["Number"], item["Number"]);
        assert_eq!(ordered["PhoneNumberId"], item["Tnid"]);
    }
    assert_eq!(sim_row(&app, &iccid).await.1, "Active");
    app.stop().await;
}

#[tokio::test]
async fn a_taken_number_refuses_the_whole_list() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let taken = provision(&app, single(&line, json!({"AreaCode": "201"})))
        .await
        .ok();
    let taken = text(&taken, "PhoneNumberAssigned");
    let free = pool_number(201, 4, 0);
    let rows = count_rows(&app, "phone_numbers").await;
    let total = |a: Value| a["ResultsTotal"].as_i64();
    let before = total(availability(&app, search(json!({}))).await.ok());

    for list in [[&free, &taken], [&taken, &free]] {
        let resp = provision(&app, listed(&line, &list.map(String::as_str), json!({}))).await;
        resp.assert_problem(409, IN_USE);
    }
    // Reserved by a list, a number is taken for the single form and other lists too.
    let reserved = provision(&app, listed(&line, &[&free], json!({})))
        .await
        .ok();
    assert_eq!(reserved["OrderStatus"], "Submitted");
    let again = provision(&app, listed(&line, &[&free], json!({}))).await;
    again.assert_problem(409, IN_USE);
    assert_eq!(count_rows(&app, "phone_numbers").await, rows + 1);
    let after = total(availability(&app, search(json!({}))).await.ok());
    assert_eq!(
        after,
        before.map(|t| t - 1),
        "only the successful list took a number"
    );
    let next = provision(&app, single(&line, json!({"ZipCode": "07601"})))
        .await
        .ok();
    assert_eq!(
        next["PhoneNumberAssigned"],
        pool_number(201, 4, 1),
        "skips the reserved line"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_asynchronous_adapter_answers_pending_and_the_job_completes() {
    let app = jobs_on_advance(|c| c.numbers.sandbox_async_activation = true).await;
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({"AreaCode": "201"})))
        .await
        .ok();
    assert_eq!(answer["OrderStatus"], "Pending", "{answer}");
    assert_eq!(answer["PhoneNumberAssigned"], pool_number(201, 0, 0));
    assert_esim(&app, &answer);
    let iccid = text(&answer, "ICCID");
    let order_id = text(&answer, "OrderId");
    if jobs_wait_for_advance() {
        let pending = number(&app, &pool_number(201, 0, 0)).await;
        assert_eq!(pending["Status"], "Pending");
        assert_eq!(pending["OriginalDatePurchased"], Value::Null);
        assert_eq!(sim_row(&app, &iccid).await.1, "Assigned");
        let waiting = order(&app, &order_id).await.ok();
        assert_eq!(waiting["OrderStatus"], "Pending");
        assert_eq!(waiting["PhoneNumbersOrdered"][0]["Status"], "Pending");
        assert!(app
            .events(crate::common::KEY)
            .await
            .iter()
            .all(|(t, _, _)| t != "number.provisioned"));
    }

    app.advance(0).await;
    let done = order(&app, &order_id).await.ok();
    assert_eq!(done["OrderStatus"], "Complete");
    assert_eq!(
        statuses(&done),
        ["Submitted", "Processing", "Pending", "Complete"]
    );
    let item = &done["PhoneNumbersOrdered"][0];
    assert_eq!(item["Status"], "Complete");
    assert_eq!(item["PhoneNumberId"], answer["PhoneNumberId"]);
    assert_eq!(
        number(&app, &pool_number(201, 0, 0)).await["Status"],
        "Active"
    );
    assert_eq!(sim_row(&app, &iccid).await.1, "Active");
    app.stop().await;
}
