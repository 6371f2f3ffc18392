//! Background work: one pass (`pass`) enqueues the renewal reminders (`renewal_reminders`) and the
//! daily incident digest (`incident_digest`) for their audience (`audience`) and sends the outbox;
//! `serve` runs it periodically (`scheduler`) and `pmark remind` runs it once. A training's
//! follow-up notices (`training_follow_up`) are enqueued when an officer asks, and sent by the pass.

pub mod audience;
pub mod incident_digest;
pub mod pass;
pub mod renewal_reminders;
pub mod scheduler;
pub mod training_follow_up;
