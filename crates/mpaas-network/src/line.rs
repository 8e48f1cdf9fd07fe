//! Line commands: what the platform tells the network about one number (10 §6), and the
//! network-side view of that number they build up.

/// Network-side state of a line (10 §7.3 `LineState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineState {
    /// In service.
    Active,
    /// Barred: known to the network, no traffic.
    Suspended,
    /// Never activated, or deactivated.
    Absent,
}

impl LineState {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Suspended => "Suspended",
            Self::Absent => "Absent",
        }
    }

    /// From the wire name (exact).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "Active" => Some(Self::Active),
            "Suspended" => Some(Self::Suspended),
            "Absent" => Some(Self::Absent),
            _ => None,
        }
    }
}

/// Which services the line carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Messaging.
    pub message: bool,
    /// Voice.
    pub voice: bool,
    /// Data.
    pub data: bool,
}

/// One command of the platform to the network about a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineCommand {
    /// Puts the line in service with its whole configuration: SIM (if any), services and
    /// caller name.
    Activate {
        /// Bound SIM.
        iccid: Option<String>,
        /// Services of the line.
        capabilities: Capabilities,
        /// Caller name.
        cnam: Option<String>,
    },
    /// Bars the line; `reason` says why (park, barred SIM).
    Suspend {
        /// Why, for the record.
        reason: &'static str,
    },
    /// Lifts a bar; `reason` says why.
    Restore {
        /// Why, for the record.
        reason: &'static str,
    },
    /// Takes the line out of the network; `reason` says why (cancel, release, takeover).
    Deactivate {
        /// Why, for the record.
        reason: &'static str,
    },
    /// Binds a SIM to the line.
    BindSim {
        /// The new SIM.
        iccid: String,
    },
    /// Sets or clears the caller name.
    SetCnam {
        /// New caller name (`None` clears it).
        cnam: Option<String>,
    },
}

impl LineCommand {
    /// Operation name as recorded (10 §7.3 `Operation`).
    pub fn operation(&self) -> &'static str {
        match self {
            Self::Activate { .. } => "ActivateLine",
            Self::Suspend { .. } => "SuspendLine",
            Self::Restore { .. } => "RestoreLine",
            Self::Deactivate { .. } => "DeactivateLine",
            Self::BindSim { .. } => "BindSim",
            Self::SetCnam { .. } => "SetCnam",
        }
    }

    /// Human-readable parameters as recorded (10 §7.3 `Details`).
    pub fn details(&self) -> String {
        match self {
            Self::Activate { iccid, .. } => match iccid {
                Some(iccid) => format!("iccid={iccid}"),
                None => "no SIM".into(),
            },
            Self::Suspend { reason } | Self::Restore { reason } | Self::Deactivate { reason } => {
                (*reason).to_string()
            }
            Self::BindSim { iccid } => format!("iccid={iccid}"),
            Self::SetCnam { cnam } => match cnam {
                Some(cnam) => format!("cnam={cnam}"),
                None => "cnam cleared".into(),
            },
        }
    }
}

/// What the network holds about one number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkLine {
    /// Service state.
    pub state: LineState,
    /// Bound SIM.
    pub iccid: Option<String>,
    /// Services of the line.
    pub capabilities: Capabilities,
    /// Caller name.
    pub cnam: Option<String>,
}

impl Default for NetworkLine {
    /// A number the network has never heard of.
    fn default() -> Self {
        Self {
            state: LineState::Absent,
            iccid: None,
            capabilities: Capabilities::default(),
            cnam: None,
        }
    }
}

impl NetworkLine {
    /// The line after `command`. Deactivation forgets the configuration. Suspending or restoring a line that is not in the network
    /// leaves it absent: a bar cannot bring a line into existence.
    pub fn apply(&mut self, command: &LineCommand) {
        match command {
            LineCommand::Activate {
                iccid,
                capabilities,
                cnam,
            } => {
                self.state = LineState::Active;
                self.iccid.clone_from(iccid);
                self.capabilities = *capabilities;
                self.cnam.clone_from(cnam);
            }
            LineCommand::Suspend { .. } if self.state == LineState::Active => {
                self.state = LineState::Suspended;
            }
            LineCommand::Restore { .. } if self.state == LineState::Suspended => {
                self.state = LineState::Active;
            }
            LineCommand::Suspend { .. } | LineCommand::Restore { .. } => {}
            // The network forgets the line: its SIM may move on (takeover) and the number may
            // later belong to someone else.
            LineCommand::Deactivate { .. } => *self = Self::default(),
            LineCommand::BindSim { iccid } => self.iccid = Some(iccid.clone()),
            LineCommand::SetCnam { cnam } => self.cnam.clone_from(cnam),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activate() -> LineCommand {
        LineCommand::Activate {
            iccid: Some("8901240397190195850".into()),
            capabilities: Capabilities {
                message: true,
                voice: false,
                data: true,
            },
            cnam: None,
        }
    }

    #[test]
    fn activation_brings_sim_and_services() {
        let mut line = NetworkLine::default();
        line.apply(&activate());
        assert_eq!(line.state, LineState::Active);
        assert_eq!(line.iccid.as_deref(), Some("8901240397190195850"));
        assert!(line.capabilities.data && !line.capabilities.voice);
        assert_eq!(activate().details(), "iccid=8901240397190195850");
    }

    #[test]
    fn suspend_and_restore_only_touch_a_line_in_the_network() {
        let mut line = NetworkLine::default();
        line.apply(&LineCommand::Suspend { reason: "park" });
        assert_eq!(line.state, LineState::Absent);
        line.apply(&activate());
        line.apply(&LineCommand::Suspend { reason: "park" });
        assert_eq!(line.state, LineState::Suspended);
        line.apply(&LineCommand::Restore { reason: "sim" });
        assert_eq!(line.state, LineState::Active);
        line.apply(&LineCommand::Deactivate { reason: "cancel" });
        assert_eq!(line, NetworkLine::default());
        line.apply(&LineCommand::Restore { reason: "sim" });
        assert_eq!(line.state, LineState::Absent);
    }

    #[test]
    fn cnam_and_sim_are_recorded() {
        let mut line = NetworkLine::default();
        let cnam = LineCommand::SetCnam {
            cnam: Some("ACME".into()),
        };
        line.apply(&cnam);
        line.apply(&LineCommand::BindSim { iccid: "1".into() });
        assert_eq!(line.cnam.as_deref(), Some("ACME"));
        assert_eq!(line.iccid.as_deref(), Some("1"));
        assert_eq!(cnam.operation(), "SetCnam");
        assert_eq!(cnam.details(), "cnam=ACME");
        assert_eq!(LineState::parse("Suspended"), Some(LineState::Suspended));
    }
}
