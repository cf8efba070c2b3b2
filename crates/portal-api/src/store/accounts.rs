use super::tams;
use crate::error::ApiResult;
use crate::pagination;
use crate::sql::{Connection, OptionalExtension, params};
use chrono::{DateTime, Utc};
use portal_contract::{AccountOverview, CaseCounts, Page};

fn counts(conn: &Connection, account_id: &str) -> ApiResult<CaseCounts> {
    let mut counts = CaseCounts::default();
    let mut stmt = conn.prepare_cached(
        "SELECT status, COUNT(*) AS cases, CAST(SUM(CASE WHEN escalated_at IS NOT NULL AND status <> 'resolved' THEN 1 ELSE 0 END) AS BIGINT) AS escalated FROM cases WHERE account_id = ?1 GROUP BY status",
    )?;
    let rows = stmt.query_map(params![account_id], |r| {
        Ok((r.get::<_, String>("status")?, r.get::<_, u32>("cases")?, r.get::<_, u32>("escalated")?))
    })?;
    for row in rows {
        let (status, n, escalated) = row?;
        counts.escalated += escalated;
        match status.as_str() {
            "new" => counts.new = n,
            "in_progress" => counts.in_progress = n,
            "waiting_on_customer" => counts.waiting_on_customer = n,
            "resolution_proposed" => counts.resolution_proposed = n,
            "resolved" => counts.resolved = n,
            _ => {}
        }
    }
    counts.open = counts.new + counts.in_progress + counts.waiting_on_customer + counts.resolution_proposed;
    counts.open_information_requests = super::information_requests::open_on_account(conn, account_id)?;
    Ok(counts)
}

pub fn overview(conn: &Connection, account_id: &str, now: DateTime<Utc>) -> ApiResult<Option<AccountOverview>> {
    let row = conn
        .query_row("SELECT id, name, plan FROM accounts WHERE id = ?1", params![account_id], |r| {
            Ok((r.get::<_, String>("id")?, r.get::<_, String>("name")?, r.get::<_, String>("plan")?))
        })
        .optional()?;
    let Some((id, name, plan)) = row else { return Ok(None) };
    let tam = tams::of_account(conn, &id, now)?.map(|t| t.summary);
    let counts = counts(conn, &id)?;
    Ok(Some(AccountOverview { id: id.into(), name, plan, tam, counts }))
}

/// A page of the given accounts (the ones the caller may see), in name order.
pub fn page(
    conn: &Connection,
    visible: &[(String, String)],
    limit: Option<u32>,
    cursor: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<Page<AccountOverview>> {
    let limit = pagination::limit(limit)? as usize;
    let after = cursor.map(|c| pagination::decode(c, 2)).transpose()?;
    let mut sorted: Vec<&(String, String)> = visible.iter().collect();
    sorted.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    let start: Vec<&(String, String)> =
        sorted.into_iter().filter(|(id, name)| after.as_ref().is_none_or(|p| (name, id) > (&p[0], &p[1]))).collect();
    let mut data = Vec::new();
    for (id, _) in start.iter().take(limit) {
        if let Some(o) = overview(conn, id, now)? {
            data.push(o);
        }
    }
    let next_cursor = (start.len() > limit)
        .then(|| start.get(limit - 1).map(|(id, name)| pagination::encode(&[name.clone(), id.clone()])))
        .flatten();
    Ok(Page { data, next_cursor, total: None })
}
