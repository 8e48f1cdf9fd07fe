//! `mpaas sandbox advance`: moves the clock of a running server through its sandbox API.

use anyhow::Context;
use serde_json::json;

use crate::Config;

/// Parses `90s`, `15m`, `2h`, `3d` (or plain seconds) into seconds.
pub fn parse_duration(raw: &str) -> anyhow::Result<i64> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let n: i64 = number
        .parse()
        .with_context(|| format!("invalid duration '{raw}' (use 90s, 15m, 2h or 3d)"))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => anyhow::bail!("invalid duration unit in '{raw}' (use s, m, h or d)"),
    };
    n.checked_mul(factor).context("duration too large")
}

/// Calls `POST /sandbox/v1/clock/advance` and prints the answer; exit code 0 on 200.
pub async fn advance(
    config: &Config,
    url: Option<String>,
    duration: Option<String>,
    until: Option<String>,
) -> anyhow::Result<i32> {
    let body = match (duration, until) {
        (Some(d), None) => json!({"Seconds": parse_duration(&d)?}),
        (None, Some(u)) => json!({"Until": u}),
        _ => anyhow::bail!("give either DURATION or --until"),
    };
    let base = url
        .or_else(|| config.public_base_url.clone())
        .unwrap_or_else(|| format!("http://{}", config.listen));
    let token = config
        .admin_token
        .as_deref()
        .context("MPAAS_ADMIN_TOKEN is required to move the clock")?;
    let response = reqwest::Client::new()
        .post(format!(
            "{}/sandbox/v1/clock/advance",
            base.trim_end_matches('/')
        ))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("cannot reach {base}"))?;
    let status = response.status();
    println!("{}", response.text().await.unwrap_or_default());
    Ok(if status.is_success() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("90s").unwrap(), 90);
        assert_eq!(parse_duration("15m").unwrap(), 900);
        assert_eq!(parse_duration("2h").unwrap(), 7200);
        assert_eq!(parse_duration("3d").unwrap(), 259_200);
        assert_eq!(parse_duration("42").unwrap(), 42);
        assert!(parse_duration("3w").is_err());
        assert!(parse_duration("d").is_err());
    }
}
