//! The number lifecycle of 05 §1.3 and the status changes of 05 §2.7/§2.8 as pure functions:
//! a status and an event give the next status, or the contract's reason for refusing.

use crate::Timestamp;

/// Days a cancelled number can be reactivated.
pub const REACTIVATION_WINDOW_DAYS: i64 = 30;

const DAY_SECONDS: i64 = 86_400;

/// Status of a number row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberStatus {
    /// Reserved; the network has not confirmed the activation yet.
    Pending,
    /// In service.
    Active,
    /// Suspended by the MVNO.
    Parked,
    /// Out of service, reactivatable for a while.
    Cancelled,
    /// Back in the inventory (terminal, invisible).
    Released,
    /// Gone to another carrier (terminal, invisible).
    PortedOut,
}

impl NumberStatus {
    /// Parses the stored spelling.
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "Pending" => Self::Pending,
            "Active" => Self::Active,
            "Parked" => Self::Parked,
            "Cancelled" => Self::Cancelled,
            "Released" => Self::Released,
            "PortedOut" => Self::PortedOut,
            _ => return None,
        })
    }

    /// Wire and stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Active => "Active",
            Self::Parked => "Parked",
            Self::Cancelled => "Cancelled",
            Self::Released => "Released",
            Self::PortedOut => "PortedOut",
        }
    }

    /// Live rows are visible to the API and hold their MSISDN.
    pub fn is_live(self) -> bool {
        !matches!(self, Self::Released | Self::PortedOut)
    }
}

/// A lifecycle action of `POST /v1.0/numbers/status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusAction {
    /// `Parked` → `Active`.
    Activate,
    /// `Active`/`Parked` → `Cancelled`.
    Cancel,
    /// `Active` → `Parked`.
    Park,
    /// A new number of the same area code takes over.
    Swap,
    /// A new SIM replaces the current one.
    SwapSim,
    /// A new number from a search takes over.
    Replace,
}

/// Message of an unknown `StatusChange`.
pub const INVALID_STATUS_CHANGE: &str =
    "Invalid status change type. Must be one of: activate, cancel, park, swap, swap-sim, replace.";

impl StatusAction {
    /// Every action, in the contract's order.
    pub const ALL: [Self; 6] = [
        Self::Activate,
        Self::Cancel,
        Self::Park,
        Self::Swap,
        Self::SwapSim,
        Self::Replace,
    ];

    /// Parses any case.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(raw))
    }

    /// Wire spelling (also the `ChangeType` and the fee key).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activate => "activate",
            Self::Cancel => "cancel",
            Self::Park => "park",
            Self::Swap => "swap",
            Self::SwapSim => "swap-sim",
            Self::Replace => "replace",
        }
    }

    /// Every action but `activate` is refused during an open port-out: the line must stay in
    /// service until the port completes or is cancelled.
    pub fn refused_during_port_out(self) -> bool {
        self != Self::Activate
    }

    /// A new number row takes over from the one named.
    pub fn takes_over(self) -> bool {
        matches!(self, Self::Swap | Self::Replace)
    }
}

/// What can happen to a number (05 §1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberEvent {
    /// Provisioning; `immediate` when reserved and activated in the request.
    Provision {
        /// Single form with a synchronous adapter.
        immediate: bool,
    },
    /// A port-in completed (06).
    PortInCompleted,
    /// The network confirmed a pending activation.
    AdapterConfirmed,
    /// The network refused a pending activation.
    AdapterFailed,
    /// A status change of 2.7 (on the row it names).
    Change(StatusAction),
    /// Reactivation (2.8); `within_window` when before `ReactivatableUntil`.
    Reactivate {
        /// Before the end of the reactivation window.
        within_window: bool,
    },
    /// The aging job, after the reactivation window and the aging days.
    Release,
    /// A port-out completed (06).
    PortOutCompleted,
}

impl NumberEvent {
    fn name(self) -> &'static str {
        match self {
            Self::Provision { .. } => "provision",
            Self::PortInCompleted => "port in",
            Self::AdapterConfirmed => "confirm",
            Self::AdapterFailed => "fail",
            Self::Change(action) => action.as_str(),
            Self::Reactivate { .. } => "reactivate",
            Self::Release => "release",
            Self::PortOutCompleted => "port out",
        }
    }
}

