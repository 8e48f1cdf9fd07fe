//! One test per row of the tables of 05 §1.4, §2.9 and §2.10.

use super::*;
use SimStatus::{Active, Assigned, Empty, Retired, Suspended};

const P: SimType = SimType::Physical;
const E: SimType = SimType::Embedded;

fn invalid(from: SimStatus, to: SimStatus) -> SimStatusError {
    SimStatusError::InvalidTransition { from, to }
}

#[test]
fn vocabulary_any_case_canonical_out() {
    assert_eq!(SimStatus::parse(" suspended "), Some(Suspended));
    assert_eq!(
        SimStatus::parse("EMPTY").map(SimStatus::as_str),
        Some("Empty")
    );
    assert_eq!(SimStatus::parse("Lost"), None);
    assert_eq!(SimType::parse("ESIM"), Some(E));
    assert_eq!(SimType::parse("psim").map(SimType::as_str), Some("pSIM"));
    assert_eq!(SimType::parse("uicc"), None);
    assert!(Assigned.is_bound() && Active.is_bound() && Suspended.is_bound());
    assert!(!Empty.is_bound() && !Retired.is_bound());
}

#[test]
fn contract_texts() {
    assert_eq!(SimStatusError::Retired.to_string(), "SIM is retired");
    assert_eq!(
        SimStatusError::BoundToActiveNumber.to_string(),
        "SIM is bound to an active number"
    );
    assert_eq!(
        invalid(Empty, Active).to_string(),
        "Invalid SIM status transition from Empty to Active"
    );
}

#[test]
fn row_empty_bound_to_a_number_being_activated_or_pending_or_port_in() {
    assert_eq!(
        on_event(Empty, SimEvent::Bound(Holder::Active), P, false),
        Ok(Active)
    );
    assert_eq!(
        on_event(Empty, SimEvent::Bound(Holder::Pending), E, false),
        Ok(Assigned)
    );
    assert_eq!(
        on_event(Empty, SimEvent::Bound(Holder::OpenPortIn), P, false),
        Ok(Assigned)
    );
    assert_eq!(
        on_event(Empty, SimEvent::Bound(Holder::Parked), P, false),
        Ok(Suspended)
    );
    assert_eq!(
        on_event(Active, SimEvent::Bound(Holder::Active), P, false),
        Err(invalid(Active, Active))
    );
}

#[test]
fn row_assigned_number_becomes_active() {
    assert_eq!(
        on_event(Assigned, SimEvent::NumberActivated, E, false),
        Ok(Active)
    );
    assert_eq!(
        on_event(Empty, SimEvent::NumberActivated, E, false),
        Err(invalid(Empty, Active))
    );
}

#[test]
fn row_assigned_binding_abandoned_returns_to_stock() {
    assert_eq!(
        on_event(Assigned, SimEvent::BindingAbandoned, P, false),
        Ok(Empty)
    );
    assert_eq!(
        on_event(Active, SimEvent::BindingAbandoned, P, false),
        Err(invalid(Active, Empty))
    );
}

#[test]
fn row_active_number_parked() {
    assert_eq!(
        on_event(Active, SimEvent::NumberParked, P, false),
        Ok(Suspended)
    );
    assert_eq!(
        on_event(Suspended, SimEvent::NumberParked, P, true),
        Ok(Suspended)
    );
    assert_eq!(
        on_event(Empty, SimEvent::NumberParked, P, false),
        Err(invalid(Empty, Suspended))
    );
}

#[test]
fn row_suspended_number_activated_unless_barred() {
    assert_eq!(
        on_event(Suspended, SimEvent::NumberActivated, P, false),
        Ok(Active)
    );
    assert_eq!(
        on_event(Suspended, SimEvent::NumberActivated, P, true),
        Ok(Suspended)
    );
}

#[test]
fn row_in_service_number_cancelled_keeps_the_sim() {
    assert_eq!(
        on_event(Active, SimEvent::NumberCancelled, E, false),
        Ok(Assigned)
    );
    assert_eq!(
        on_event(Suspended, SimEvent::NumberCancelled, E, true),
        Ok(Assigned)
    );
    assert_eq!(
        on_event(Empty, SimEvent::NumberCancelled, E, false),
        Err(invalid(Empty, Assigned))
    );
}

#[test]
fn row_replaced_sim_is_retired() {
    for from in [Active, Suspended, Assigned] {
        assert_eq!(
            on_event(from, SimEvent::Replaced, P, false),
            Ok(Retired),
            "{from:?}"
        );
    }
    assert_eq!(
        on_event(Empty, SimEvent::Replaced, P, false),
        Err(invalid(Empty, Retired))
    );
}

#[test]
fn row_number_gone_frees_a_psim_and_retires_an_esim() {
    for from in [Active, Suspended, Assigned] {
        assert_eq!(on_event(from, SimEvent::NumberGone, P, false), Ok(Empty));
        assert_eq!(on_event(from, SimEvent::NumberGone, E, false), Ok(Retired));
    }
    assert_eq!(
        on_event(Empty, SimEvent::NumberGone, P, false),
        Err(invalid(Empty, Empty))
    );
}

