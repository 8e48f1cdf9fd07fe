//! What the number tests share: the calls they make, the contract's texts, an independent model
//! of the sandbox inventory generator (05 §1.5), ICCID and QR checks, and raw reads of the store.

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::common::{on_postgres, Resp, TestApp};

pub const AVAILABILITY: &str = "/v1.0/numbers/availability";
pub const PROVISION: &str = "/v1.0/numbers/provision";
pub const IN_USE: &str = "Phone number already in use";
pub const NONE_AVAILABLE: &str = "No numbers available in the requested area";
pub const ICCID_IN_USE: &str = "ICCID already in use";
pub const INVALID_ACCOUNT_ID: &str = "Invalid AccountId";
pub const AREA_CODE_INVALID: &str = "Area code must be a valid 3-digit code";
pub const ZIP_CODE_INVALID: &str = "Zip code must be a valid 5-digit code";
pub const IOT_A2P: &str = "Invalid NumberType and MessageType combination. IOT numbers can only be provisioned with p2p MessageType.";
pub const IOT_VOICE: &str = "IOT numbers cannot be voice enabled.";
pub const MESSAGE_TYPE_INVALID: &str = "Invalid MessageType. Must be one of: p2p, a2p.";
/// The ZIP codes of area code 201 in the repository's table, ascending.
pub const ZIPS_201: [&str; 5] = ["07024", "07030", "07301", "07410", "07601"];
/// The generator seed of every test server (the default).
const SEED: &[u8] = b"mpaas";

/// True when jobs run only when the test advances the clock (see [`jobs_on_advance`]).
pub fn jobs_wait_for_advance() -> bool {
    on_postgres()
}

/// A server whose due jobs run only when the test advances the clock, so that the state
/// before a job can be observed: on PostgreSQL an API-only node (no background worker). SQLite
/// serves only as one process with its worker, which may run a job due now before the test
/// looks; tests check the state before the job there only as far as it is certain.
///
/// The clock starts frozen: an advance by 0 seconds computes its target when the request
/// arrives, and a running clock has moved past it by the time the advance starts.
pub async fn jobs_on_advance(adjust: impl FnOnce(&mut mpaas::Config)) -> TestApp {
    TestApp::start_with(|c| {
        c.clock_start = Some("2026-03-10T16:48:02Z".into());
        if jobs_wait_for_advance() {
            c.role = "api".into();
        }
        adjust(c);
    })
    .await
}

/// An account of the bootstrap distributor with a message route: what provisioning needs.
pub struct Line {
    pub account: String,
    pub route: String,
}

/// A new account with a message route.
pub async fn line(app: &TestApp, name: &str) -> Line {
    let account = app.new_account(name).await;
    let route = app.new_message_route(&account).await;
    Line { account, route }
}

/// `base` with the properties of `extra` set.
pub fn merged(base: Value, extra: Value) -> Value {
    let mut out = base;
    if let (Some(b), Value::Object(e)) = (out.as_object_mut(), extra) {
        b.extend(e);
    }
    out
}

/// An availability search for `mobile` numbers with `extra`.
pub fn search(extra: Value) -> Value {
    merged(json!({"NumberType": "mobile"}), extra)
}

/// A single-form provisioning body for the line with `extra`.
pub fn single(line: &Line, extra: Value) -> Value {
    let base =
        json!({"NumberType": "mvno", "MessageRouteId": line.route, "AccountId": line.account});
    merged(base, extra)
}

/// A list-form provisioning body for the line.
pub fn listed(line: &Line, numbers: &[&str], extra: Value) -> Value {
    let list: Vec<Value> = numbers.iter().map(|n| json!({ "Number": n })).collect();
    merged(single(line, json!({ "PhoneNumbers": list })), extra)
}

pub async fn availability(app: &TestApp, body: Value) -> Resp {
    app.call(AVAILABILITY, body).await
}

pub async fn provision(app: &TestApp, body: Value) -> Resp {
    app.call(PROVISION, body).await
}

pub async fn order(app: &TestApp, id: &str) -> Resp {
    app.fetch(&format!("/v1.0/numbers/order?OrderId={id}"))
        .await
}

