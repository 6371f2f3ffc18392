//! The invitation e-mail: the link an admin's invitation creates, sent to the invited address in
//! the invitee's language, through the outbox like every e-mail.

use askama::Template;

use crate::domain::Role;
use crate::domain::outbox::MessageKind;
use crate::i18n::{self, Translator};
use crate::store::outbox::NewMessage;

/// What the invitation says.
pub struct Invitation<'a> {
    pub organisation_id: i32,
    pub invitation_id: i32,
    pub organisation: &'a str,
    /// The inviting admin's name.
    pub inviter: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub link: &'a str,
    /// How many days the link stays valid.
    pub valid_days: u32,
}

#[derive(Template)]
#[template(path = "email/invitation.txt")]
struct InvitationText<'a> {
    ctx: Translator,
    invitation: &'a Invitation<'a>,
}

#[derive(Template)]
#[template(path = "email/invitation.html")]
struct InvitationHtml<'a> {
    ctx: Translator,
    invitation: &'a Invitation<'a>,
}

/// The invitation as an outbox message in `locale`'s language, once per invitation.
///
/// # Errors
/// When a template fails to render.
pub fn message(invitation: &Invitation<'_>, locale: i18n::Locale) -> Result<NewMessage, askama::Error> {
    let lang = locale.lang;
    Ok(NewMessage {
        organisation_id: Some(invitation.organisation_id),
        dedupe_key: format!("invitation:{}", invitation.invitation_id),
        kind: MessageKind::Invitation,
        recipients: vec![invitation.email.to_owned()],
        lang,
        subject: i18n::t_args(lang, "mail-invitation-subject", &[("organisation", invitation.organisation.to_owned())]),
        body_text: InvitationText { ctx: Translator::new(locale), invitation }.render()?,
        body_html: InvitationHtml { ctx: Translator::new(locale), invitation }.render()?,
        skip_reason: None,
    })
}
