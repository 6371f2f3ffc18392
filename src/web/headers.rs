//! The headers every response carries, wherever it was answered (the `DefaultHeaders` around the
//! application, and the error page answered when a session could not be saved, outside it).

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;

/// Content-Security-Policy: no inline script or style, nothing from other origins, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Every response's security headers (HSTS aside: see [`middleware`]).
pub const SECURITY: &[(&str, &str)] = &[
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cache-control", "no-store"),
];

/// The headers of every response. HSTS only when the public URL is https: over plain http the
/// header would be ignored at best, and would lock a later plain-http setup out at worst.
pub fn middleware(https: bool) -> DefaultHeaders {
    let headers = SECURITY.iter().fold(DefaultHeaders::new(), |headers, (name, value)| headers.add((*name, *value)));
    if https { headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000")) } else { headers }
}
