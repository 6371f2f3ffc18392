//! Logging through `tracing`: pretty in a terminal, JSON for collectors.
//!
//! Every request gets a span ([`RequestSpan`]) whose target has its secrets redacted: setup,
//! invitation and CSRF tokens travel in paths and query strings, and log lines must not carry them.

use std::io::IsTerminal;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{Error, HttpMessage};
use tracing::{Level, Span};
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::settings::LogFormat;

/// Installs the global subscriber. A second call (tests) is a no-op. Colours only when standard
/// output is a terminal: escape codes in a file or a journal are noise.
pub fn init(format: LogFormat, level: &str) {
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match format {
        LogFormat::Json => registry.with(fmt::layer().json().with_current_span(false)).try_init(),
        LogFormat::Pretty => {
            registry.with(fmt::layer().with_target(false).with_ansi(std::io::stdout().is_terminal())).try_init()
        }
    };
}

/// Query parameters whose values are always secret.
const SECRET_PARAMETERS: &[&str] = &["token", "csrf_token"];
/// What a secret is replaced with.
const REDACTED: &str = "[redacted]";

/// Whether a path segment or value looks like one of our tokens (`security::tokens`: 64 hex
/// characters); 32 or more hex characters are treated as one.
fn looks_like_token(text: &str) -> bool {
    text.len() >= 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A request target (path and query) fit for the log: token-like path segments, the values of
/// `token` and `csrf_token`, and token-like query values are replaced by `[redacted]`.
pub fn redact_target(target: &str) -> String {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let path: Vec<&str> = path.split('/').map(|s| if looks_like_token(s) { REDACTED } else { s }).collect();
    let mut redacted = path.join("/");
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if SECRET_PARAMETERS.contains(&key) || looks_like_token(value) => {
                    format!("{key}={REDACTED}")
                }
                _ if looks_like_token(pair) => REDACTED.to_owned(),
                _ => pair.to_owned(),
            })
            .collect();
        redacted.push('?');
        redacted.push_str(&pairs.join("&"));
    }
    redacted
}

/// The level at which a response that carries an error is logged: server errors are errors,
/// refusals warnings, and anything else (a redirect to the sign-in page) just information.
fn error_level(status: StatusCode) -> Level {
    if status.is_server_error() {
        Level::ERROR
    } else if status.is_client_error() {
        Level::WARN
    } else {
        Level::INFO
    }
}

/// The request span of `tracing-actix-web`, with a redacted target, and one event per response
/// that carries an error, at [`error_level`].
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let target = redact_target(request.uri().path_and_query().map_or("", |p| p.as_str()));
        let route = request.match_pattern().unwrap_or_else(|| "default".to_owned());
        let request_id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %target,
            http.status_code = tracing::field::Empty,
            request_id = %request_id,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, error) = match outcome {
            Ok(response) => (response.status(), response.response().error().map(ToString::to_string)),
            Err(error) => (error.as_response_error().status_code(), Some(error.to_string())),
        };
        span.record("http.status_code", status.as_u16());
        let Some(error) = error else { return };
        let status = status.as_u16();
        span.in_scope(|| match error_level(StatusCode::from_u16(status).unwrap_or(StatusCode::OK)) {
            Level::ERROR => tracing::error!(status, error = %error, "request failed"),
            Level::WARN => tracing::warn!(status, error = %error, "request refused"),
            _ => tracing::info!(status, error = %error, "request answered early"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    #[test]
    fn tokens_are_redacted_from_request_targets() {
        for (target, expected) in [
            (format!("/setup?token={TOKEN}"), "/setup?token=[redacted]".to_owned()),
            (format!("/invitations/{TOKEN}"), "/invitations/[redacted]".to_owned()),
            (
                format!("/orgs/1/controls/A.3.3.1/evidence?csrf_token={TOKEN}&x=1"),
                "/orgs/1/controls/A.3.3.1/evidence?csrf_token=[redacted]&x=1".to_owned(),
            ),
            ("/setup?token=short".to_owned(), "/setup?token=[redacted]".to_owned()),
            (format!("/x?next={TOKEN}"), "/x?next=[redacted]".to_owned()),
            (format!("/x?{TOKEN}"), "/x?[redacted]".to_owned()),
            ("/orgs/12/incidents?page=2&sort=due".to_owned(), "/orgs/12/incidents?page=2&sort=due".to_owned()),
            ("/login".to_owned(), "/login".to_owned()),
        ] {
            assert_eq!(redact_target(&target), expected);
            assert!(!redact_target(&target).contains(TOKEN));
        }
    }

    #[test]
    fn a_redirect_to_sign_in_is_not_logged_as_an_error() {
        assert_eq!(error_level(StatusCode::SEE_OTHER), Level::INFO);
        assert_eq!(error_level(StatusCode::NOT_FOUND), Level::WARN);
        assert_eq!(error_level(StatusCode::FORBIDDEN), Level::WARN);
        assert_eq!(error_level(StatusCode::INTERNAL_SERVER_ERROR), Level::ERROR);
        assert_eq!(error_level(StatusCode::SERVICE_UNAVAILABLE), Level::ERROR);
    }
}
