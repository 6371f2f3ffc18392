//! The one list component. A list's state lives in the URL query: `page`, `per` (rows per page,
//! 10 to 200), `sort` (a key the list whitelists with [`SortKey`]), `dir` (`asc`/`desc`), `q` (a
//! free-text search) and the list's own filters. [`ListQuery`] reads it (an extractor: malformed
//! values fall back to the defaults, never an error), hands the store a [`PageRequest`], and turns
//! the [`Page`] it gets back into a [`ListView`] for `templates/list.html`: the summary, the sort
//! headers, the pager and the hidden fields of a filter form, whose links keep every other
//! parameter.

use std::borrow::Borrow;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::domain::Lang;
use crate::i18n;
use crate::store::paging::{Page, PageRequest, SortKey};

/// Rows per page when the URL does not say.
pub const DEFAULT_PER: u64 = 50;
/// The fewest rows per page a URL may ask for.
pub const MIN_PER: u64 = 10;
/// The most rows per page a URL may ask for: a page never grows with the table.
pub const MAX_PER: u64 = 200;
/// The choices the "rows per page" menu offers.
pub const PER_CHOICES: [u64; 5] = [10, 25, 50, 100, 200];

/// The filter of a list that has none besides paging.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize)]
pub struct NoFilter {}

/// The state of one list as read from the URL query.
#[derive(Debug, Clone)]
pub struct ListQuery<S, F> {
    /// The requested page, 1-based (clamped by the store to the pages there are).
    pub page: u64,
    pub per: u64,
    pub sort: S,
    pub descending: bool,
    /// The free-text search (`q`), trimmed; empty for none.
    pub search: String,
    /// The list's own filters; a filter struct that cannot be read is left at its default.
    pub filter: F,
    /// Every parameter as given, for links that change one of them.
    pairs: Vec<(String, String)>,
}

impl<S: SortKey, F: DeserializeOwned + Default> ListQuery<S, F> {
    /// Reads a query string (without the `?`).
    pub fn parse(query: &str) -> Self {
        let pairs: Vec<(String, String)> = serde_html_form::from_str(query).unwrap_or_default();
        let value = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim());
        let sort = value("sort").and_then(S::parse);
        let descending = match (sort, value("dir")) {
            (Some(_), Some("asc")) => false,
            (Some(_), Some("desc")) => true,
            (Some(sort), _) => sort.descending_first(),
            (None, _) => S::DEFAULT.descending_first(),
        };
        Self {
            page: value("page").map_or(1, parse_page),
            per: value("per").map_or(DEFAULT_PER, parse_per),
            sort: sort.unwrap_or(S::DEFAULT),
            descending,
            search: search_text(value("q").unwrap_or_default()),
            filter: serde_html_form::from_str(query).unwrap_or_default(),
            pairs,
        }
    }
}

impl<S: SortKey, F> ListQuery<S, F> {
    /// What the store needs to fetch the page.
    pub fn request(&self) -> PageRequest<S> {
        PageRequest { page: self.page, per: self.per, sort: self.sort, descending: self.descending }
    }

    /// The template's view of the fetched page, with links relative to `path`.
    pub fn view<T>(&self, path: impl Into<String>, page: &Page<T>) -> ListView {
        ListView {
            path: path.into(),
            anchor: String::new(),
            pairs: self.pairs.iter().filter(|(k, v)| k != "page" && !v.trim().is_empty()).cloned().collect(),
            page: page.page,
            pages: page.pages(),
            per: page.per,
            total: page.total,
            shown: page.rows.len() as u64,
            sort: self.sort.key(),
            descending: self.descending,
            is_default_order: self.sort == S::DEFAULT && self.descending == S::DEFAULT.descending_first(),
            sorts: S::ALL.iter().map(|s| (s.key(), s.descending_first())).collect(),
            search: self.search.clone(),
        }
    }
}

impl<S: SortKey, F: DeserializeOwned + Default> Default for ListQuery<S, F> {
    fn default() -> Self {
        Self::parse("")
    }
}

impl<S: SortKey, F: DeserializeOwned + Default> FromRequest for ListQuery<S, F> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::parse(req.query_string())))
    }
}

/// Free text from the URL as a search: at most 200 characters, without control characters
/// (PostgreSQL refuses a NUL in a text parameter).
pub fn search_text(text: &str) -> String {
    text.trim().chars().filter(|c| !c.is_control()).take(200).collect()
}

/// A page number from the URL: garbage is page 1, a number too large for any list the last page.
fn parse_page(text: &str) -> u64 {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return 1;
    }
    text.parse::<u64>().unwrap_or(u64::MAX).max(1)
}

