//! What the service says about campaign rosters: the grid (days × shifts × posts), who is
//! on duty at an instant and who comes next, and a supervisor's edits (add, move, swap). The
//! types live in the domain (`domain::roster_grid`, which the console's core shares); the
//! desk that answers and checks them is `service/local/roster.rs`.

pub use crate::domain::roster_grid::{
    OnDuty, PostShift, Roster, RosterEdit, RosterShift, RosterSlot,
};
