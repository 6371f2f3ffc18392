//! Shared pieces of form handling: the path parameter types, the one shape of a form on a page
//! (its id, the values shown, the errors of a refusal), and the GET that sends a reloaded POST
//! address back to its page.
//!
//! # A refused form
//!
//! Every form has an `id`, and its `action` ends with `#` and that id, so the 422 page a refusal
//! answers opens scrolled to the form. The form starts with
//! `{% call m::error_summary(ctx, errors, "f-") %}{% endcall %}` (the count and a link to each
//! field; `"f-"` is the prefix of the inputs' ids) and shows each field's error next to it; the
//! values entered are kept. A POST-only URL also answers GET with [`back_to`], so reloading the
//! address after a refusal lands on the page instead of a 404.

use actix_web::{HttpRequest, web};
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::web::page::see_other;

/// `{org}` in a path.
#[derive(Debug, Deserialize)]
pub struct OrgPath {
    pub org: i32,
}

/// A form on a page: its element id, the values it shows, and the errors of a refusal.
#[derive(Debug, Clone)]
pub struct FormState<T> {
    /// The form's element id (its `action` ends with `#id`).
    pub id: &'static str,
    /// The values shown: the stored or default ones, or the ones entered.
    pub values: T,
    /// The errors of a refused submission (empty otherwise).
    pub errors: FieldErrors,
}

impl<T> FormState<T> {
    /// A fresh form.
    pub fn new(id: &'static str, values: T) -> Self {
        Self { id, values, errors: FieldErrors::new() }
    }

    /// A refused form: the values entered and what is wrong with them.
    pub fn refused(id: &'static str, values: T, errors: FieldErrors) -> Self {
        Self { id, values, errors }
    }

    /// Whether the form was refused.
    pub fn is_refused(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// A GET route for a POST-only address that redirects (303) to `page`, an absolute path whose
/// `{name}` parts are filled from the request's path parameters (`/orgs/{org}/incidents/{incident}`).
/// After a refused form the address bar shows the POST address; reloading it comes back here.
pub fn back_to(page: &'static str) -> actix_web::Route {
    web::get().to(move |req: HttpRequest| async move { see_other(&fill(page, &req)) })
}

/// `page` with each `{name}` replaced by the request's path parameter, percent-encoded.
fn fill(page: &str, req: &HttpRequest) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        out.push_str(&encode_segment(req.match_info().get(name).unwrap_or_default()));
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

fn encode_segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_filled_from_the_path_parameters() {
        let req =
            actix_web::test::TestRequest::default().param("org", "3").param("control", "A.3.3/1").to_http_request();
        assert_eq!(fill("/orgs/{org}/controls/{control}#evidence", &req), "/orgs/3/controls/A.3.3%2F1#evidence");
        assert_eq!(fill("/account", &req), "/account");
    }
}
