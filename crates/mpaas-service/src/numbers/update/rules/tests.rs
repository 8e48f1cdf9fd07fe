use mpaas_core::number::{Classification, MessageType, ProductType};
use mpaas_core::E164;
use mpaas_store::numbers::NumberRow;

use super::*;
use crate::numbers::update::NumberUpdateInput;

fn number() -> NumberRow {
    NumberRow {
        id: "NID-1".into(),
        number: "+12013780002".into(),
        distributor_id: "DID-1".into(),
        account_id: "AID-1".into(),
        subscriber_id: None,
        status: "Active".into(),
        classification: "MVNO".into(),
        message_type: "p2p".into(),
        product_type: "Sms+Data".into(),
        message_enabled: true,
        data_enabled: true,
        voice_enabled: false,
        message_route_id: Some("MRID-1".into()),
        voice_route_id: None,
        iccid: None,
        cnam: None,
        order_id: "JNUOID-1".into(),
        pool_prefix: None,
        pool_line: None,
        zip_code: None,
        activated_on: None,
        cancelled_on: None,
        reactivatable_until: None,
        created_on: 0,
        updated_on: 0,
    }
}

fn input() -> NumberUpdateInput {
    NumberUpdateInput {
        number: E164::parse("+12013780002").unwrap(),
        product_type: None,
        message_enabled: None,
        data_enabled: None,
        voice_enabled: None,
        message_type: None,
        classification: None,
        message_route_id: None,
        voice_route_id: None,
        assigned_subscriber: None,
        iccid: None,
        cnam: None,
        number_type: None,
    }
}

fn messages(result: Result<Settled, ValidationErrors>) -> Vec<(String, String)> {
    result
        .unwrap_err()
        .iter()
        .map(|e| (e.path.clone(), e.message.clone()))
        .collect()
}

fn one(path: &str, message: &str) -> Vec<(String, String)> {
    vec![(path.to_string(), message.to_string())]
}

#[test]
fn nothing_sent_keeps_everything() {
    let settled = settle(&number(), &input()).unwrap();
    assert_eq!(
        settled,
        Settled {
            classification: Classification::Mvno,
            message_type: MessageType::P2p,
            product_type: ProductType::SmsData,
        }
    );
}

#[test]
fn flags_default_to_the_current_values() {
    let mut i = input();
    i.data_enabled = Some(false);
    assert_eq!(
        settle(&number(), &i).unwrap().product_type,
        ProductType::SmsOnly
    );
    i.message_enabled = Some(false);
    assert_eq!(
        messages(settle(&number(), &i)),
        one("$.MessageEnabled", UNSUPPORTED_COMBINATION)
    );
}

#[test]
fn product_type_must_agree_with_the_flags_sent() {
    let mut i = input();
    i.product_type = Some(ProductType::SmsData);
    i.voice_enabled = Some(true);
    assert_eq!(
        messages(settle(&number(), &i)),
        one(
            "$.ProductType",
            "ProductType Sms+Data requires MessageEnabled=true, DataEnabled=true, VoiceEnabled=false"
        )
    );
}

#[test]
fn enabling_voice_needs_a_route_sent_or_set() {
    let mut i = input();
    i.voice_enabled = Some(true);
    assert_eq!(
        messages(settle(&number(), &i)),
        one("$.VoiceRouteId", VOICE_ROUTE_REQUIRED)
    );
    i.voice_route_id = Some("CRID-1".into());
    assert_eq!(
        settle(&number(), &i).unwrap().product_type,
        ProductType::SmsDataVoice
    );
    let mut set = number();
    set.voice_route_id = Some("CRID-1".into());
    i.voice_route_id = None;
    assert!(settle(&set, &i).is_ok());
}

#[test]
fn enabling_messaging_needs_a_route() {
    let mut without = number();
    without.message_route_id = None;
    without.product_type = "Data-Only".into();
    without.message_enabled = false;
    let mut i = input();
    i.product_type = Some(ProductType::SmsData);
    assert_eq!(
        messages(settle(&without, &i)),
        one("$.MessageRouteId", MESSAGE_ROUTE_REQUIRED)
    );
}

#[test]
fn iot_needs_p2p_and_no_voice() {
    let mut i = input();
    i.classification = Some(Classification::Iot);
    i.message_type = Some(MessageType::A2p);
    i.voice_enabled = Some(true);
    i.voice_route_id = Some("CRID-1".into());
    assert_eq!(
        messages(settle(&number(), &i)),
        vec![
            ("$.MessageType".to_string(), IOT_MESSAGE_TYPE.to_string()),
            ("$.VoiceEnabled".to_string(), IOT_VOICE.to_string()),
        ]
    );
    let mut a2p = number();
    a2p.message_type = "a2p".into();
    let mut i = input();
    i.classification = Some(Classification::Iot);
    assert_eq!(
        messages(settle(&a2p, &i)),
        one("$.MessageType", IOT_MESSAGE_TYPE)
    );
}

#[test]
fn number_type_may_only_repeat_the_number() {
    let mut i = input();
    for same in ["mobile", "MVNO", "mvno"] {
        i.number_type = Some(same.into());
        assert!(settle(&number(), &i).is_ok(), "{same}");
    }
    i.number_type = Some("iot".into());
    assert_eq!(
        messages(settle(&number(), &i)),
        one("$.NumberType", NUMBER_TYPE_FIXED)
    );
    i.classification = Some(Classification::Iot);
    assert!(
        settle(&number(), &i).is_ok(),
        "iot with the new classification"
    );
}

#[test]
fn apply_and_changes_cover_every_field() {
    let before = number();
    let mut after = before.clone();
    let settled = Settled {
        classification: Classification::Iot,
        message_type: MessageType::P2p,
        product_type: ProductType::DataOnly,
    };
    apply(&mut after, settled, Some("ACME"));
    assert_eq!(after.cnam.as_deref(), Some("ACME"));
    let changes = serde_json::to_value(&changes(&before, &after).0).unwrap();
    assert_eq!(
        changes,
        serde_json::json!({
            "MessageEnabled": [true, false],
            "ProductType": ["Sms+Data", "Data-Only"],
            "Classification": ["MVNO", "IoT"],
            "Cnam": [null, "ACME"]
        })
    );
}
