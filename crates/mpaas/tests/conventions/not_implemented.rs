//! Endpoints not in this version: the complete 501 list, behind authentication and scope.

use reqwest::Method;
use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{assert_problem_shape, total_accounts, ACCOUNT_CREATE};

/// The complete "Not in this version" list of `01-auth-tenancy.md`.
const NOT_IMPLEMENTED: [(&str, &str); 23] = [
    ("GET", "/v1.0/account/services"),
    ("GET", "/v1.0/account/workgroups"),
    ("GET", "/v1.0/account/schedules"),
    ("POST", "/v1.0/services"),
    ("GET", "/v1.0/services"),
    ("POST", "/v1.0/services/update"),
    ("GET", "/v1.0/services/items"),
    ("POST", "/v1.0/services/items/add"),
    ("POST", "/v1.0/services/items/update"),
    ("POST", "/v1.0/subscriptions/features/add"),
    ("POST", "/v1.0/subscriptions/features/update"),
    ("POST", "/v1.0/numbers/voicemail/activate"),
    ("POST", "/v1.0/numbers/voicemail/info"),
    ("POST", "/v1.0/numbers/voicemail/update"),
    ("POST", "/v1.0/workgroups"),
    ("GET", "/v1.0/workgroups"),
    ("POST", "/v1.0/workgroups/update"),
    ("POST", "/v1.0/workgroups/activity"),
    ("POST", "/v1.0/workgroups/activity/update"),
    ("POST", "/v1.0/workgroups/activity/delete"),
    ("POST", "/v1.0/schedules"),
    ("POST", "/v1.0/numbers/cancel"),
    ("POST", "/v1.0/numbers/cancel-portin"),
];

#[tokio::test]
async fn every_endpoint_of_the_501_list_answers_not_implemented() {
    let app = TestApp::start().await;
    let events_before = app.events(KEY).await.len();
    let other_scope = app.token(ACCOUNT_CREATE).await;
    for (method, path) in NOT_IMPLEMENTED {
        let method: Method = method.parse().unwrap();
        let body = (method == Method::POST).then(|| json!({"Anything": 1}));
        let token = app.token(path).await;
        let resp = app
            .request(method.clone(), path, Some(&token), body.as_ref())
            .await;
        resp.assert_problem(501, "Not implemented in this version");
        assert_problem_shape(
            &resp,
            501,
            "https://tools.ietf.org/html/rfc7231#section-6.6.2",
            "Not Implemented",
        );
        // Case-insensitive like any route.
        let resp = app
            .request(
                method.clone(),
                &path.to_uppercase().replace("V1.0", "v1.0"),
                Some(&token),
                body.as_ref(),
            )
            .await;
        assert_eq!(
            resp.status, 501,
            "{method} {path} upper case: {}",
            resp.text
        );
        // Authentication and scope run first.
        let resp = app.request(method.clone(), path, None, body.as_ref()).await;
        resp.assert_problem(401, "Bearer token is required");
        let resp = app
            .request(method.clone(), path, Some(&other_scope), body.as_ref())
            .await;
        resp.assert_problem(
            403,
            &format!("Token scope '/v1.0/account/create' does not cover '{path}'"),
        );
        // A wrong method is 405, token or not.
        let documented: Vec<&str> = NOT_IMPLEMENTED
            .iter()
            .filter(|(_, p)| *p == path)
            .map(|(m, _)| *m)
            .collect();
        let wrong = if documented.len() == 2 {
            Method::PUT
        } else if method == Method::GET {
            Method::POST
        } else {
            Method::GET
        };
        for t in [None, Some(token.as_str())] {
            let resp = app.request(wrong.clone(), path, t, None).await;
            assert_eq!(resp.status, 405, "{wrong} {path}: {}", resp.text);
        }
    }
    assert_eq!(
        app.events(KEY).await.len(),
        events_before,
        "a 501 writes no event"
    );
    assert_eq!(total_accounts(&app).await, 0);
    app.stop().await;
}
