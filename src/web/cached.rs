//! Organisation pages served from the per-organisation cache (`store::snapshot`): a page's
//! title, head and content blocks are rendered once per data version, viewer, language, day and
//! address (path and query), and every later request only renders the layout around them. So a
//! page whose data did not change costs the one query every page makes, whatever the size of its
//! tables. Forms in a cached block carry a placeholder that is replaced by the viewer's CSRF token.

use actix_web::HttpResponse;
use askama::Template;

use crate::store::snapshot::Fragment;
use crate::web::error::{AppError, AppResult};
use crate::web::page::{PageContext, render};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

/// What a cached block holds where the viewer's CSRF token goes: random per process, so no text
/// a user enters (a title naming a fixed placeholder) can be turned into someone's token. It is
/// replaced before a page is sent, so it never leaves the server.
static CSRF_PLACEHOLDER: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("csrf-placeholder-{}", crate::security::tokens::new_token()));

/// A page template whose blocks render apart (askama's `blocks = ["title", "content"]`).
pub trait Blocks {
    /// The `title` block.
    ///
    /// # Errors
    /// When the template fails.
    fn title(&self) -> askama::Result<String>;
    /// The `content` block.
    ///
    /// # Errors
    /// When the template fails.
    fn content(&self) -> askama::Result<String>;
    /// The `head` block (a stylesheet), empty by default.
    ///
    /// # Errors
    /// When the template fails.
    fn head(&self) -> askama::Result<String> {
        Ok(String::new())
    }
}

/// Implements `Blocks` for page templates derived with `blocks = ["title", "content"]`
/// (and `"head"` with the `head` form).
#[macro_export]
macro_rules! cached_blocks {
    ($page:ty) => {
        impl $crate::web::cached::Blocks for $page {
            fn title(&self) -> askama::Result<String> {
                askama::Template::render(&self.as_title())
            }
            fn content(&self) -> askama::Result<String> {
                askama::Template::render(&self.as_content())
            }
        }
    };
    ($page:ty, head) => {
        impl $crate::web::cached::Blocks for $page {
            fn title(&self) -> askama::Result<String> {
                askama::Template::render(&self.as_title())
            }
            fn content(&self) -> askama::Result<String> {
                askama::Template::render(&self.as_content())
            }
            fn head(&self) -> askama::Result<String> {
                askama::Template::render(&self.as_head())
            }
        }
    };
}

#[derive(Template)]
#[template(path = "cached_page.html")]
struct Shell<'a> {
    ctx: PageContext,
    title: &'a str,
    head: &'a str,
    content: &'a str,
}

/// The page of the route's organisation: from the cache when this viewer saw it at this data
/// version today, otherwise built by `build` (given the context to render with) and kept.
///
/// # Errors
/// What `build` returns; a failed query or template.
pub async fn org_page<T: Blocks>(
    state: &AppState,
    viewer: &Viewer,
    build: impl AsyncFnOnce(PageContext) -> AppResult<T>,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let org = membership.organisation.id;
    let user = viewer.user()?.id;
    let snapshot = state.snapshot(&membership.organisation).await?;
    let ctx = viewer.page(Some(org));
    let key = format!(
        "page|{}|{}|{}|{user}|{}",
        viewer.request_path,
        viewer.lang.code(),
        state.clock.today(),
        membership.role.as_str()
    );
    let fragment = match snapshot.cached(&key) {
        Some(found) => found,
        None => {
            // One build per page at a time: the requests that arrive meanwhile wait for it.
            let lock = snapshot.build_lock(&key);
            let _building = lock.lock().await;
            let built = match snapshot.cached(&key) {
                Some(found) => Ok(found),
                None => build_blocks(build, ctx.for_cache(&CSRF_PLACEHOLDER))
                    .await
                    .and_then(|fragment| snapshot.fragment(key.clone(), || Ok::<_, AppError>(fragment))),
            };
            snapshot.built(&key);
            built?
        }
    };
    let content = fragment.html.replace(CSRF_PLACEHOLDER.as_str(), &ctx.csrf_token);
    render(&Shell { ctx, title: &fragment.title, head: &fragment.head, content: &content })
}

async fn build_blocks<T: Blocks>(
    build: impl AsyncFnOnce(PageContext) -> AppResult<T>,
    ctx: PageContext,
) -> AppResult<Fragment> {
    let page = build(ctx).await?;
    Ok(Fragment { html: page.content()?, title: page.title()?, head: page.head()?, count: 0 })
}
