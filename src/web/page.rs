//! The context every full page needs (layout, navigation, language, CSRF token, flash messages)
//! and the one way pages are rendered into responses.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header::ContentType};

use crate::domain::Lang;
use crate::domain::term::Term;
use crate::i18n;
use crate::store::organisations::MembershipOf;
use crate::web::error::AppResult;
use crate::web::session::{Flash, FlashKind};

/// Marks a response whose body is already a complete page (a form re-rendered with errors), so
/// the error-page middleware leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct RenderedPage;

pub struct PageContext {
    /// The UI language.
    pub lang: Lang,
    /// The token every form posts back.
    pub csrf_token: String,
    /// The signed-in user's name, `None` when signed out.
    pub user_name: Option<String>,
    /// Every organisation of the user, for the switcher.
    pub memberships: Vec<MembershipOf>,
    /// The organisation the page belongs to, with the user's role there.
    pub current: Option<MembershipOf>,
    /// Messages queued by the previous request.
    pub flashes: Vec<Flash>,
    /// Path and query of this page, where the language switch returns to.
    pub request_path: String,
    /// Shown on error pages so a report can be matched to the log.
    pub request_id: String,
}

impl PageContext {
    /// A context for error pages, which know nothing of the user.
    pub fn minimal(lang: Lang, request_id: String) -> Self {
        Self {
            lang,
            csrf_token: String::new(),
            user_name: None,
            memberships: Vec::new(),
            current: None,
            flashes: Vec::new(),
            request_path: "/".to_owned(),
            request_id,
        }
    }

    /// The same context for rendering a block that is cached for this viewer (`web::cached`):
    /// `csrf_token` in place of the token, without flash messages or request id.
    pub fn for_cache(&self, csrf_token: &str) -> Self {
        Self {
            lang: self.lang,
            csrf_token: csrf_token.to_owned(),
            user_name: self.user_name.clone(),
            memberships: self.memberships.clone(),
            current: self.current.clone(),
            flashes: Vec::new(),
            request_path: self.request_path.clone(),
            request_id: String::new(),
        }
    }

    /// The language and the current organisation's date style.
    pub fn locale(&self) -> i18n::Locale {
        i18n::Locale::new(self.lang, self.current.as_ref().map(|m| m.organisation.date_style).unwrap_or_default())
    }

    /// A date as this reader writes it (2026年12月1日, 令和8年12月1日, 1 Dec 2026).
    pub fn date(&self, on: impl i18n::format::AsDate) -> String {
        self.locale().date(on)
    }

    /// A moment in JST, to the minute.
    pub fn date_time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        self.locale().date_time(*at)
    }

    /// A count with thousands separators.
    pub fn num<N: Copy + TryInto<i64>>(&self, n: &N) -> String {
        i18n::format::number(*n)
    }

    /// Translates a message key.
    pub fn t<'k>(&self, key: &'k str) -> &'k str {
        i18n::text(self.lang, key)
    }

    /// Translates a message key with one named argument.
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        i18n::t_args(self.lang, key, &[(name, value.to_owned())])
    }

    /// The message of `field`'s error in a refused form, with its arguments (the dates a
    /// renewal window refusal names, carried as ISO dates and written here as the reader writes
    /// dates); empty when the field has none.
    pub fn field_error(&self, errors: &crate::domain::FieldErrors, field: &str) -> String {
        let locale = self.locale();
        match errors.get(field) {
            Some(key) => {
                let args: Vec<(&'static str, String)> =
                    errors.args(field).iter().map(|(name, value)| (*name, locale.date(value))).collect();
                i18n::t_args(self.lang, key, &args)
            }
            None => String::new(),
        }
    }

    /// Translates the key `prefix` + `suffix` (`status-` + `implemented`).
    pub fn tp(&self, prefix: &str, suffix: &str) -> String {
        i18n::t(self.lang, &format!("{prefix}{suffix}"))
    }

    /// The label `prefix` + `value` in the UI language, or `value` itself when there is none (an
    /// audit entry's entity or action, say, recorded by a version that named it differently).
    pub fn label_or_raw(&self, prefix: &str, value: &str) -> String {
        let key = format!("{prefix}{value}");
        let text = i18n::text(self.lang, &key);
        if text == key { value.to_owned() } else { text.to_owned() }
    }

    /// The label of a closed value (a status, a role, a track…) in the UI language.
    pub fn label<T: Term>(&self, value: &T) -> String {
        i18n::t(self.lang, &value.label_key())
    }

    /// The text of a flash message.
    pub fn flash_text(&self, flash: &Flash) -> String {
        match &flash.arg {
            Some(arg) => self.t1(&flash.key, "arg", arg),
            None => self.t(&flash.key).to_owned(),
        }
    }

    pub fn is_error(&self, flash: &Flash) -> bool {
        flash.kind == FlashKind::Error
    }

    pub fn is_current_org(&self, id: &i32) -> bool {
        self.current.as_ref().is_some_and(|m| m.organisation.id == *id)
    }

    /// Whether the current organisation's role allows a navigation entry.
    pub fn can_manage(&self) -> bool {
        self.current.as_ref().is_some_and(|m| m.role.can_manage_organisation())
    }

    pub fn can_read_audit_trail(&self) -> bool {
        self.current.as_ref().is_some_and(|m| m.role.can_read_audit_trail())
    }

    pub fn languages(&self) -> [Lang; 2] {
        Lang::ALL
    }
}

/// Renders a template as a 200 page.
///
/// # Errors
/// When the template fails to render.
pub fn render<T: askama::Template>(template: &T) -> AppResult<HttpResponse> {
    render_with_status(template, StatusCode::OK)
}

/// Renders a template with a status (422 for a form with errors), marked as a complete page.
///
/// # Errors
/// When the template fails to render.
pub fn render_with_status<T: askama::Template>(template: &T, status: StatusCode) -> AppResult<HttpResponse> {
    let body = template.render()?;
    let mut response = HttpResponse::build(status).content_type(ContentType::html()).body(body);
    response.extensions_mut().insert(RenderedPage);
    Ok(response)
}

/// A 303 redirect (Post/Redirect/Get).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, location.to_owned())).finish()
}
