//! The `WHERE … ORDER BY … LIMIT` tail of every paginated list, shared by both engines.

use sqlx::QueryBuilder;
use tonearm_domain::{PageRequest, Sort};

use crate::engine::Engine;
use crate::query::PushArg;

/// Appends the keyset condition (when continuing from a cursor), the order and a limit one
/// larger than the page, so the caller learns whether another page follows.
/// `alias` names the table whose `sort_name`, `added_at`, `year` and `id` are sorted on.
pub(crate) fn push_page_tail<DB: Engine>(query: &mut QueryBuilder<DB>, alias: &str, page: &PageRequest) {
    if let Some(after) = &page.after {
        match page.sort {
            Sort::Name => {
                query.push(format_args!(" WHERE ({alias}.sort_name, {alias}.id) > ("));
                query.push_arg(after.text.clone().unwrap_or_default());
            }
            Sort::DateAdded => {
                query.push(format_args!(" WHERE ({alias}.added_at, {alias}.id) < ("));
                query.push_arg(after.number);
            }
            Sort::Year => {
                query.push(format_args!(" WHERE (COALESCE({alias}.year, 0), {alias}.id) < ("));
                query.push_arg(i32::try_from(after.number).unwrap_or(i32::MAX));
            }
        }
        query.push(", ");
        query.push_arg(after.id);
        query.push(")");
    }
    match page.sort {
        Sort::Name => query.push(format_args!(" ORDER BY {alias}.sort_name, {alias}.id")),
        Sort::DateAdded => query.push(format_args!(" ORDER BY {alias}.added_at DESC, {alias}.id DESC")),
        Sort::Year => query.push(format_args!(" ORDER BY COALESCE({alias}.year, 0) DESC, {alias}.id DESC")),
    };
    query.push(" LIMIT ");
    query.push_arg(i64::from(page.limit) + 1);
}
