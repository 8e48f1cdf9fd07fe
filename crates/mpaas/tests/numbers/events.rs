//! Events of provisioning (05 §3): `order.status_changed` per order transition,
//! `number.provisioned` per activated number and `sim.status_changed` per SIM transition.

use serde_json::{json, Value};

use crate::common::{TestApp, KEY};
use crate::support::{
    jobs_on_advance, jobs_wait_for_advance, line, listed, pool_number, provision, single, text,
};

/// Data of the events of one type about one resource, oldest first.
async fn events(app: &TestApp, event_type: &str, resource: &str) -> Vec<Value> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, r, _)| t == event_type && r == resource)
        .map(|(_, _, data)| data)
        .collect()
}

fn change(order_type: &str, from: Option<&str>, to: &str) -> Value {
    json!({"OrderType": order_type, "From": from, "To": to, "Message": ""})
}

#[tokio::test]
async fn single_form_writes_order_number_and_sim_events() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({"ProductType": "Sms+Data"})))
        .await
        .ok();
    let order_id = text(&answer, "OrderId");
    let iccid = text(&answer, "ICCID");
    let e164 = text(&answer, "PhoneNumberAssigned");

    assert_eq!(
        events(&app, "order.status_changed", &order_id).await,
        [
            change("Provision", None, "Submitted"),
            change("Provision", Some("Submitted"), "Processing"),
            change("Provision", Some("Processing"), "Complete"),
        ]
    );
    let provisioned = events(&app, "number.provisioned", &text(&answer, "PhoneNumberId")).await;
    assert_eq!(
        provisioned,
        [
            json!({"Number": e164, "AccountId": line.account, "OrderId": order_id,
            "Iccid": iccid, "ProductType": "Sms+Data", "Classification": "MVNO"})
        ]
    );
    let sim = events(&app, "sim.status_changed", &iccid).await;
    assert_eq!(sim.len(), 1, "{sim:?}");
    assert_eq!(sim[0]["From"], "Empty");
    assert_eq!(sim[0]["To"], "Active");
    assert_eq!(sim[0]["PhoneNumber"], e164.as_str());
    assert!(sim[0]["Reason"].is_string());

    // An Sms-Only line has no SIM and so no SIM event.
    let sms = provision(&app, single(&line, json!({"ProductType": "Sms-Only"})))
        .await
        .ok();
    let provisioned = events(&app, "number.provisioned", &text(&sms, "PhoneNumberId")).await;
    assert_eq!(provisioned[0]["Iccid"], Value::Null);
    let sim_events = app
        .events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == "sim.status_changed")
        .count();
    assert_eq!(sim_events, 1);
    app.stop().await;
}

#[tokio::test]
async fn list_form_announces_activation_when_the_job_runs() {
    let app = jobs_on_advance(|_| {}).await;
    let line = line(&app, "Doe Family").await;
    let number = pool_number(201, 0, 0);
    let answer = provision(&app, listed(&line, &[&number], json!({})))
        .await
        .ok();
    let order_id = text(&answer, "OrderId");
    let all = app.events(KEY).await;
    if jobs_wait_for_advance() {
        assert_eq!(
            events(&app, "order.status_changed", &order_id).await,
            [change("Provision", None, "Submitted")]
        );
        assert!(all.iter().all(|(t, _, _)| t != "number.provisioned"));
    }
    let (_, iccid, reserved) = all
        .iter()
        .find(|(t, _, _)| t == "sim.status_changed")
        .expect("SIM bound at reservation")
        .clone();
    assert_eq!(
        (&reserved["From"], &reserved["To"]),
        (&json!("Empty"), &json!("Assigned"))
    );

    app.advance(0).await;
    assert_eq!(
        events(&app, "order.status_changed", &order_id).await,
        [
            change("Provision", None, "Submitted"),
            change("Provision", Some("Submitted"), "Processing"),
            change("Provision", Some("Processing"), "Complete"),
        ]
    );
    let sim = events(&app, "sim.status_changed", &iccid).await;
    assert_eq!(sim.len(), 2);
    assert_eq!(
        (&sim[1]["From"], &sim[1]["To"]),
        (&json!("Assigned"), &json!("Active"))
    );
    let provisioned: Vec<Value> = app
        .events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == "number.provisioned")
        .map(|(_, _, d)| d)
        .collect();
    assert_eq!(provisioned.len(), 1);
    assert_eq!(provisioned[0]["Number"], number.as_str());
    assert_eq!(provisioned[0]["OrderId"], order_id.as_str());
    assert_eq!(provisioned[0]["Iccid"], iccid.as_str());
    app.stop().await;
}
