//! The person behind a request: signed in or not, their organisations and roles, language and
//! CSRF token. Every page handler takes a `Viewer`. Authorization is done by the route table
//! (`web::routes`) before the handler runs; the handler reads the membership it authorized with
//! `member()`.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use tracing_actix_web::RequestId;

use crate::domain::{Lang, Role};
use crate::entities::user;
use crate::store::sessions::{LoadedViewer, VIEWER_KEY};
use crate::store::{self, organisations::MembershipOf};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageContext;
use crate::web::session::{self, Flash};
use crate::web::state::AppState;

/// What a route needs of the viewer's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any member.
    Read,
    /// Admins and officers.
    Edit,
    /// Admins.
    Manage,
    /// Admins and auditors.
    AuditTrail,
}

impl Need {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Need::Read => true,
            Need::Edit => role.can_edit(),
            Need::Manage => role.can_manage_organisation(),
            Need::AuditTrail => role.can_read_audit_trail(),
        }
    }
}

#[derive(Clone)]
pub struct Viewer {
    pub session: Session,
    pub lang: Lang,
    pub csrf_token: String,
    pub user: Option<user::Model>,
    pub memberships: Vec<MembershipOf>,
    pub request_path: String,
    pub request_id: String,
    /// The membership the route's access check authorized (organisation routes only).
    pub authorized: Option<MembershipOf>,
}

impl Viewer {
    /// The signed-in user, or a redirect to the sign-in page.
    ///
    /// # Errors
    /// `SignInRequired` when nobody is signed in.
    pub fn user(&self) -> AppResult<&user::Model> {
        self.user.as_ref().ok_or_else(|| AppError::SignInRequired { next: self.request_path.clone() })
    }

    /// The viewer's membership of organisation `id`, if their role allows `need`. Called by the
    /// route table's access check only (`web::routes`); handlers use `member()`.
    ///
    /// # Errors
    /// `SignInRequired` when signed out, `NotFound` when not a member (the organisation's
    /// existence is not revealed), `Forbidden` when the role does not allow it.
    pub(crate) fn authorize(&self, id: i32, need: Need) -> AppResult<MembershipOf> {
        self.user()?;
        let membership = self.memberships.iter().find(|m| m.organisation.id == id).ok_or(AppError::NotFound)?;
        if need.allows(membership.role) { Ok(membership.clone()) } else { Err(AppError::Forbidden) }
    }

    /// The membership of the path's organisation that the route's access check authorized.
    ///
    /// # Errors
    /// `Internal` when the route was not registered with `Access::Member` (a programming error
    /// the role matrix test catches).
    pub fn member(&self) -> AppResult<&MembershipOf> {
        self.authorized
            .as_ref()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("organisation route without an access check")))
    }

    /// The viewer's language and the date style of the organisation the route authorized (西暦
    /// outside an organisation).
    pub fn locale(&self) -> crate::i18n::Locale {
        crate::i18n::Locale::new(
            self.lang,
            self.authorized.as_ref().map(|m| m.organisation.date_style).unwrap_or_default(),
        )
    }

    /// Queues a flash message for the next page.
    pub fn flash(&self, kind: session::FlashKind, key: &str, arg: Option<String>) {
        session::flash(&self.session, kind, key, arg);
    }

    /// The context every page template needs. Takes the queued flash messages.
    pub fn page(&self, current_organisation: Option<i32>) -> PageContext {
        let flashes: Vec<Flash> = session::take_flashes(&self.session);
        PageContext {
            lang: self.lang,
            csrf_token: self.csrf_token.clone(),
            user_name: self.user.as_ref().map(|u| u.display_name.clone()),
            memberships: self.memberships.clone(),
            current: current_organisation
                .and_then(|id| self.memberships.iter().find(|m| m.organisation.id == id).cloned()),
            flashes,
            request_path: self.request_path.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

impl FromRequest for Viewer {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Loaded once per request: the route's access check keeps the viewer it authorized.
        if let Some(viewer) = req.extensions().get::<Viewer>() {
            let viewer = viewer.clone();
            return Box::pin(async move { Ok(viewer) });
        }
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))?
                .clone();
            let session = req.get_session();
            let request_id = req.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
            let request_path =
                req.uri().path_and_query().map_or_else(|| req.path().to_owned(), |pq| pq.as_str().to_owned());
            let mut user = None;
            let mut memberships = Vec::new();
            if let Some((user_id, stamp)) = session::signed_in_user(&session) {
                // Loaded with the session in the same query; fetched here only right after sign-in.
                let loaded = match session.get::<LoadedViewer>(VIEWER_KEY).ok().flatten() {
                    Some(viewer) if viewer.user.id == user_id => Some((viewer.user, viewer.memberships)),
                    _ => store::organisations::user_with_memberships(&state.db, user_id).await?,
                };
                match loaded {
                    Some((found, of)) if session::password_stamp(&found) == stamp => {
                        memberships = of;
                        user = Some(found);
                    }
                    // The account is gone or its password changed elsewhere: end this session
                    // (forms then carry the visitor's cookie token, see `web::csrf`).
                    _ => session.purge(),
                }
            }
            Ok(Viewer {
                lang: session::lang(&session),
                csrf_token: crate::web::csrf::token_for_forms(&req, &session),
                session,
                user,
                memberships,
                request_path,
                request_id,
                authorized: None,
            })
        })
    }
}