pub async fn inventory(app: &TestApp, query: &str) -> Resp {
    app.fetch(&format!("/v1.0/numbers/inventory?{query}")).await
}

pub async fn details(app: &TestApp, query: &str) -> Resp {
    app.fetch(&format!("/v1.0/numbers?{query}")).await
}

pub async fn pools(app: &TestApp, query: &str) -> Resp {
    app.fetch(&format!("/sandbox/v1/inventory/pools?{query}"))
        .await
}

/// Details of a number by E.164.
pub async fn number(app: &TestApp, e164: &str) -> Value {
    details(app, &format!("PhoneNumber={}", e164.replace('+', "%2B")))
        .await
        .ok()
}

/// `NumbersAvailable` of an availability answer.
pub fn numbers_of(answer: &Value) -> Vec<String> {
    answer["NumbersAvailable"]
        .as_array()
        .expect("NumbersAvailable")
        .iter()
        .map(|n| n["Number"].as_str().expect("Number").to_string())
        .collect()
}

/// `Number`s of an inventory page.
pub fn inventory_numbers(page: &Value) -> Vec<String> {
    page["PhoneNumbers"]
        .as_array()
        .expect("PhoneNumbers")
        .iter()
        .map(|n| n["Number"].as_str().expect("Number").to_string())
        .collect()
}

/// A text property.
pub fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_string()
}

/// The sorted property names of an object.
pub fn keys_of(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    keys.sort_unstable();
    keys
}

/// Sorted copies of `names`.
pub fn sorted(names: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    out.sort_unstable();
    out
}

/// A 400 whose `Detail` is `message` and whose `Errors` holds it under `field`.
#[track_caller]
pub fn assert_invalid(resp: &Resp, field: &str, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error(field, message);
}

/// The exchanges of an area code in pool order: valid NXX sorted by HMAC-SHA256(seed, NPA‖NXX).
pub fn exchange_order(area_code: u16) -> Vec<u16> {
    let excluded = [555, 950, 958, 959, 976];
    let mut keyed: Vec<(Vec<u8>, u16)> = (200..=999u16)
        .filter(|nxx| nxx % 100 != 11 && !excluded.contains(nxx))
        .map(|nxx| (mac(format!("{area_code:03}{nxx:03}").as_bytes()), nxx))
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, nxx)| nxx).collect()
}

/// Line `line` of the pool of the `zip_index`-th ZIP code (ascending) of an area code.
pub fn pool_number(area_code: u16, zip_index: usize, line: u32) -> String {
    let exchange = exchange_order(area_code)[zip_index];
    format!("+1{area_code:03}{exchange:03}{line:04}")
}

/// `SAG` when the first byte of HMAC-SHA256(seed, ZIP) is even, else `AGP`.
pub fn ngp(zip_code: &str) -> &'static str {
    if mac(zip_code.as_bytes())[0].is_multiple_of(2) {
        "SAG"
    } else {
        "AGP"
    }
}

