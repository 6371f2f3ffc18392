//! The outbox of e-mails: what a message is, and where its delivery stands.

use crate::domain::term::term;

term! {
    /// Where a message's delivery stands.
    OutboxState, "outbox-state" {
        /// Waiting for a sender (again, after a failed attempt that will be retried).
        Pending => "pending",
        Sent => "sent",
        /// Every attempt failed; an admin may retry it.
        Failed => "failed",
        /// No longer relevant or nobody to send it to; never sent.
        Skipped => "skipped",
    }
}

term! {
    /// What a message is.
    MessageKind, "message-kind" {
        RenewalReminder => "renewal_reminder",
        IncidentDigest => "incident_digest",
        /// A training's follow-up notice (追加教育のご案内) to a person or their department head.
        TrainingFollowUp => "training_follow_up",
        /// The test message of the mail page.
        Test => "test",
        /// An invitation to join an organisation, with its link.
        Invitation => "invitation",
    }
}
