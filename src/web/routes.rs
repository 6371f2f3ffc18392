//! The route table: every route is registered through `Routes`, with the access it needs, by the
//! module of its resource (`pub fn routes(r: &mut Routes)`). Registering a route without an
//! access level does not compile, and the access is enforced here, before the handler runs, by
//! one check per resource: a handler cannot forget it.
//!
//! - `Access::Anyone`: no check (sign-in, setup, health, static files, invitation links).
//! - `Access::SignedIn`: a signed-in user, or a redirect to the sign-in page.
//! - `Access::Member(need)`: a member of the organisation `{org}` of the path whose role allows
//!   `need`; a non-member gets 404 (the organisation's existence is not revealed), a member with
//!   too little rights 403. The handler reads the membership with `Viewer::member()`.
//!
//! `route_table()` lists every route with its access: the role matrix test
//! (`tests/api/route_access.rs`) fails when a route has no row there.

use std::rc::Rc;

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{Next, from_fn};
use actix_web::{FromRequest, Handler, HttpMessage, Responder, ResponseError, web};

use crate::web::error::AppError;
use crate::web::viewer::{Need, Viewer};

/// What a route asks of the person behind the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Nothing: public pages.
    Anyone,
    /// A signed-in user.
    SignedIn,
    /// A member of the path's organisation `{org}` whose role allows the need.
    Member(Need),
}

/// One registered route, as the role matrix sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    /// The pattern, with `{placeholders}`.
    pub path: String,
    pub access: Access,
    /// `Some(page)` for the GET of a POST-only address, a 303 to its page (`Routes::back_to`).
    pub back_to: Option<&'static str>,
}

struct Entry {
    info: RouteInfo,
    route: actix_web::Route,
}

/// The routes of the application, in registration order.
#[derive(Default)]
pub struct Routes {
    entries: Vec<Entry>,
}

/// Organisation routes share this prefix and are registered in one scope, so a request is
/// matched against the patterns of its own level only.
const ORG_PREFIX: &str = "/orgs/{org}";

impl Routes {
    /// `GET path`, allowed by `access`.
    pub fn get<F, Args>(&mut self, path: &str, access: Access, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::GET, path, access, web::get().to(handler))
    }

    /// `POST path`, allowed by `access`.
    pub fn post<F, Args>(&mut self, path: &str, access: Access, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::POST, path, access, web::post().to(handler))
    }

    fn add(&mut self, method: Method, path: &str, access: Access, route: actix_web::Route) -> &mut Self {
        self.entries.push(Entry { info: RouteInfo { method, path: path.to_owned(), access, back_to: None }, route });
        self
    }

    /// `GET path` for a POST-only address registered just before: a 303 to `page` (its `{name}`
    /// parts filled from the path), so that reloading the address a refused form left in the
    /// address bar goes back to the page. It needs the same access as the POST.
    ///
    /// # Panics
    /// At start-up, when no POST of `path` was registered before (a programming error).
    pub fn back_to(&mut self, path: &str, page: &'static str) -> &mut Self {
        let access = self
            .entries
            .iter()
            .rev()
            .find(|e| e.info.path == path && e.info.method == Method::POST)
            .map(|e| e.info.access);
        let Some(access) = access else {
            panic!("back_to({path}): register the POST first");
        };
        self.entries.push(Entry {
            info: RouteInfo { method: Method::GET, path: path.to_owned(), access, back_to: Some(page) },
            route: crate::web::forms::back_to(page),
        });
        self
    }

    /// Every route with its access.
    pub fn describe(&self) -> Vec<RouteInfo> {
        self.entries.iter().map(|e| e.info.clone()).collect()
    }

    /// Registers the routes: one resource per path (its methods together, so a wrong method is
    /// 405), each wrapped in the access check of its methods; organisation routes in one scope.
    pub fn register(self, cfg: &mut web::ServiceConfig) {
        let mut resources: Vec<(String, Vec<Entry>)> = Vec::new();
        for entry in self.entries {
            match resources.iter_mut().find(|(path, _)| *path == entry.info.path) {
                Some((_, entries)) => entries.push(entry),
                None => resources.push((entry.info.path.clone(), vec![entry])),
            }
        }
        let mut org_scope = web::scope(ORG_PREFIX);
        for (path, entries) in resources {
            let checks: Rc<[(Method, Access)]> =
                entries.iter().map(|e| (e.info.method.clone(), e.info.access)).collect::<Vec<_>>().into();
            let inner = path.strip_prefix(ORG_PREFIX).filter(|rest| rest.is_empty() || rest.starts_with('/'));
            let mut resource = web::resource(inner.unwrap_or(&path));
            for entry in entries {
                resource = resource.route(entry.route);
            }
            // The deadline sits here, after routing: the router needs the request to itself.
            let resource = resource
                .wrap(from_fn(move |req: ServiceRequest, next: Next<BoxBody>| {
                    let checks = Rc::clone(&checks);
                    async move { authorize(&checks, req, next).await }
                }))
                .wrap(from_fn(crate::web::deadline::limit));
            if inner.is_some() {
                org_scope = org_scope.service(resource);
            } else {
                cfg.service(resource);
            }
        }
        cfg.service(org_scope);
    }
}

/// Runs the access check of the request's method, then the handler. The viewer it loaded is
/// kept in the request, with the membership it authorized, for the handler's `Viewer`.
async fn authorize(
    checks: &[(Method, Access)],
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // A method without a route falls through to the resource's 405.
    let Some(access) = checks.iter().find(|(method, _)| method == req.method()).map(|(_, access)| *access) else {
        return next.call(req).await;
    };
    if access == Access::Anyone {
        return next.call(req).await;
    }
    let mut viewer = match req.extract::<Viewer>().await {
        Ok(viewer) => viewer,
        Err(error) => return Ok(refuse(req, &error)),
    };
    let outcome = match access {
        Access::Anyone => Ok(None),
        Access::SignedIn => viewer.user().map(|_| None),
        Access::Member(need) => {
            let org = req.match_info().get("org").and_then(|id| id.parse::<i32>().ok());
            match org {
                Some(org) => viewer.authorize(org, need).map(Some),
                None => Err(AppError::NotFound),
            }
        }
    };
    match outcome {
        Ok(member) => {
            viewer.authorized = member;
            req.extensions_mut().insert(viewer);
            next.call(req).await
        }
        Err(error) => Ok(refuse(req, &error)),
    }
}

fn refuse(req: ServiceRequest, error: &AppError) -> ServiceResponse<BoxBody> {
    req.into_response(error.error_response()).map_into_boxed_body()
}
