//! One test per row of 05 §1.3 and of the table of 05 §2.7.

use super::*;
use NumberStatus::{Active, Cancelled, Parked, Pending, PortedOut, Released};
use StatusAction::{Activate, Cancel, Park, Replace, Swap, SwapSim};

const ALL_STATUSES: [NumberStatus; 6] = [Pending, Active, Parked, Cancelled, Released, PortedOut];

fn not_allowed(action: &'static str, from: NumberStatus) -> Result<NumberStatus, LifecycleError> {
    Err(LifecycleError::NotAllowed {
        action,
        from: Some(from),
    })
}

#[test]
fn provisioning_creates_active_or_pending_rows() {
    let sync = NumberEvent::Provision { immediate: true };
    let deferred = NumberEvent::Provision { immediate: false };
    assert_eq!(transition(None, sync), Ok(Active));
    assert_eq!(transition(None, deferred), Ok(Pending));
    assert_eq!(transition(None, NumberEvent::PortInCompleted), Ok(Active));
    assert!(transition(Some(Active), sync).is_err());
}

#[test]
fn pending_rows_are_confirmed_or_released_by_the_adapter() {
    assert_eq!(
        transition(Some(Pending), NumberEvent::AdapterConfirmed),
        Ok(Active)
    );
    assert_eq!(
        transition(Some(Pending), NumberEvent::AdapterFailed),
        Ok(Released)
    );
    assert!(transition(Some(Active), NumberEvent::AdapterConfirmed).is_err());
}

#[test]
fn park_only_from_active() {
    assert_eq!(change(Active, Park), Ok(Parked));
    for from in [Pending, Parked, Cancelled, Released, PortedOut] {
        assert_eq!(change(from, Park), not_allowed("park", from), "{from:?}");
    }
}

#[test]
fn activate_only_from_parked() {
    assert_eq!(change(Parked, Activate), Ok(Active));
    for from in [Pending, Active, Cancelled, Released, PortedOut] {
        assert_eq!(
            change(from, Activate),
            not_allowed("activate", from),
            "{from:?}"
        );
    }
}

#[test]
fn cancel_swap_and_replace_cancel_active_or_parked_rows() {
    for action in [Cancel, Swap, Replace] {
        assert_eq!(change(Active, action), Ok(Cancelled));
        assert_eq!(change(Parked, action), Ok(Cancelled));
        for from in [Pending, Cancelled, Released, PortedOut] {
            assert_eq!(change(from, action), not_allowed(action.as_str(), from));
        }
    }
}

#[test]
fn swap_sim_keeps_the_status() {
    assert_eq!(change(Active, SwapSim), Ok(Active));
    assert_eq!(change(Parked, SwapSim), Ok(Parked));
    for from in [Pending, Cancelled, Released, PortedOut] {
        assert_eq!(change(from, SwapSim), not_allowed("swap-sim", from));
    }
}

#[test]
fn transition_delegates_changes_to_the_table() {
    for from in ALL_STATUSES {
        for action in StatusAction::ALL {
            assert_eq!(
                transition(Some(from), NumberEvent::Change(action)),
                change(from, action)
            );
        }
    }
}

#[test]
fn reactivation_inside_the_window_only() {
    let cancelled = Timestamp::from_unix_seconds(1_773_158_400);
    let until = reactivatable_until(cancelled);
    let day = 86_400;
    assert_eq!(until, cancelled.plus_seconds(30 * day));
    let day_29 = cancelled.plus_seconds(29 * day);
    let day_31 = cancelled.plus_seconds(31 * day);
    assert_eq!(reactivate(Cancelled, day_29, Some(until)), Ok(Active));
    assert_eq!(
        reactivate(Cancelled, day_31, Some(until)),
        Err(LifecycleError::ReactivationWindowClosed)
    );
    assert_eq!(
        reactivate(Cancelled, until, Some(until)),
        Err(LifecycleError::ReactivationWindowClosed),
        "the window ends at ReactivatableUntil"
    );
    assert_eq!(
        reactivate(Cancelled, day_29, None),
        Err(LifecycleError::ReactivationWindowClosed)
    );
    for from in [Pending, Active, Parked, Released, PortedOut] {
        assert_eq!(
            reactivate(from, day_29, Some(until)),
            Err(LifecycleError::NotCancelled)
        );
    }
}

#[test]
fn release_after_the_aging_days() {
    assert_eq!(
        transition(Some(Cancelled), NumberEvent::Release),
        Ok(Released)
    );
    for from in [Pending, Active, Parked, Released, PortedOut] {
        assert!(transition(Some(from), NumberEvent::Release).is_err());
    }
    let until = Timestamp::from_unix_seconds(1_000_000);
    assert_eq!(release_at(until, 60), until.plus_seconds(60 * 86_400));
    assert_eq!(release_at(until, 0), until);
}

#[test]
fn port_out_completes_from_active_only() {
    assert_eq!(
        transition(Some(Active), NumberEvent::PortOutCompleted),
        Ok(PortedOut)
    );
    assert!(transition(Some(Parked), NumberEvent::PortOutCompleted).is_err());
}

#[test]
fn only_activate_is_allowed_during_a_port_out() {
    for action in StatusAction::ALL {
        assert_eq!(action.refused_during_port_out(), action != Activate);
    }
    assert!(Swap.takes_over() && Replace.takes_over());
    assert!(!Cancel.takes_over() && !SwapSim.takes_over());
}

#[test]
fn actions_parse_in_any_case() {
    assert_eq!(StatusAction::parse("SWAP-SIM"), Some(SwapSim));
    assert_eq!(StatusAction::parse(" Park "), Some(Park));
    assert_eq!(StatusAction::parse("reactivate"), None);
    assert_eq!(StatusAction::parse(""), None);
    for action in StatusAction::ALL {
        assert_eq!(StatusAction::parse(action.as_str()), Some(action));
    }
    for status in ALL_STATUSES {
        assert_eq!(NumberStatus::parse(status.as_str()), Some(status));
        assert_eq!(status.is_live(), !matches!(status, Released | PortedOut));
    }
}

#[test]
fn messages_use_the_contract_texts() {
    let n = "+12013780002";
    assert_eq!(
        change(Active, Activate).unwrap_err().message(n),
        "Cannot activate number '+12013780002' in status Active"
    );
    assert_eq!(
        change(Cancelled, Activate).unwrap_err().message(n),
        "Cannot activate number '+12013780002' in status Cancelled; use /v1.0/numbers/reactivate"
    );
    assert_eq!(
        change(Cancelled, SwapSim).unwrap_err().message(n),
        "Cannot swap-sim number '+12013780002' in status Cancelled"
    );
    assert_eq!(
        LifecycleError::NotCancelled.message(n),
        "Number '+12013780002' is not cancelled"
    );
    assert_eq!(
        LifecycleError::ReactivationWindowClosed.message(n),
        "Number '+12013780002' cannot be reactivated more than 30 days after cancellation"
    );
}