/// Why a number cannot take an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifecycleError {
    /// The event is not allowed from this status (422 `Cannot {action} number …`).
    NotAllowed {
        /// The action's wire name.
        action: &'static str,
        /// The number's status (`None`: no row yet).
        from: Option<NumberStatus>,
    },
    /// Reactivation of a number that is not `Cancelled`.
    NotCancelled,
    /// Reactivation after `ReactivatableUntil`.
    ReactivationWindowClosed,
}

impl LifecycleError {
    /// The contract's 422 text about `number`.
    pub fn message(self, number: &str) -> String {
        match self {
            Self::NotAllowed { action, from } => {
                let status = from.map_or("None", NumberStatus::as_str);
                let hint = if action == "activate" && from == Some(NumberStatus::Cancelled) {
                    "; use /v1.0/numbers/reactivate"
                } else {
                    ""
                };
                format!("Cannot {action} number '{number}' in status {status}{hint}")
            }
            Self::NotCancelled => format!("Number '{number}' is not cancelled"),
            Self::ReactivationWindowClosed => format!(
                "Number '{number}' cannot be reactivated more than {REACTIVATION_WINDOW_DAYS} days after cancellation"
            ),
        }
    }
}

/// The next status of a number (`from` is `None` before the row exists).
pub fn transition(
    from: Option<NumberStatus>,
    event: NumberEvent,
) -> Result<NumberStatus, LifecycleError> {
    use NumberEvent as E;
    use NumberStatus as S;
    let next = match (from, event) {
        (None, E::Provision { immediate: true }) | (None, E::PortInCompleted) => S::Active,
        (None, E::Provision { immediate: false }) => S::Pending,
        (Some(S::Pending), E::AdapterConfirmed) => S::Active,
        (Some(S::Pending), E::AdapterFailed) => S::Released,
        (Some(status), E::Change(action)) => return change(status, action),
        (
            Some(S::Cancelled),
            E::Reactivate {
                within_window: true,
            },
        ) => S::Active,
        (
            Some(S::Cancelled),
            E::Reactivate {
                within_window: false,
            },
        ) => return Err(LifecycleError::ReactivationWindowClosed),
        (Some(_), E::Reactivate { .. }) => return Err(LifecycleError::NotCancelled),
        (Some(S::Cancelled), E::Release) => S::Released,
        (Some(S::Active), E::PortOutCompleted) => S::PortedOut,
        (from, event) => {
            return Err(LifecycleError::NotAllowed {
                action: event.name(),
                from,
            })
        }
    };
    Ok(next)
}

/// The table of 05 §2.7: the status the named row takes. `swap`/`replace` cancel it (a new row
/// takes over); `swap-sim` keeps it.
pub fn change(from: NumberStatus, action: StatusAction) -> Result<NumberStatus, LifecycleError> {
    use NumberStatus as S;
    use StatusAction as A;
    match (action, from) {
        (A::Activate, S::Parked) => Ok(S::Active),
        (A::Park, S::Active) => Ok(S::Parked),
        (A::Cancel | A::Swap | A::Replace, S::Active | S::Parked) => Ok(S::Cancelled),
        (A::SwapSim, S::Active | S::Parked) => Ok(from),
        _ => Err(LifecycleError::NotAllowed {
            action: action.as_str(),
            from: Some(from),
        }),
    }
}

/// Reactivation at `now` of a number in `from` whose window ends at `until` (05 §2.8).
pub fn reactivate(
    from: NumberStatus,
    now: Timestamp,
    until: Option<Timestamp>,
) -> Result<NumberStatus, LifecycleError> {
    let within_window = until.is_some_and(|until| now < until);
    transition(Some(from), NumberEvent::Reactivate { within_window })
}

/// End of the reactivation window of a number cancelled at `cancelled_at`.
pub fn reactivatable_until(cancelled_at: Timestamp) -> Timestamp {
    cancelled_at.plus_seconds(REACTIVATION_WINDOW_DAYS * DAY_SECONDS)
}

/// When a cancelled number is released: `aging_days` after its reactivation window.
pub fn release_at(reactivatable_until: Timestamp, aging_days: i64) -> Timestamp {
    reactivatable_until.plus_seconds(aging_days.saturating_mul(DAY_SECONDS))
}

#[cfg(test)]
mod tests;