/// Rows per page from the URL, within `MIN_PER..=MAX_PER`; garbage is the default.
fn parse_per(text: &str) -> u64 {
    text.parse::<u64>().map_or(DEFAULT_PER, |n| n.clamp(MIN_PER, MAX_PER))
}

/// One page number of the pager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// The number with thousands separators.
    pub label: String,
    pub href: String,
    /// Whether it is the page shown.
    pub current: bool,
}

/// What `templates/list.html` shows of a list: where the page sits, and links that change one
/// parameter while keeping the others.
#[derive(Debug, Clone)]
pub struct ListView {
    path: String,
    /// Appended to every link (`#incident-checks`), for a list inside a longer page.
    anchor: String,
    /// The query without `page` and without empty values.
    pairs: Vec<(String, String)>,
    /// The page shown, 1-based.
    pub page: u64,
    pub pages: u64,
    pub per: u64,
    /// Rows in the whole filtered list.
    pub total: u64,
    /// Rows on this page.
    pub shown: u64,
    /// The key of the current order.
    pub sort: &'static str,
    pub descending: bool,
    /// Whether the list is in its default order.
    pub is_default_order: bool,
    /// The whitelisted sort keys with their first direction.
    sorts: Vec<(&'static str, bool)>,
    /// The search text, to fill the search box.
    pub search: String,
}

impl ListView {
    /// Links of this list jump to the element `id` of the page.
    #[must_use]
    pub fn with_anchor(mut self, id: &str) -> Self {
        self.anchor = format!("#{id}");
        self
    }

    /// A link to this list with `changes` applied (a `None` or empty value removes the
    /// parameter) and `page` left out unless changed.
    fn href(&self, changes: &[(&str, Option<String>)]) -> String {
        let mut pairs: Vec<(String, String)> =
            self.pairs.iter().filter(|(k, _)| !changes.iter().any(|(c, _)| c == k)).cloned().collect();
        for (key, value) in changes {
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                pairs.push(((*key).to_owned(), value.clone()));
            }
        }
        let query = serde_html_form::to_string(&pairs).unwrap_or_default();
        let separator = if query.is_empty() { "" } else { "?" };
        format!("{}{separator}{query}{}", self.path, self.anchor)
    }

    /// The link to page `n`.
    pub fn page_href(&self, n: u64) -> String {
        self.href(&[("page", (n > 1).then(|| n.to_string()))])
    }

    /// The link that sorts by `key`: the other direction when it is the current order, else the
    /// column's own first direction; back to page 1.
    pub fn sort_href(&self, key: &str) -> String {
        let descending = if key == self.sort {
            !self.descending
        } else {
            self.sorts.iter().find(|(k, _)| *k == key).is_some_and(|(_, first)| *first)
        };
        let dir = if descending { "desc" } else { "asc" };
        self.href(&[("sort", Some(key.to_owned())), ("dir", Some(dir.to_owned()))])
    }

    /// The link back to the list's default order.
    pub fn default_order_href(&self) -> String {
        self.href(&[("sort", None), ("dir", None)])
    }

    /// The link with filter `key` set to `value` (empty: removed), back to page 1.
    pub fn filter_href(&self, key: &str, value: &str) -> String {
        self.href(&[(key, Some(value.to_owned()))])
    }

