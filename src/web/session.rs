//! What pmark keeps in the session: the signed-in user, the CSRF token, the language and flash
//! messages. Values are small; the session itself lives in the database (`store::sessions`).

use actix_session::Session;
use serde::{Deserialize, Serialize};

use crate::domain::Lang;
use crate::entities::user;
use crate::security::tokens;

const USER_ID: &str = "uid";
const PASSWORD_STAMP: &str = "pws";
const CSRF: &str = "csrf";
const LANG: &str = "lang";
const FLASH: &str = "flash";

/// The kind of a flash message, which decides its colour and ARIA role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlashKind {
    Success,
    Error,
}

/// A one-time message shown on the next page: a translation key and an optional argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub key: String,
    pub arg: Option<String>,
}

/// The CSRF token stored in the session, without creating one.
pub fn stored_csrf_token(session: &Session) -> Option<String> {
    session.get::<String>(CSRF).ok().flatten()
}

/// The language chosen in this session (Japanese by default).
pub fn lang(session: &Session) -> Lang {
    session.get::<Lang>(LANG).ok().flatten().unwrap_or_default()
}

/// Sets the session's language.
///
/// # Errors
/// When the session cannot be written.
pub fn set_lang(session: &Session, lang: Lang) -> Result<(), actix_session::SessionInsertError> {
    session.insert(LANG, lang)
}

/// Queues a message for the next page.
pub fn flash(session: &Session, kind: FlashKind, key: &str, arg: Option<String>) {
    let mut queued: Vec<Flash> = session.get(FLASH).ok().flatten().unwrap_or_default();
    queued.push(Flash { kind, key: key.to_owned(), arg });
    let _ = session.insert(FLASH, queued);
}

/// Takes the queued messages (they are shown once).
pub fn take_flashes(session: &Session) -> Vec<Flash> {
    if !session.contains_key(FLASH) {
        return Vec::new();
    }
    session.remove_as::<Vec<Flash>>(FLASH).and_then(Result::ok).unwrap_or_default()
}

/// A short fingerprint of the password hash: a password change elsewhere ends this session.
pub fn password_stamp(user: &user::Model) -> String {
    tokens::hash_token(&user.password_hash)[..16].to_owned()
}

/// Starts a signed-in session: a new session key (no fixation), a new CSRF token, the user's language.
///
/// # Errors
/// When the session cannot be written.
pub fn sign_in(session: &Session, user: &user::Model) -> Result<(), actix_session::SessionInsertError> {
    session.renew();
    session.insert(USER_ID, user.id)?;
    session.insert(PASSWORD_STAMP, password_stamp(user))?;
    session.insert(CSRF, tokens::new_token())?;
    session.insert(LANG, user.locale)?;
    Ok(())
}

/// Refreshes the stamp after the user changed their own password, keeping this session alive.
///
/// # Errors
/// When the session cannot be written.
pub fn refresh_password_stamp(session: &Session, user: &user::Model) -> Result<(), actix_session::SessionInsertError> {
    session.insert(PASSWORD_STAMP, password_stamp(user))
}

/// The signed-in user id and password stamp, if any.
pub fn signed_in_user(session: &Session) -> Option<(i32, String)> {
    let id = session.get::<i32>(USER_ID).ok().flatten()?;
    let stamp = session.get::<String>(PASSWORD_STAMP).ok().flatten()?;
    Some((id, stamp))
}
