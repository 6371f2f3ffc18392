//! Background work: the reminder pass (plan, enqueue, send) that `serve` runs periodically and
//! `pmark remind` runs once.

pub mod incident_reminders;
pub mod reminders;
pub mod scheduler;