    /// `aria-sort` of the column `key`, when the list is sorted by it.
    pub fn aria_sort(&self, key: &str) -> Option<&'static str> {
        (key == self.sort).then_some(if self.descending { "descending" } else { "ascending" })
    }

    /// The arrow after the label of the column `key`.
    pub fn arrow(&self, key: &str) -> &'static str {
        match self.aria_sort(key) {
            Some("descending") => "▼",
            Some(_) => "▲",
            None => "",
        }
    }

    /// The hidden fields a filter form carries so that filtering keeps the order and page size.
    pub fn kept_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = Vec::new();
        if !self.is_default_order {
            fields.push(("sort", self.sort.to_owned()));
            fields.push(("dir", if self.descending { "desc" } else { "asc" }.to_owned()));
        }
        fields
    }

    /// The page numbers the pager links to: the first, the last and two either side of the
    /// current one; `None` marks a gap.
    pub fn numbers(&self) -> Vec<Option<u64>> {
        let mut numbers = Vec::new();
        let near = self.page.saturating_sub(2).max(1)..=self.page.saturating_add(2).min(self.pages);
        for n in [1].into_iter().chain(near).chain([self.pages]) {
            match numbers.last() {
                Some(Some(last)) if n <= *last => continue,
                Some(Some(last)) if n > *last + 1 => numbers.push(None),
                _ => {}
            }
            numbers.push(Some(n));
        }
        numbers
    }

    /// The pager's entries: the numbers of `numbers()` with their links, gaps as `None`.
    pub fn page_links(&self) -> Vec<Option<PageLink>> {
        self.numbers()
            .into_iter()
            .map(|n| {
                n.map(|number| PageLink {
                    label: crate::i18n::format::number(number),
                    href: self.page_href(number),
                    current: number == self.page,
                })
            })
            .collect()
    }

    /// The "rows per page" menu: each choice with whether it is the current one.
    pub fn per_options(&self) -> Vec<(u64, bool)> {
        PER_CHOICES.iter().map(|n| (*n, *n == self.per)).collect()
    }

    /// "51–100件 / 全2,000件" or "51–100 of 2,000".
    pub fn summary(&self, lang: impl Borrow<Lang>) -> String {
        let lang = *lang.borrow();
        if self.total == 0 || self.shown == 0 {
            return i18n::t(lang, "list-summary-empty");
        }
        let first = (self.page - 1).saturating_mul(self.per) + 1;
        let last = first + self.shown - 1;
        i18n::t_args(
            lang,
            "list-summary",
            &[
                ("from", crate::i18n::format::number(first)),
                ("to", crate::i18n::format::number(last)),
                ("total", crate::i18n::format::number(self.total)),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Sort {
        Newest,
        Title,
    }

    impl SortKey for Sort {
        const ALL: &'static [Self] = &[Sort::Newest, Sort::Title];
        const DEFAULT: Self = Sort::Newest;

        fn key(self) -> &'static str {
            match self {
                Sort::Newest => "newest",
                Sort::Title => "title",
            }
        }

        fn descending_first(self) -> bool {
            self == Sort::Newest
        }
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    struct Filter {
        status: String,
    }

    fn view(query: &str, total: u64) -> ListView {
        let list = ListQuery::<Sort, Filter>::parse(query);
        let shown = total.min(list.per);
        list.view("/l", &Page { rows: vec![(); shown as usize], total, page: list.page.min(3), per: list.per })
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let list = ListQuery::<Sort, Filter>::parse("page=x&per=-3&sort=drop+table&dir=up&status=%ZZ");
        assert_eq!((list.page, list.per, list.sort, list.descending), (1, DEFAULT_PER, Sort::Newest, true));
        let list = ListQuery::<Sort, Filter>::parse("page=0&per=100000&sort=title");
        assert_eq!((list.page, list.per, list.sort, list.descending), (1, MAX_PER, Sort::Title, false));
        let huge = ListQuery::<Sort, Filter>::parse("page=99999999999999999999999&per=1");
        assert_eq!((huge.page, huge.per), (u64::MAX, MIN_PER));
    }

    #[test]
    fn filters_and_search_are_read_from_the_same_query() {
        let list = ListQuery::<Sort, Filter>::parse("status=open&q=+%E6%BC%8F%E3%81%88%E3%81%84+");
        assert_eq!((list.filter.status.as_str(), list.search.as_str()), ("open", "漏えい"));
    }

    #[test]
    fn links_keep_the_other_parameters() {
        let view = view("status=open&q=a%26b&page=2&sort=title&dir=asc&per=10", 100);
        assert_eq!(view.page_href(3), "/l?status=open&q=a%26b&sort=title&dir=asc&per=10&page=3");
        assert_eq!(view.page_href(1), "/l?status=open&q=a%26b&sort=title&dir=asc&per=10");
        assert_eq!(view.sort_href("title"), "/l?status=open&q=a%26b&per=10&sort=title&dir=desc");
        assert_eq!(view.sort_href("newest"), "/l?status=open&q=a%26b&per=10&sort=newest&dir=desc");
        assert_eq!(view.filter_href("status", ""), "/l?q=a%26b&sort=title&dir=asc&per=10");
        assert_eq!(view.default_order_href(), "/l?status=open&q=a%26b&per=10");
        assert_eq!(
            view.clone().with_anchor("x").page_href(2),
            "/l?status=open&q=a%26b&sort=title&dir=asc&per=10&page=2#x"
        );
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_neighbourhood() {
        let view = |page, pages| ListView { page, pages, ..super::tests::view("", 0) };
        assert_eq!(view(1, 1).numbers(), vec![Some(1)]);
        assert_eq!(view(1, 3).numbers(), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            view(10, 40).numbers(),
            vec![Some(1), None, Some(8), Some(9), Some(10), Some(11), Some(12), None, Some(40)]
        );
        assert_eq!(view(4, 40).numbers()[..5], [Some(1), Some(2), Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn numbers_have_thousands_separators_and_the_summary_is_localised() {
        let view = view("page=2", 2000);
        assert_eq!(view.summary(Lang::En), "51–100 of 2,000");
        assert_eq!(view.summary(Lang::Ja), "51–100件 / 全2,000件");
    }
}