fn mac(message: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(SEED).expect("any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// Number of pools in the repository's area code table (one per ZIP of each row).
pub fn pool_count() -> i64 {
    include_str!("../../../../data/us-area-codes.csv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .nth(2)
                .unwrap_or_default()
                .split_whitespace()
                .count() as i64
        })
        .sum()
}

/// True when the last digit is the Luhn check digit of the others.
pub fn luhn_valid(digits: &str) -> bool {
    let (body, check) = digits.split_at(digits.len() - 1);
    with_luhn(body).ends_with(check)
}

/// `body` followed by its Luhn check digit.
pub fn with_luhn(body: &str) -> String {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match i % 2 {
                0 if d * 2 > 9 => d * 2 - 9,
                0 => d * 2,
                _ => d,
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Asserts the eSIM part of a provisioning answer: platform ICCID, activation code, QR URL.
#[track_caller]
pub fn assert_esim(app: &TestApp, answer: &Value) {
    let iccid = text(answer, "ICCID");
    assert_eq!(iccid.len(), 19, "{answer}");
    assert!(iccid.starts_with("8901999"), "{answer}");
    assert!(iccid.bytes().all(|b| b.is_ascii_digit()), "{answer}");
    assert!(luhn_valid(&iccid), "Luhn digit of {iccid}");
    let code = text(answer, "ActivationCode");
    let matching = code
        .strip_prefix("LPA:1$smdp.mpaas.test$")
        .unwrap_or_else(|| panic!("activation code {code}"));
    let groups: Vec<&str> = matching.split('-').collect();
    assert_eq!(groups.len(), 4, "{code}");
    for group in groups {
        assert_eq!(group.len(), 5, "{code}");
        assert!(
            group
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "{code}"
        );
    }
    let qr = text(answer, "QRCode");
    let token = qr
        .strip_prefix(&format!("{}/esim/qr/", app.base))
        .and_then(|t| t.strip_suffix(".png"))
        .unwrap_or_else(|| panic!("QR URL {qr}"));
    assert_eq!(token.len(), 43, "{qr}");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "base64url token in {qr}"
    );
}

/// The text of the one QR code in a PNG.
pub fn decode_qr(png_bytes: &[u8]) -> String {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("PNG size")];
    let frame = reader.next_frame(&mut pixels).expect("PNG frame");
    let (width, height) = (frame.width as usize, frame.height as usize);
    let channels = frame.buffer_size() / (width * height);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        pixels[(y * width + x) * channels]
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("readable QR code").1
}

/// `SELECT COUNT(*) FROM table`, straight from the database.
pub async fn count_rows(app: &TestApp, table: &str) -> i64 {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut *conn)
        .await
        .expect("count")
}

/// `(Type, Status, AccountId)` of a SIM, straight from the database.
pub async fn sim_row(app: &TestApp, iccid: &str) -> (String, String, Option<String>) {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    sqlx::query_as("SELECT sim_type, status, account_id FROM sims WHERE iccid = $1")
        .bind(iccid)
        .fetch_one(&mut *conn)
        .await
        .expect("SIM row")
}

/// Moves a number to another status behind the API's back (the status changes of 05 §2.7
/// are not part of these tests); a `Cancelled` number gets a reactivation deadline.
pub async fn set_status(app: &TestApp, number_id: &str, status: &str) {
    let mut tx = app.server().services.store().begin().await.expect("begin");
    // A released number has no SIM any more (05 §1.4).
    let sql = "UPDATE phone_numbers SET status = $1, reactivatable_until = $2, \
               iccid = CASE WHEN $1 = 'Released' THEN NULL ELSE iccid END WHERE id = $3";
    sqlx::query(sql)
        .bind(status)
        .bind((status == "Cancelled").then_some(4_102_444_800_000_000_i64))
        .bind(number_id)
        .execute(&mut *tx)
        .await
        .expect("update number");
    tx.commit().await.expect("commit");
}

/// A second distributor with one account and a message route of its own.
pub struct Foreign {
    pub key: String,
    pub secret: String,
    pub line: Line,
}

impl Foreign {
    /// A second distributor, "Other Mobile".
    pub async fn create(app: &TestApp) -> Self {
        let (key, secret) = app.new_distributor("Other Mobile").await;
        let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
        let body = json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"});
        let account = app.post("/v1.0/account/create", &token, body).await.ok();
        let account = text(&account, "AccountId");
        let body = json!({"RouteName": "Theirs", "MessageUrl": "https://hooks.example.net/sms"});
        let route = self_post(app, (&key, &secret), "/v1.0/message/routes", body)
            .await
            .ok();
        let route = text(&route, "MessageRouteId");
        Self {
            key,
            secret,
            line: Line { account, route },
        }
    }

    /// `POST path` as this distributor.
    pub async fn post(&self, app: &TestApp, path: &str, body: Value) -> Resp {
        self_post(app, (&self.key, &self.secret), path, body).await
    }

    /// `GET path_and_query` as this distributor.
    pub async fn get(&self, app: &TestApp, path_and_query: &str) -> Resp {
        let path = path_and_query.split('?').next().unwrap_or_default();
        let token = app.token_for(&self.key, &self.secret, path).await;
        app.get(path_and_query, &token).await
    }
}

async fn self_post(app: &TestApp, (key, secret): (&str, &str), path: &str, body: Value) -> Resp {
    let token = app.token_for(key, secret, path).await;
    app.post(path, &token, body).await
}
