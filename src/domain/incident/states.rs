//! The states an incident and its records go through, and the kinds of its response steps.

use crate::domain::term::term;

term! {
    /// Where an incident's handling stands.
    IncidentStatus, "incident-status" {
        Open => "open",
        Contained => "contained",
        /// Every due filing filed and every flagged check decided.
        Closed => "closed",
    }
}

term! {
    /// The decision on a control an incident flagged for check (見直し).
    CheckState, "check-state" {
        /// Not decided yet.
        Open => "open",
        NoChangeNeeded => "no_change_needed",
        Changed => "changed",
    }
}

impl CheckState {
    /// The decisions that close a check.
    pub const DECISIONS: [CheckState; 2] = [CheckState::NoChangeNeeded, CheckState::Changed];
}

term! {
    /// The kinds of step on an incident's response timeline, in the order the form offers them.
    TimelineKind, "timeline-kind" {
        Detection => "detection",
        Containment => "containment",
        Notification => "notification",
        Filing => "filing",
        CustomerSupport => "customer_support",
        CardReissueGuidance => "card_reissue_guidance",
        MonitoringRequest => "monitoring_request",
        Other => "other",
    }
}
