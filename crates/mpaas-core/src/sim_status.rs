//! The SIM status machine of 05: the lifecycle driven by the numbers a SIM is bound to (§1.4)
//! and the hand-made changes of `POST /v1.0/sims/clear-status` (§2.9) and
//! `POST /v1.0/sims/update-status` (§2.10). Pure functions from the current state to the next
//! status, or the contract's error.

/// Status of a SIM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SimStatus {
    /// In stock.
    Empty,
    /// Bound, not in service (number `Pending` or `Cancelled`, or reserved by an open port-in).
    Assigned,
    /// Bound to an `Active` number.
    Active,
    /// Bound, barred (number `Parked`, or by update-status).
    Suspended,
    /// Final.
    Retired,
}

/// Message of an unknown `Status`.
pub const SIM_STATUS_MESSAGE: &str =
    "Invalid Status. Must be one of: Empty, Assigned, Active, Suspended, Retired.";

const ALL: [SimStatus; 5] = [
    SimStatus::Empty,
    SimStatus::Assigned,
    SimStatus::Active,
    SimStatus::Suspended,
    SimStatus::Retired,
];

impl SimStatus {
    /// Parses any case (`suspended`, `EMPTY` …).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        ALL.into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(raw))
    }

    /// Canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Empty => "Empty",
            Self::Assigned => "Assigned",
            Self::Active => "Active",
            Self::Suspended => "Suspended",
            Self::Retired => "Retired",
        }
    }

    /// Bound to a number (or reserved by a port-in).
    pub fn is_bound(self) -> bool {
        matches!(self, Self::Assigned | Self::Active | Self::Suspended)
    }
}

/// `pSIM` or `eSIM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimType {
    /// Physical SIM: reusable once unbound.
    Physical,
    /// eSIM profile: a used profile is never reused.
    Embedded,
}

impl SimType {
    /// Parses any case (`psim`, `ESIM` …).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "psim" => Some(Self::Physical),
            "esim" => Some(Self::Embedded),
            _ => None,
        }
    }

    /// `pSIM` / `eSIM`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Physical => "pSIM",
            Self::Embedded => "eSIM",
        }
    }
}

/// What holds a SIM, as far as its status is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// Nothing: stock.
    None,
    /// A number being provisioned.
    Pending,
    /// An `Active` number.
    Active,
    /// A `Parked` number.
    Parked,
    /// A `Cancelled` number (the SIM is kept for reactivation).
    Cancelled,
    /// An open port-in reserves it.
    OpenPortIn,
}

impl Holder {
    /// The holder of a SIM bound to a number in lifecycle status `status`.
    pub fn of_number(status: &str) -> Self {
        match status {
            "Active" => Self::Active,
            "Parked" => Self::Parked,
            "Cancelled" => Self::Cancelled,
            "Pending" => Self::Pending,
            _ => Self::None,
        }
    }

    /// The line is (or is about to be) in service: its SIM may not leave it by hand.
    fn in_service(self) -> bool {
        matches!(
            self,
            Self::Pending | Self::Active | Self::Parked | Self::OpenPortIn
        )
    }
}

/// Something that happens to a SIM through its number (§1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimEvent {
    /// Bound to a number (provision, update, swap-sim, port-in).
    Bound(Holder),
    /// The number became `Active` (activation, reactivation, port completion).
    NumberActivated,
    /// Provisioning failed, or the reserving port-in was cancelled or rejected.
    BindingAbandoned,
    /// The number was parked.
    NumberParked,
    /// The number was cancelled.
    NumberCancelled,
    /// Replaced by another SIM (swap-sim, update `Iccid`).
    Replaced,
    /// The number was released or ported out.
    NumberGone,
}

/// Why a SIM may not change as asked, with the contract's texts.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SimStatusError {
    /// 422: a retired SIM never changes.
    #[error("SIM is retired")]
    Retired,
    /// 409: the SIM serves a line that is (about to be) in service.
    #[error("SIM is bound to an active number")]
    BoundToActiveNumber,
    /// 422: no row of the table allows it.
    #[error("Invalid SIM status transition from {} to {}", .from.as_str(), .to.as_str())]
    InvalidTransition {
        /// Current status.
        from: SimStatus,
        /// Status asked for.
        to: SimStatus,
    },
}

