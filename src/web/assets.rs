//! Static files, compiled into the binary so pmark runs from any folder; cached by browsers.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { name: "app.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../../static/app.css") },
    Asset {
        name: "report.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../static/report.css"),
    },
    Asset { name: "favicon.svg", content_type: "image/svg+xml", body: include_bytes!("../../static/favicon.svg") },
];

/// The ETag of every asset: they change only with the binary.
const ETAG: &str = concat!("\"pmark-", env!("CARGO_PKG_VERSION"), "\"");

pub async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(asset) = ASSETS.iter().find(|a| a.name == name.as_str()) else {
        return HttpResponse::NotFound().finish();
    };
    let cache = (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    if req.headers().get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == ETAG.as_bytes()) {
        return HttpResponse::NotModified().insert_header(cache).insert_header((header::ETAG, ETAG)).finish();
    }
    HttpResponse::Ok()
        .insert_header(cache)
        .insert_header((header::ETAG, ETAG))
        .insert_header((header::CONTENT_TYPE, asset.content_type))
        .body(asset.body)
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/static/{name}", Anyone, serve);
}
