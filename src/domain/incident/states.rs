//! The states an incident and its records go through, and the kinds of its response steps.

use crate::domain::term::term;

term! {
    /// Where an incident's handling stands.
    IncidentStatus, "incident-status" {
        Open => "open",
        Contained => "contained",
        /// Every due report filed and every flagged review decided.
        Closed => "closed",
    }
}

term! {
    /// The decision on a control an incident flagged for review (見直し).
    ReviewState, "review-state" {
        /// Not decided yet.
        Open => "open",
        NoChangeNeeded => "no_change_needed",
        Changed => "changed",
    }
}

impl ReviewState {
    /// The decisions that close a review.
    pub const DECISIONS: [ReviewState; 2] = [ReviewState::NoChangeNeeded, ReviewState::Changed];
}

term! {
    /// The kinds of step on an incident's response timeline, in the order the form offers them.
    TimelineKind, "timeline-kind" {
        Detection => "detection",
        Containment => "containment",
        Notification => "notification",
        Report => "report",
        CustomerSupport => "customer_support",
        CardReissueGuidance => "card_reissue_guidance",
        MonitoringRequest => "monitoring_request",
        Other => "other",
    }
}
