//! Corrective actions (是正処置): where one stands.

use crate::domain::term::term;

term! {
    /// Whether a corrective action is still to do.
    ActionStatus, "action-status" {
        Open => "open",
        /// Completed, with a completion record.
        Done => "done",
    }
}