#[test]
fn row_retired_refuses_everything() {
    let events = [
        SimEvent::Bound(Holder::Active),
        SimEvent::NumberActivated,
        SimEvent::BindingAbandoned,
        SimEvent::NumberParked,
        SimEvent::NumberCancelled,
        SimEvent::Replaced,
        SimEvent::NumberGone,
    ];
    for event in events {
        assert_eq!(
            on_event(Retired, event, E, false),
            Err(SimStatusError::Retired)
        );
    }
    assert_eq!(clear(Retired, Holder::None), Err(SimStatusError::Retired));
    for to in ALL {
        assert_eq!(
            update_status(Retired, to, Holder::None, false),
            Err(SimStatusError::Retired)
        );
    }
}

#[test]
fn clear_status_rows() {
    let stock = SimChange {
        status: Empty,
        barred: false,
        unbinds: false,
    };
    assert_eq!(clear(Empty, Holder::None), Ok(stock));
    let unbound = SimChange {
        status: Empty,
        barred: false,
        unbinds: true,
    };
    assert_eq!(clear(Assigned, Holder::Cancelled), Ok(unbound));
    for holder in [
        Holder::Pending,
        Holder::Active,
        Holder::Parked,
        Holder::OpenPortIn,
    ] {
        assert_eq!(
            clear(Assigned, holder),
            Err(SimStatusError::BoundToActiveNumber)
        );
    }
    assert_eq!(
        clear(Active, Holder::Active),
        Err(SimStatusError::BoundToActiveNumber)
    );
}

#[test]
fn update_status_active_to_suspended_bars() {
    let barred = SimChange {
        status: Suspended,
        barred: true,
        unbinds: false,
    };
    assert_eq!(
        update_status(Active, Suspended, Holder::Active, false),
        Ok(barred)
    );
}

#[test]
fn update_status_suspended_to_active_needs_an_active_number() {
    let lifted = SimChange {
        status: Active,
        barred: false,
        unbinds: false,
    };
    assert_eq!(
        update_status(Suspended, Active, Holder::Active, true),
        Ok(lifted)
    );
    assert_eq!(
        update_status(Suspended, Active, Holder::Parked, false),
        Err(invalid(Suspended, Active))
    );
}

#[test]
fn update_status_empty_to_retired() {
    let retired = SimChange {
        status: Retired,
        barred: false,
        unbinds: false,
    };
    assert_eq!(
        update_status(Empty, Retired, Holder::None, false),
        Ok(retired)
    );
}

#[test]
fn update_status_assigned_of_a_cancelled_number_leaves_it() {
    for to in [Empty, Retired] {
        let change = SimChange {
            status: to,
            barred: false,
            unbinds: true,
        };
        assert_eq!(
            update_status(Assigned, to, Holder::Cancelled, false),
            Ok(change)
        );
    }
}

#[test]
fn update_status_same_status_is_a_no_op() {
    for from in [Empty, Assigned, Active, Suspended] {
        let same = SimChange {
            status: from,
            barred: true,
            unbinds: false,
        };
        assert_eq!(
            update_status(from, from, Holder::Active, true),
            Ok(same),
            "{from:?}"
        );
    }
}

#[test]
fn update_status_of_a_sim_in_service_to_stock_or_retired_is_a_conflict() {
    for (from, holder) in [
        (Active, Holder::Active),
        (Suspended, Holder::Parked),
        (Assigned, Holder::Pending),
        (Assigned, Holder::OpenPortIn),
    ] {
        for to in [Empty, Retired] {
            assert_eq!(
                update_status(from, to, holder, false),
                Err(SimStatusError::BoundToActiveNumber),
                "{from:?} -> {to:?}"
            );
        }
    }
}

#[test]
fn update_status_everything_else_is_invalid() {
    let cases = [
        (Empty, Active, Holder::None),
        (Empty, Assigned, Holder::None),
        (Empty, Suspended, Holder::None),
        (Assigned, Active, Holder::Cancelled),
        (Assigned, Suspended, Holder::Cancelled),
        (Active, Assigned, Holder::Active),
        (Suspended, Assigned, Holder::Parked),
    ];
    for (from, to, holder) in cases {
        assert_eq!(
            update_status(from, to, holder, false),
            Err(invalid(from, to)),
            "{from:?} -> {to:?}"
        );
    }
}

#[test]
fn binding_status_follows_the_holder() {
    assert_eq!(status_for(Holder::Active, false), Active);
    assert_eq!(status_for(Holder::Active, true), Suspended);
    assert_eq!(status_for(Holder::Parked, false), Suspended);
    assert_eq!(status_for(Holder::Pending, false), Assigned);
    assert_eq!(status_for(Holder::Cancelled, false), Assigned);
    assert_eq!(status_for(Holder::None, false), Empty);
    assert_eq!(Holder::of_number("Parked"), Holder::Parked);
    assert_eq!(Holder::of_number("Released"), Holder::None);
}