/// Where a SIM ends after a change, and what else the change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimChange {
    /// New status (equal to the old one for a no-op).
    pub status: SimStatus,
    /// Barred by hand afterwards.
    pub barred: bool,
    /// The SIM leaves its number.
    pub unbinds: bool,
}

/// The status a SIM takes when bound to (or kept on) what `holder` is; a barred SIM stays
/// `Suspended` on an `Active` number.
pub fn status_for(holder: Holder, barred: bool) -> SimStatus {
    match holder {
        Holder::Active if barred => SimStatus::Suspended,
        Holder::Active => SimStatus::Active,
        Holder::Parked => SimStatus::Suspended,
        Holder::None => SimStatus::Empty,
        Holder::Pending | Holder::Cancelled | Holder::OpenPortIn => SimStatus::Assigned,
    }
}

/// §1.4: the status after `event`, for a SIM of `sim_type` in `from`, barred by hand or not.
pub fn on_event(
    from: SimStatus,
    event: SimEvent,
    sim_type: SimType,
    barred: bool,
) -> Result<SimStatus, SimStatusError> {
    use SimStatus::{Active, Assigned, Empty, Retired, Suspended};
    if from == Retired {
        return Err(SimStatusError::Retired);
    }
    let (allowed, to): (&[SimStatus], SimStatus) = match event {
        SimEvent::Bound(holder) => (&[Empty], status_for(holder, false)),
        SimEvent::NumberActivated => {
            let to = if barred { Suspended } else { Active };
            (&[Assigned, Suspended], to)
        }
        SimEvent::BindingAbandoned => (&[Assigned], Empty),
        SimEvent::NumberParked => (&[Active, Suspended], Suspended),
        SimEvent::NumberCancelled => (&[Active, Suspended], Assigned),
        SimEvent::Replaced => (&[Active, Suspended, Assigned], Retired),
        SimEvent::NumberGone => {
            let to = match sim_type {
                SimType::Physical => Empty,
                SimType::Embedded => Retired,
            };
            (&[Active, Suspended, Assigned], to)
        }
    };
    if allowed.contains(&from) {
        Ok(to)
    } else {
        Err(SimStatusError::InvalidTransition { from, to })
    }
}

/// §2.9 clear-status: back to stock (`Empty`), unbinding it from a `Cancelled` number; an
/// `Empty` SIM stays as it is.
pub fn clear(from: SimStatus, holder: Holder) -> Result<SimChange, SimStatusError> {
    if from == SimStatus::Retired {
        return Err(SimStatusError::Retired);
    }
    if holder.in_service() {
        return Err(SimStatusError::BoundToActiveNumber);
    }
    Ok(SimChange {
        status: SimStatus::Empty,
        barred: false,
        unbinds: holder != Holder::None,
    })
}

/// §2.10 update-status: `Active`→`Suspended` bars the SIM, `Suspended`→`Active` (number
/// `Active`) lifts the bar, `Empty`→`Retired`, `Assigned` of a `Cancelled` number → `Empty` or
/// `Retired` (unbinding it); the same status is a no-op.
pub fn update_status(
    from: SimStatus,
    to: SimStatus,
    holder: Holder,
    barred: bool,
) -> Result<SimChange, SimStatusError> {
    use SimStatus::{Active, Assigned, Empty, Retired, Suspended};
    if from == Retired {
        return Err(SimStatusError::Retired);
    }
    let keep = |status| SimChange {
        status,
        barred,
        unbinds: false,
    };
    if from == to {
        return Ok(keep(from));
    }
    if matches!(to, Empty | Retired) && holder.in_service() {
        return Err(SimStatusError::BoundToActiveNumber);
    }
    let leave = |status| SimChange {
        status,
        barred: false,
        unbinds: holder != Holder::None,
    };
    match (from, to, holder) {
        (Active, Suspended, _) => Ok(SimChange {
            status: Suspended,
            barred: true,
            unbinds: false,
        }),
        (Suspended, Active, Holder::Active) => Ok(SimChange {
            status: Active,
            barred: false,
            unbinds: false,
        }),
        (Empty, Retired, _) => Ok(leave(Retired)),
        (Assigned, Empty | Retired, Holder::Cancelled | Holder::None) => Ok(leave(to)),
        _ => Err(SimStatusError::InvalidTransition { from, to }),
    }
}

#[cfg(test)]
mod tests;
