//! Line commands to the network adapter (10 §6), issued by the number and SIM use cases
//! inside their own transaction, and the sandbox's record of them (10 §7.3).
//!
//! The adapter decides what a command does to the network-side line; this module loads that
//! line, hands it to the adapter with the command and stores the result and the command in
//! the caller's transaction, so the record never disagrees with the change that caused it.

mod policies;
mod services;

use std::collections::{BTreeMap, HashSet};

use mpaas_core::sim_status::SimStatus;
use mpaas_network::{Capabilities, LineCommand, LineState, NetworkLine};
use mpaas_store::network::{self, NetworkCommandRow, NetworkLineRow};
use mpaas_store::numbers::NumberRow;
use mpaas_store::sims;
use mpaas_store::AnyConnection;

pub use policies::{NetworkCommandView, NetworkPolicyView};
pub use services::{NetworkServiceView, NetworkServicesView};

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

/// The stored form of a line after its `commands`-th command at `now`.
fn line_row(number: String, line: NetworkLine, commands: i64, now: i64) -> NetworkLineRow {
    NetworkLineRow {
        number,
        line_state: line.state.as_str().to_string(),
        iccid: line.iccid,
        message_enabled: line.capabilities.message,
        voice_enabled: line.capabilities.voice,
        data_enabled: line.capabilities.data,
        cnam: line.cnam,
        commands,
        updated_on: now,
    }
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
        self.command_lines(conn, vec![(number.to_string(), command)])
            .await
    }

    /// Sends commands to the network in the order given (several may concern one number) and
    /// records them with the lines they leave behind: one read, one write of the lines and one
    /// of the commands, however many there are.
    pub(crate) async fn command_lines(
        &self,
        conn: &mut AnyConnection,
        commands: Vec<(String, LineCommand)>,
    ) -> ServiceResult<()> {
        if commands.is_empty() {
            return Ok(());
        }
        let numbers: Vec<&str> = commands.iter().map(|(n, _)| n.as_str()).collect();
        let lock = Some(self.store().backend());
        let mut lines: BTreeMap<String, (NetworkLine, i64)> = BTreeMap::new();
        for row in network::find_many(conn, &numbers, lock).await? {
            let line = line_of(&row)?;
            lines.insert(row.number, (line, row.commands));
        }
        let now = self.clock().now().micros();
        let mut records = Vec::with_capacity(commands.len());
        for (number, command) in &commands {
            let (line, seq) = lines.entry(number.clone()).or_default();
            self.network().execute(line, command);
            *seq += 1;
            let record = NetworkCommandRow {
                seq: *seq,
                at: now,
                operation: command.operation().to_string(),
                details: command.details(),
            };
            records.push((number.as_str(), record));
        }
        let rows: Vec<NetworkLineRow> = lines
            .into_iter()
            .map(|(number, (line, commands))| line_row(number, line, commands, now))
            .collect();
        network::save_many(conn, &rows).await?;
        network::append_commands(conn, &records).await?;
        Ok(())
    }

    /// Puts a number's line in service as its row describes it; a line whose SIM was barred
    /// by hand (05 §2.10) is suspended again right after, as the SIM stays `Suspended`.
    pub(crate) async fn activate_line(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
    ) -> ServiceResult<()> {
        self.activate_lines(conn, std::slice::from_ref(number))
            .await
    }

    /// [`Services::activate_line`] for many numbers at once.
    pub(crate) async fn activate_lines(
        &self,
        conn: &mut AnyConnection,
        numbers: &[NumberRow],
    ) -> ServiceResult<()> {
        let iccids: Vec<&str> = numbers.iter().filter_map(|n| n.iccid.as_deref()).collect();
        let barred: HashSet<String> = sims::find_many(conn, &iccids, None)
            .await?
            .into_iter()
            .filter(|sim| sim.barred)
            .map(|sim| sim.iccid)
            .collect();
        let mut commands = Vec::with_capacity(numbers.len());
        for number in numbers {
            commands.push((number.number.clone(), activation_of(number)));
            if number.iccid.as_ref().is_some_and(|i| barred.contains(i)) {
                let suspend = LineCommand::Suspend {
                    reason: "SIM barred",
                };
                commands.push((number.number.clone(), suspend));
            }
        }
        self.command_lines(conn, commands).await
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
        self.bind_line_sims(conn, std::slice::from_ref(number))
            .await
    }

    /// [`Services::bind_line_sim`] for many numbers at once.
    pub(crate) async fn bind_line_sims(
        &self,
        conn: &mut AnyConnection,
        numbers: &[NumberRow],
    ) -> ServiceResult<()> {
        let commands = numbers
            .iter()
            .filter_map(|n| {
                let iccid = n.iccid.clone()?;
                Some((n.number.clone(), LineCommand::BindSim { iccid }))
            })
            .collect();
        self.command_lines(conn, commands).await
    }
}
