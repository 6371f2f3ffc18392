//! The PMS 体制 as the dashboard and the audit-prep report show it: each recorded post with its
//! holder's name.

use std::collections::HashMap;

use crate::domain::Lang;
use crate::domain::pms_structure::{Holder, Post};
use crate::domain::term::Term;
use crate::entities::pms_structure;

/// One post and who holds it, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostHeld {
    pub post: Post,
    /// A member's display name, a typed name, or "(former member)" in the reader's language.
    pub holder: String,
}

/// The posts recorded, in the form's order.
pub fn posts_held(
    row: Option<&pms_structure::Model>,
    member_names: &HashMap<i32, String>,
    lang: Lang,
) -> Vec<PostHeld> {
    let Some(row) = row else { return Vec::new() };
    let structure = crate::store::pms_structure::structure_of(row);
    Post::ALL
        .iter()
        .filter_map(|post| {
            let holder = match structure.holder(*post)? {
                Holder::Member(id) => {
                    member_names.get(id).cloned().unwrap_or_else(|| crate::i18n::t(lang, "pms-structure-former-member"))
                }
                Holder::Named(name) => name.clone(),
            };
            Some(PostHeld { post: *post, holder })
        })
        .collect()
}
