//! sea-orm entities, hand-kept to match `migrations/`. No business rules live here.

pub mod audit_event;
pub mod certification;
pub mod control_check;
pub mod corrective_action;
pub mod department;
pub mod duty;
pub mod duty_record;
pub mod evidence;
pub mod evidence_blob;
pub mod incident;
pub mod incident_filing;
pub mod incident_timeline;
pub mod instance_flag;
pub mod invitation;
pub mod login_throttle;
pub mod membership;
pub mod organisation;
pub mod organisation_control;
pub mod outbox;
pub mod person;
pub mod reminder_recipient;
pub mod session;
pub mod terms;
pub mod training;
pub mod training_attendance;
pub mod user;
