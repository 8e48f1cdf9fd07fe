//! `GET /sandbox/v1/network/policies?PhoneNumber=` (10 §7.3): what the network was told about
//! a number.

use mpaas_core::{Timestamp, E164};
use mpaas_network::LineState;
use mpaas_store::network;
use mpaas_store::numbers;
use serde::Serialize;
use utoipa::ToSchema;

use crate::numbers::not_in_inventory;
use crate::{Caller, ServiceResult, Services};

/// Commands shown per number.
const RECENT_COMMANDS: i64 = 50;

/// One recorded command.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkCommandView {
    /// Platform time.
    #[schema(value_type = String)]
    pub at: Timestamp,
    /// `ActivateLine`, `SuspendLine`, `RestoreLine`, `DeactivateLine`, `BindSim`, `SetCnam`.
    pub operation: String,
    /// Parameters.
    pub details: String,
}

/// The network-side state of a number and its last commands.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkPolicyView {
    /// E.164.
    pub phone_number: String,
    /// `Active`, `Suspended`, `Absent`.
    pub line_state: String,
    /// SIM bound on the network.
    pub iccid: Option<String>,
    /// Messaging enabled on the network.
    pub message_enabled: bool,
    /// Voice enabled on the network.
    pub voice_enabled: bool,
    /// Data enabled on the network.
    pub data_enabled: bool,
    /// Caller name.
    pub cnam: Option<String>,
    /// `Normal`, `Throttled`, `Blocked`.
    pub data: String,
    /// Throttle speed when `Throttled`.
    pub throttle_kbps: Option<i64>,
    /// Why data is restricted.
    pub data_reason: Option<String>,
    /// Time of the last command.
    #[schema(value_type = Option<String>)]
    pub updated_on: Option<Timestamp>,
    /// The last 50 commands, oldest first.
    pub commands: Vec<NetworkCommandView>,
}

impl Services {
    /// The network's view of `number`: a distributor sees only its live numbers, and only the
    /// commands since its row came to be (not a previous holder's); the admin sees everything.
    pub async fn network_policies(
        &self,
        caller: &Caller,
        number: &E164,
    ) -> ServiceResult<NetworkPolicyView> {
        let mut conn = self.store().reader().await?;
        let since = match caller {
            Caller::Admin => i64::MIN,
            Caller::Distributor(d) => {
                numbers::find_live_by_number(&mut conn, d.as_str(), number.as_str(), None)
                    .await?
                    .ok_or_else(|| not_in_inventory(number.as_str()))?
                    .created_on
            }
        };
        let line = network::find(&mut conn, number.as_str(), None).await?;
        let commands = network::recent_commands(&mut conn, number.as_str(), RECENT_COMMANDS)
            .await?
            .into_iter()
            .filter(|c| c.at >= since)
            .map(|c| NetworkCommandView {
                at: Timestamp::from_micros(c.at),
                operation: c.operation,
                details: c.details,
            })
            .collect();
        let mut view = NetworkPolicyView {
            phone_number: number.as_str().to_string(),
            line_state: LineState::Absent.as_str().to_string(),
            iccid: None,
            message_enabled: false,
            voice_enabled: false,
            data_enabled: false,
            cnam: None,
            data: "Normal".into(),
            throttle_kbps: None,
            data_reason: None,
            updated_on: None,
            commands,
        };
        if let Some(line) = line.filter(|l| l.updated_on >= since) {
            view.line_state = line.line_state;
            view.iccid = line.iccid;
            view.message_enabled = line.message_enabled;
            view.voice_enabled = line.voice_enabled;
            view.data_enabled = line.data_enabled;
            view.cnam = line.cnam;
            view.updated_on = Some(Timestamp::from_micros(line.updated_on));
        }
        Ok(view)
    }
}
