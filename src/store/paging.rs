//! Paged lists: one count and one page of rows for any query, the page number clamped to the
//! pages there are, and the few pieces every list's query shares (sort keys named in URLs, the
//! direction, a case-insensitive "contains" search).

use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::{ConnectionTrait, DbErr, Order, PaginatorTrait, SelectorTrait};

/// One list's sortable columns, each named by a key that URLs carry (`sort=title`). A key that
/// is not in `ALL` is never used: the list falls back to `DEFAULT`.
pub trait SortKey: Copy + PartialEq + Send + Sync + 'static {
    /// Every sortable column of the list.
    const ALL: &'static [Self];
    /// The order the list has when the URL names none.
    const DEFAULT: Self;

    /// The name of the column in URLs.
    fn key(self) -> &'static str;

    /// Whether a first click sorts this column descending (dates: newest first).
    fn descending_first(self) -> bool {
        false
    }

    /// The column named `key`, if the list has one.
    fn parse(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.key() == key)
    }
}

/// Which page of a list to show, how many rows per page, in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest<S> {
    /// 1-based; larger than the number of pages means the last page.
    pub page: u64,
    /// Rows per page (at least 1).
    pub per: u64,
    pub sort: S,
    pub descending: bool,
}

impl<S> PageRequest<S> {
    /// The SQL direction of the requested order.
    pub fn order(&self) -> Order {
        if self.descending { Order::Desc } else { Order::Asc }
    }

    /// The opposite direction (for a secondary key that runs against the main one).
    pub fn reverse_order(&self) -> Order {
        if self.descending { Order::Asc } else { Order::Desc }
    }
}

/// One page of rows and where it sits in the whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// Rows in the whole (filtered) list.
    pub total: u64,
    /// The page shown, 1-based, after clamping.
    pub page: u64,
    pub per: u64,
}

impl<T> Page<T> {
    /// How many pages the list has (at least one, empty or not).
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per.max(1)).max(1)
    }

    /// One page of rows already in memory (a list computed from the records, never stored),
    /// `page` clamped to the pages there are.
    pub fn of(mut all: Vec<T>, page: u64, per: u64) -> Self {
        let per = per.max(1);
        let total = all.len() as u64;
        let page = page.clamp(1, total.div_ceil(per).max(1));
        let start = usize::try_from((page - 1) * per).unwrap_or(usize::MAX).min(all.len());
        let end = usize::try_from(page * per).unwrap_or(usize::MAX).min(all.len());
        let rows = all.drain(start..end).collect();
        Page { rows, total, page, per }
    }

    /// The same page with its rows turned into something else.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { rows: self.rows.into_iter().map(f).collect(), total: self.total, page: self.page, per: self.per }
    }
}

/// Counts the rows of `query`, clamps `page` to the pages there are and fetches that page: two
/// queries whatever the size of the table. `query` carries the filters and the order.
///
/// # Errors
/// When a query fails.
pub async fn fetch<'db, C, Q>(
    db: &'db C,
    query: Q,
    page: u64,
    per: u64,
) -> Result<Page<<Q::Selector as SelectorTrait>::Item>, DbErr>
where
    C: ConnectionTrait,
    Q: PaginatorTrait<'db, C>,
{
    let per = per.max(1);
    let paginator = query.paginate(db, per);
    let total = paginator.num_items().await?;
    let pages = total.div_ceil(per).max(1);
    let page = page.clamp(1, pages);
    let rows = paginator.fetch_page(page - 1).await?;
    Ok(Page { rows, total, page, per })
}

/// As `fetch`, for a caller that already knows how many rows `query` has (from counts it shows
/// anyway): one query.
///
/// # Errors
/// When the query fails.
pub async fn fetch_known_total<'db, C, Q>(
    db: &'db C,
    query: Q,
    total: u64,
    page: u64,
    per: u64,
) -> Result<Page<<Q::Selector as SelectorTrait>::Item>, DbErr>
where
    C: ConnectionTrait,
    Q: PaginatorTrait<'db, C>,
{
    let per = per.max(1);
    let page = page.clamp(1, total.div_ceil(per).max(1));
    let rows = query.paginate(db, per).fetch_page(page - 1).await?;
    Ok(Page { rows, total, page, per })
}

/// `column` contains `text`, ignoring case (only ASCII case on SQLite, whose `LOWER` knows no
/// other); `%` and `_` in `text` match themselves.
pub fn contains(column: impl Into<Expr>, text: &str) -> Expr {
    use sea_orm::sea_query::ExprTrait;
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Expr::expr(Func::lower(column.into())).like(LikeExpr::new(pattern).escape('!'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_list_has_one_page_and_a_partial_last_page_counts() {
        let page = |total| Page::<()> { rows: Vec::new(), total, page: 1, per: 50 };
        assert_eq!(page(0).pages(), 1);
        assert_eq!(page(50).pages(), 1);
        assert_eq!(page(51).pages(), 2);
        assert_eq!(page(2000).pages(), 40);
    }

    #[test]
    fn a_search_escapes_the_like_wildcards() {
        use sea_orm::sea_query::{Alias, Query, SqliteQueryBuilder};
        let sql = Query::select()
            .column(Alias::new("title"))
            .from(Alias::new("t"))
            .and_where(contains(Expr::col(Alias::new("title")), "50%_Off!"))
            .to_string(SqliteQueryBuilder);
        assert!(sql.contains(r"LIKE '%50!%!_off!!%' ESCAPE '!'"), "{sql}");
    }
}
