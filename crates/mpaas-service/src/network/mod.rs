//! Line commands to the network adapter (10 §6), issued by the number and SIM use cases
//! inside their own transaction, and the sandbox's record of them (10 §7.3).
//!
//! The adapter decides what a command does to the network-side line; this module loads that
//! line, hands it to the adapter with the command and stores the result and the command in
//! the caller's transaction, so the record never disagrees with the change that caused it.

mod policies;

use mpaas_core::sim_status::SimStatus;
use mpaas_network::{Capabilities, LineCommand, LineState, NetworkLine};
use mpaas_store::network::{self, NetworkCommandRow, NetworkLineRow};
use mpaas_store::numbers::NumberRow;
use mpaas_store::sims;
use mpaas_store::AnyConnection;

pub use policies::{NetworkCommandView, NetworkPolicyView};

use crate::{ServiceError, ServiceResult, Services};

/// The adapter's view of a stored line.
fn line_of(row: &NetworkLineRow) -> ServiceResult<NetworkLine> {
    let state = LineState::parse(&row.line_state).ok_or_else(|| {
        ServiceError::Internal(format!(
            "network line {} has state {}",
            row.number, row.line_state
        ))
    })?;
    Ok(NetworkLine {
        state,
        iccid: row.iccid.clone(),
        capabilities: Capabilities {
            message: row.message_enabled,
            voice: row.voice_enabled,
            data: row.data_enabled,
        },
        cnam: row.cnam.clone(),
    })
}

/// `ActivateLine` with everything the number row says about the line.
pub(crate) fn activation_of(number: &NumberRow) -> LineCommand {
    LineCommand::Activate {
        iccid: number.iccid.clone(),
        capabilities: Capabilities {
            message: number.message_enabled,
            voice: number.voice_enabled,
            data: number.data_enabled,
        },
        cnam: number.cnam.clone(),
    }
}

impl Services {
    /// Sends `command` about `number` (E.164) to the network and records it, with the line
    /// the network holds afterwards, at the current platform time.
    pub(crate) async fn command_line(
        &self,
        conn: &mut AnyConnection,
        number: &str,
        command: LineCommand,
    ) -> ServiceResult<()> {
        let lock = Some(self.store().backend());
        let stored = network::find(conn, number, lock).await?;
        let mut line = match &stored {
            Some(row) => line_of(row)?,
            None => NetworkLine::default(),
        };
        self.network().execute(&mut line, &command);
        let now = self.clock().now().micros();
        let seq = stored.as_ref().map_or(0, |row| row.commands) + 1;
        let row = NetworkLineRow {
            number: number.to_string(),
            line_state: line.state.as_str().to_string(),
            iccid: line.iccid,
            message_enabled: line.capabilities.message,
            voice_enabled: line.capabilities.voice,
            data_enabled: line.capabilities.data,
            cnam: line.cnam,
            commands: seq,
            updated_on: now,
        };
        network::save(conn, &row).await?;
        let record = NetworkCommandRow {
            seq,
            at: now,
            operation: command.operation().to_string(),
            details: command.details(),
        };
        network::append_command(conn, number, &record).await?;
        Ok(())
    }

    /// Puts a number's line in service as its row describes it; a line whose SIM was barred
    /// by hand (05 §2.10) is suspended again right after, as the SIM stays `Suspended`.
    pub(crate) async fn activate_line(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
    ) -> ServiceResult<()> {
        self.command_line(conn, &number.number, activation_of(number))
            .await?;
        let barred = match &number.iccid {
            Some(iccid) => sims::find(conn, iccid, None)
                .await?
                .is_some_and(|sim| sim.barred),
            None => false,
        };
        if barred {
            let suspend = LineCommand::Suspend {
                reason: "SIM barred",
            };
            self.command_line(conn, &number.number, suspend).await?;
        }
        Ok(())
    }

    /// Suspends (parked number) or restores a number's line.
    pub(crate) async fn suspend_line(
        &self,
        conn: &mut AnyConnection,
        number: &str,
        suspend: bool,
        reason: &'static str,
    ) -> ServiceResult<()> {
        let command = if suspend {
            LineCommand::Suspend { reason }
        } else {
            LineCommand::Restore { reason }
        };
        self.command_line(conn, number, command).await
    }

    /// Tells the network a new caller name, when an update changed it.
    pub(crate) async fn update_line_cnam(
        &self,
        conn: &mut AnyConnection,
        before: &NumberRow,
        after: &NumberRow,
    ) -> ServiceResult<()> {
        if before.cnam == after.cnam {
            return Ok(());
        }
        let command = LineCommand::SetCnam {
            cnam: after.cnam.clone(),
        };
        self.command_line(conn, &after.number, command).await
    }

    /// A SIM barred or unbarred by hand (05 §2.10) bars or unbars its number's line.
    pub(crate) async fn follow_sim_bar(
        &self,
        conn: &mut AnyConnection,
        number: &str,
        from: SimStatus,
        to: SimStatus,
    ) -> ServiceResult<()> {
        match (from, to) {
            (SimStatus::Active, SimStatus::Suspended) => {
                self.suspend_line(conn, number, true, "SIM barred").await
            }
            (SimStatus::Suspended, SimStatus::Active) => {
                self.suspend_line(conn, number, false, "SIM unbarred").await
            }
            _ => Ok(()),
        }
    }

    /// Takes a number's line out of the network.
    pub(crate) async fn deactivate_line(
        &self,
        conn: &mut AnyConnection,
        number: &str,
        reason: &'static str,
    ) -> ServiceResult<()> {
        self.command_line(conn, number, LineCommand::Deactivate { reason })
            .await
    }

    /// Tells the network the SIM now bound to `number`, if it has one.
    pub(crate) async fn bind_line_sim(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
    ) -> ServiceResult<()> {
        let Some(iccid) = number.iccid.clone() else {
            return Ok(());
        };
        self.command_line(conn, &number.number, LineCommand::BindSim { iccid })
            .await
    }
}
