//! Which use cases send which commands, and the line state they leave.

use serde_json::json;

use crate::common::{TestApp, ADMIN_TOKEN};
use crate::support::{command, commands, line, policies, query, start, status, START, START_WIRE};

#[tokio::test]
async fn provisioning_binds_the_sim_and_activates_the_line() {
    let app = start().await;
    let (_, number, iccid) = line(&app, json!({})).await;
    let p = policies(&app, &number).await;
    let mut keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "Cnam",
            "Commands",
            "Data",
            "DataEnabled",
            "DataReason",
            "Iccid",
            "LineState",
            "MessageEnabled",
            "PhoneNumber",
            "ThrottleKbps",
            "UpdatedOn",
            "VoiceEnabled"
        ]
    );
    assert_eq!(p["PhoneNumber"], json!(number));
    assert_eq!(p["LineState"], "Active");
    assert_eq!(p["Iccid"], json!(iccid));
    assert_eq!(
        (&p["MessageEnabled"], &p["DataEnabled"], &p["VoiceEnabled"]),
        (&json!(true), &json!(true), &json!(false))
    );
    assert_eq!(p["Cnam"], json!(null));
    assert_eq!(p["Data"], "Normal");
    assert_eq!(p["ThrottleKbps"], json!(null));
    assert_eq!(p["DataReason"], json!(null));
    assert_eq!(p["UpdatedOn"], START_WIRE);
    let details = format!("iccid={iccid}");
    assert_eq!(
        commands(&p),
        [
            command("BindSim", &details),
            command("ActivateLine", &details)
        ]
    );
    assert_eq!(p["Commands"][0]["At"], START_WIRE);
    app.stop().await;
}

#[tokio::test]
async fn park_activate_cancel_and_reactivate_follow_the_line() {
    let app = start().await;
    let (_, number, iccid) = line(&app, json!({})).await;
    status(&app, "park", &number).await.ok();
    let p = policies(&app, &number).await;
    assert_eq!(p["LineState"], "Suspended");
    assert_eq!(
        commands(&p).last(),
        Some(&command("SuspendLine", "number parked"))
    );
    status(&app, "activate", &number).await.ok();
    let p = policies(&app, &number).await;
    assert_eq!(p["LineState"], "Active");
    let details = format!("iccid={iccid}");
    assert_eq!(
        commands(&p).last(),
        Some(&command("ActivateLine", &details))
    );
    status(&app, "cancel", &number).await.ok();
    let p = policies(&app, &number).await;
    assert_eq!(p["LineState"], "Absent");
    assert_eq!(p["Iccid"], json!(null));
    assert_eq!(
        commands(&p).last(),
        Some(&command("DeactivateLine", "number cancelled"))
    );
    let body = json!({"PhoneNumbers": [{ "Number": number }]});
    app.call("/v1.0/numbers/reactivate", body).await.ok();
    let p = policies(&app, &number).await;
    assert_eq!(p["LineState"], "Active");
    assert_eq!(p["Iccid"], json!(iccid));
    assert_eq!(commands(&p).len(), 6);
    app.stop().await;
}

#[tokio::test]
async fn cnam_update_and_sim_bar_are_sent() {
    let app = start().await;
    let (_, number, iccid) = line(&app, json!({})).await;
    let body = json!({"Number": number, "Cnam": "ACME MOBILE"});
    app.call("/v1.0/numbers/update", body).await.ok();
    let p = policies(&app, &number).await;
    assert_eq!(p["Cnam"], "ACME MOBILE");
    assert_eq!(
        commands(&p).last(),
        Some(&command("SetCnam", "cnam=ACME MOBILE"))
    );
    let bar = |to: &str| json!({"ICCID": iccid, "Status": to});
    app.call("/v1.0/sims/update-status", bar("Suspended"))
        .await
        .ok();
    let p = policies(&app, &number).await;
    assert_eq!(p["LineState"], "Suspended");
    assert_eq!(
        commands(&p).last(),
        Some(&command("SuspendLine", "SIM barred"))
    );
    app.call("/v1.0/sims/update-status", bar("Active"))
        .await
        .ok();
    let p = policies(&app, &number).await;
    assert_eq!(p["LineState"], "Active");
    assert_eq!(
        commands(&p).last(),
        Some(&command("RestoreLine", "SIM unbarred"))
    );
    app.stop().await;
}

#[tokio::test]
async fn swap_sim_binds_and_swap_moves_the_line() {
    let app = start().await;
    let (_, number, old_iccid) = line(&app, json!({})).await;
    let answer = status(&app, "swap-sim", &number).await.ok();
    let new_iccid = answer["Numbers"][0]["ICCID"].as_str().expect("ICCID");
    assert_ne!(new_iccid, old_iccid);
    let p = policies(&app, &number).await;
    assert_eq!(p["Iccid"], json!(new_iccid));
    assert_eq!(
        commands(&p).last(),
        Some(&command("BindSim", &format!("iccid={new_iccid}")))
    );
    let answer = status(&app, "swap", &number).await.ok();
    let new_number = answer["NumbersChange"][0]["NewNumber"]
        .as_str()
        .expect("NewNumber");
    let old = policies(&app, &number).await;
    assert_eq!(old["LineState"], "Absent");
    assert_eq!(
        commands(&old).last(),
        Some(&command("DeactivateLine", "number taken over"))
    );
    let new = policies(&app, new_number).await;
    assert_eq!(new["LineState"], "Active");
    assert_eq!(new["Iccid"], json!(new_iccid));
    assert_eq!(
        commands(&new),
        [command("ActivateLine", &format!("iccid={new_iccid}"))]
    );
    app.stop().await;
}

#[tokio::test]
async fn an_asynchronous_activation_reaches_the_network_through_the_job() {
    let app = TestApp::start_with(|c| {
        c.clock_start = Some(START.into());
        c.numbers.sandbox_async_activation = true;
    })
    .await;
    let (_, number, iccid) = line(&app, json!({})).await;
    app.advance(0).await;
    let p = policies(&app, &number).await;
    assert_eq!(p["LineState"], "Active");
    let details = format!("iccid={iccid}");
    assert_eq!(
        commands(&p),
        [
            command("BindSim", &details),
            command("ActivateLine", &details)
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn release_deactivates_the_line_once_more() {
    let app = start().await;
    let (_, number, _) = line(&app, json!({})).await;
    status(&app, "cancel", &number).await.ok();
    // 30 days of reactivation plus 60 days of aging.
    app.advance(91 * 86_400).await;
    let resp = app.fetch(&query(&number)).await;
    assert_eq!(resp.status.as_u16(), 404, "{}", resp.text);
    let p = app.get(&query(&number), ADMIN_TOKEN).await.ok();
    assert_eq!(p["LineState"], "Absent");
    assert_eq!(
        commands(&p).last(),
        Some(&command("DeactivateLine", "number released"))
    );
    app.stop().await;
}
