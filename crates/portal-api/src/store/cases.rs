use crate::error::{ApiError, ApiResult};
use crate::first_response;
use crate::pagination;
use crate::sql::Value;
use crate::sql::{Connection, OptionalExtension, Row, params, params_from_iter};
use crate::util::{new_id, parse_stamp, stamp};
use chrono::{DateTime, Utc};
use portal_contract::{
    CASE_INDEX_MAX, Case, CaseIndex, CaseKind, CaseListQuery, CaseRef, CaseSort, CaseStatus, CaseSummary, Channel,
    EventKind, NewCase, Page, Person, Role, Severity, TimelineEvent, Topic,
};

const SELECT: &str = "SELECT c.id, c.number, c.account_id, c.kind, c.topic, c.severity, c.subject, c.description, \
     c.channel, c.requester_id, r.name AS requester_name, r.role AS requester_role, c.agent_id, \
     a.name AS agent_name, a.role AS agent_role, c.status, c.created_at, c.updated_at, \
     c.first_response_at, c.escalated_at, c.severity_rank, c.escalation_acknowledged_at, \
     c.escalation_acknowledged_by, k.name AS acknowledger_name, k.role AS acknowledger_role, \
     c.follow_up_of, f.number AS follow_up_number \
     FROM cases c JOIN users r ON r.id = c.requester_id LEFT JOIN users a ON a.id = c.agent_id \
     LEFT JOIN users k ON k.id = c.escalation_acknowledged_by LEFT JOIN cases f ON f.id = c.follow_up_of";

/// Bird's own records: the author of status changes, which follow from what someone did.
pub const SYSTEM_USER: &str = "usr_system";

/// The person in the columns `{prefix}_id` (or `id_column`), `{prefix}_name`, `{prefix}_role`.
fn person_at(r: &Row, id_column: &str, prefix: &str) -> crate::sql::Result<Option<Person>> {
    let Some(id) = r.get::<_, Option<String>>(id_column)? else { return Ok(None) };
    Ok(Some(Person {
        id: id.into(),
        name: r.get::<_, Option<String>>(format!("{prefix}_name").as_str())?.unwrap_or_default(),
        role: Role::parse(&r.get::<_, Option<String>>(format!("{prefix}_role").as_str())?.unwrap_or_default()),
    }))
}

fn case_from_row(r: &Row) -> crate::sql::Result<Case> {
    let follow_up_of = match (r.get::<_, Option<String>>("follow_up_of")?, r.get::<_, Option<i64>>("follow_up_number")?)
    {
        (Some(id), Some(number)) => Some(CaseRef { id: id.into(), number: format!("CASE-{number}") }),
        _ => None,
    };
    let mut case = Case {
        id: r.get::<_, String>("id")?.into(),
        number: format!("CASE-{}", r.get::<_, i64>("number")?),
        account_id: r.get::<_, String>("account_id")?.into(),
        kind: CaseKind::parse(&r.get::<_, String>("kind")?),
        topic: r.get::<_, Option<String>>("topic")?.map(|t| Topic::parse(&t)),
        severity: Severity::parse(&r.get::<_, String>("severity")?),
        subject: r.get("subject")?,
        description: r.get("description")?,
        channel: Channel::parse(&r.get::<_, String>("channel")?),
        requester: Person {
            id: r.get::<_, String>("requester_id")?.into(),
            name: r.get("requester_name")?,
            role: Role::parse(&r.get::<_, String>("requester_role")?),
        },
        agent: person_at(r, "agent_id", "agent")?,
        status: CaseStatus::parse(&r.get::<_, String>("status")?),
        created_at: parse_stamp(&r.get::<_, String>("created_at")?),
        updated_at: parse_stamp(&r.get::<_, String>("updated_at")?),
        first_response_at: r.get::<_, Option<String>>("first_response_at")?.map(|s| parse_stamp(&s)),
        escalated_at: r.get::<_, Option<String>>("escalated_at")?.map(|s| parse_stamp(&s)),
        escalation_acknowledged_at: r.get::<_, Option<String>>("escalation_acknowledged_at")?.map(|s| parse_stamp(&s)),
        escalation_acknowledged_by: person_at(r, "escalation_acknowledged_by", "acknowledger")?,
        first_response_due_at: None,
        // Set by `first_response::Overdue` where the answer is made, by the server's clock.
        overdue: false,
        follow_up_of,
    };
    case.first_response_due_at = first_response::due(&case);
    Ok(case)
}

pub fn get(conn: &Connection, case_id: &str) -> ApiResult<Option<Case>> {
    let sql = format!("{SELECT} WHERE c.id = ?1");
    Ok(conn.query_row(&sql, params![case_id], case_from_row).optional()?)
}

/// Escapes `%`, `_` and `\` so a search for "100%" means exactly that.
fn like_pattern(q: &str) -> String {
    let mut out = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The condition of `mine=true`: the case was opened by `user_id` or they follow it.
const MINE: &str = " AND (c.requester_id = ? OR EXISTS \
     (SELECT 1 FROM case_participants p WHERE p.case_id = c.id AND p.user_id = ?))";

/// The `WHERE` clause of a case list's filters (everything but the cursor), and its arguments;
/// `caller_id` is whom `mine` means.
fn filters(account_id: &str, caller_id: &str, q: &CaseListQuery) -> ApiResult<(String, Vec<Value>)> {
    let mut sql = String::from(" WHERE c.account_id = ?");
    let mut args: Vec<Value> = vec![Value::Text(account_id.to_owned())];
    if q.mine == Some(true) {
        sql.push_str(MINE);
        args.extend([Value::Text(caller_id.to_owned()), Value::Text(caller_id.to_owned())]);
    }

    let statuses = q.statuses();
    if statuses.contains(&CaseStatus::Unknown) {
        return Err(ApiError::field("status", "invalid_choice", "is not one of the allowed values"));
    }
    if !statuses.is_empty() {
        sql.push_str(&format!(" AND c.status IN ({})", vec!["?"; statuses.len()].join(",")));
        args.extend(statuses.iter().map(|s| Value::Text(s.as_str().to_owned())));
    }
    if let Some(kind) = q.kind {
        if kind == CaseKind::Unknown {
            return Err(ApiError::field("kind", "invalid_choice", "is not one of the allowed values"));
        }
        sql.push_str(" AND c.kind = ?");
        args.push(Value::Text(kind.as_str().to_owned()));
    }
    if let Some(severity) = q.severity {
        if severity == Severity::Unknown {
            return Err(ApiError::field("severity", "invalid_choice", "is not one of the allowed values"));
        }
        sql.push_str(" AND c.severity = ?");
        args.push(Value::Text(severity.as_str().to_owned()));
    }
    match q.escalated {
        Some(true) => sql.push_str(" AND c.escalated_at IS NOT NULL"),
        Some(false) => sql.push_str(" AND c.escalated_at IS NULL"),
        None => {}
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        sql.push_str(
            " AND (lower(c.subject) LIKE ? ESCAPE '\\' OR lower(c.description) LIKE ? ESCAPE '\\' \
             OR ('case-' || c.number) LIKE ? ESCAPE '\\')",
        );
        let pattern = like_pattern(text);
        args.extend([Value::Text(pattern.clone()), Value::Text(pattern.clone()), Value::Text(pattern)]);
    }
    Ok((sql, args))
}

/// One page of an account's cases, as `caller_id` asks for them, with how many match in all.
/// Keyset pagination on (sort key, id), so rows never repeat or go missing between pages when
/// new cases arrive.
pub fn list(conn: &Connection, account_id: &str, caller_id: &str, q: &CaseListQuery) -> ApiResult<Page<Case>> {
    let limit = pagination::limit(q.limit)?;
    let sort = q.sort.unwrap_or(CaseSort::UpdatedDesc);
    if sort == CaseSort::Unknown {
        return Err(ApiError::field("sort", "invalid_choice", "is not one of the allowed values"));
    }
    let (filter, mut args) = filters(account_id, caller_id, q)?;
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM cases c{filter}"))?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
    let mut sql = format!("{SELECT}{filter}");

    let (time_column, order) = match sort {
        CaseSort::CreatedDesc => ("c.created_at", "c.created_at DESC, c.id DESC"),
        CaseSort::Severity => ("c.updated_at", "c.severity_rank ASC, c.updated_at DESC, c.id DESC"),
        _ => ("c.updated_at", "c.updated_at DESC, c.id DESC"),
    };
    if let Some(cursor) = &q.cursor {
        if sort == CaseSort::Severity {
            let p = pagination::decode(cursor, 3)?;
            let rank: i64 = p[0]
                .parse()
                .map_err(|_| ApiError::field("cursor", "invalid_cursor", "is not a cursor this list gave out"))?;
            sql.push_str(" AND (c.severity_rank > ? OR (c.severity_rank = ? AND (c.updated_at < ? OR (c.updated_at = ? AND c.id < ?))))");
            args.extend([
                Value::Integer(rank),
                Value::Integer(rank),
                Value::Text(p[1].clone()),
                Value::Text(p[1].clone()),
                Value::Text(p[2].clone()),
            ]);
        } else {
            let p = pagination::decode(cursor, 2)?;
            sql.push_str(&format!(" AND ({time_column} < ? OR ({time_column} = ? AND c.id < ?))"));
            args.extend([Value::Text(p[0].clone()), Value::Text(p[0].clone()), Value::Text(p[1].clone())]);
        }
    }
    sql.push_str(&format!(" ORDER BY {order} LIMIT ?"));
    args.push(Value::Integer(i64::from(limit) + 1));

    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut data = Vec::new();
    let mut keys: Vec<Vec<String>> = Vec::new();
    while let Some(row) = rows.next()? {
        let case = case_from_row(&row)?;
        let rank: i64 = row.get("severity_rank")?;
        let key = match sort {
            CaseSort::CreatedDesc => vec![stamp(case.created_at), case.id.to_string()],
            CaseSort::Severity => vec![rank.to_string(), stamp(case.updated_at), case.id.to_string()],
            _ => vec![stamp(case.updated_at), case.id.to_string()],
        };
        data.push(case);
        keys.push(key);
    }
    let more = data.len() > limit as usize;
    data.truncate(limit as usize);
    let next_cursor = if more { keys.get(limit as usize - 1).map(|k| pagination::encode(k)) } else { None };
    Ok(Page { data, next_cursor, total: Some(total.max(0) as u64) })
}

/// Every case of an account as summaries (only `mine_of`'s own when given, as `mine=true`),
/// most recently updated first, for filtering as the person types; at most `CASE_INDEX_MAX`,
/// and says whether that was all of them. Overdue as of `now`.
pub fn index(conn: &Connection, account_id: &str, mine_of: Option<&str>, now: DateTime<Utc>) -> ApiResult<CaseIndex> {
    let mut args: Vec<Value> = vec![Value::Text(account_id.to_owned())];
    let mine = match mine_of {
        Some(user_id) => {
            args.extend([Value::Text(user_id.to_owned()), Value::Text(user_id.to_owned())]);
            MINE
        }
        None => "",
    };
    args.push(Value::Integer(CASE_INDEX_MAX as i64 + 1));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.number, c.kind, c.severity, c.subject, c.channel, c.status, a.name AS agent_name, c.created_at, \
         c.updated_at, c.escalated_at IS NOT NULL AS escalated, c.first_response_at IS NOT NULL AS answered \
         FROM cases c LEFT JOIN users a ON a.id = c.agent_id \
         WHERE c.account_id = ?{mine} ORDER BY c.updated_at DESC, c.id DESC LIMIT ?"
    ))?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut data = Vec::new();
    while let Some(r) = rows.next()? {
        let (status, severity) =
            (CaseStatus::parse(&r.get::<_, String>("status")?), Severity::parse(&r.get::<_, String>("severity")?));
        let created_at = parse_stamp(&r.get::<_, String>("created_at")?);
        let due = first_response::due_of(r.get("answered")?, status, severity, created_at);
        data.push(CaseSummary {
            id: r.get::<_, String>("id")?.into(),
            number: format!("CASE-{}", r.get::<_, i64>("number")?),
            kind: CaseKind::parse(&r.get::<_, String>("kind")?),
            severity,
            subject: r.get("subject")?,
            channel: Channel::parse(&r.get::<_, String>("channel")?),
            status,
            agent: r.get("agent_name")?,
            created_at,
            updated_at: parse_stamp(&r.get::<_, String>("updated_at")?),
            escalated: r.get("escalated")?,
            overdue: due.is_some_and(|due| due <= now),
        });
    }
    let complete = data.len() <= CASE_INDEX_MAX;
    data.truncate(CASE_INDEX_MAX);
    Ok(CaseIndex { data, complete })
}

/// The support agent with the fewest open cases, who takes a new one.
/// When the requester opened the `n`th latest of their cases by `channel` since `since`, on
/// accounts they still belong to; none when they opened fewer.
pub fn nth_latest_opened(
    conn: &Connection,
    requester_id: &str,
    channel: Channel,
    since: DateTime<Utc>,
    n: u32,
) -> ApiResult<Option<DateTime<Utc>>> {
    let created: Option<String> = conn
        .query_row(
            "SELECT created_at FROM cases \
             WHERE account_id IN (SELECT account_id FROM memberships WHERE user_id = ?1) \
               AND requester_id = ?1 AND channel = ?2 AND created_at > ?3 \
             ORDER BY created_at DESC LIMIT 1 OFFSET ?4",
            params![requester_id, channel.as_str(), stamp(since), i64::from(n) - 1],
            |r| r.get("created_at"),
        )
        .optional()?;
    Ok(created.as_deref().map(parse_stamp))
}

/// The case numbered `number` on an account `user_id` belongs to.
pub fn by_number_for_member(conn: &Connection, number: i64, user_id: &str) -> ApiResult<Option<Case>> {
    let sql =
        format!("{SELECT} JOIN memberships m ON m.account_id = c.account_id WHERE c.number = ?1 AND m.user_id = ?2");
    Ok(conn.query_row(&sql, params![number, user_id], case_from_row).optional()?)
}

pub fn least_busy_agent(conn: &Connection) -> ApiResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT u.id FROM users u WHERE u.role = 'agent' ORDER BY \
             (SELECT COUNT(*) FROM cases c WHERE c.agent_id = u.id AND c.status <> 'resolved'), u.id LIMIT 1",
            [],
            |r| r.get("id"),
        )
        .optional()?)
}

fn next_number(conn: &Connection) -> ApiResult<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(number), 1000) + 1 FROM cases", [], |r| r.get(0))?)
}

/// Opens a case (status `new`). The caller runs it inside a transaction.
pub fn create(
    conn: &Connection,
    account_id: &str,
    requester_id: &str,
    agent_id: Option<&str>,
    new: &NewCase,
    channel: Channel,
    at: DateTime<Utc>,
) -> ApiResult<String> {
    let id = new_id("case");
    conn.execute(
        "INSERT INTO cases (id, number, account_id, kind, topic, severity, severity_rank, subject, description, channel, \
         requester_id, agent_id, status, created_at, updated_at, follow_up_of) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'new', ?13, ?13, ?14)",
        params![
            id,
            next_number(conn)?,
            account_id,
            new.kind.as_str(),
            new.topic.map(|t| t.as_str()),
            new.severity.as_str(),
            i64::from(new.severity.rank()),
            new.subject,
            new.description,
            channel.as_str(),
            requester_id,
            agent_id,
            stamp(at),
            new.follow_up_of.as_ref().map(|c| c.as_str()),
        ],
    )?;
    Ok(id)
}

/// The case's events, oldest first; `files` are the case's attachments, to fill in the events
/// that name some (the caller usually has them already).
pub fn timeline(
    conn: &Connection,
    case_id: &str,
    files: &[portal_contract::Attachment],
) -> ApiResult<Vec<TimelineEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.kind, e.author_id, u.name AS author_name, u.role AS author_role, e.body, e.status, e.created_at, e.information_request_id, \
         e.attachment_ids, e.participant_id, p.name AS participant_name, p.role AS participant_role \
         FROM events e JOIN users u ON u.id = e.author_id LEFT JOIN users p ON p.id = e.participant_id \
         WHERE e.case_id = ?1 ORDER BY e.seq",
    )?;
    let rows = stmt.query_map(params![case_id], |r| {
        let ids: Option<String> = r.get("attachment_ids")?;
        let ids: Vec<&str> = ids.as_deref().unwrap_or("").split_whitespace().collect();
        Ok(TimelineEvent {
            id: r.get::<_, String>("id")?.into(),
            kind: EventKind::parse(&r.get::<_, String>("kind")?),
            author: Person {
                id: r.get::<_, String>("author_id")?.into(),
                name: r.get("author_name")?,
                role: Role::parse(&r.get::<_, String>("author_role")?),
            },
            body: r.get("body")?,
            status: r.get::<_, Option<String>>("status")?.map(|s| CaseStatus::parse(&s)),
            created_at: parse_stamp(&r.get::<_, String>("created_at")?),
            information_request_id: r.get::<_, Option<String>>("information_request_id")?.map(Into::into),
            attachments: files.iter().filter(|a| ids.contains(&a.id.as_str())).cloned().collect(),
            participant: match r.get::<_, Option<String>>("participant_id")? {
                Some(id) => Some(Person {
                    id: id.into(),
                    name: r.get("participant_name")?,
                    role: Role::parse(&r.get::<_, String>("participant_role")?),
                }),
                None => None,
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Appends one event to a case's timeline, bumps the case's `updated_at`, and writes the
/// notifications it causes in the same transaction (`mail::outbox`).
pub fn add_event(
    conn: &Connection,
    case_id: &str,
    kind: EventKind,
    author_id: &str,
    body: Option<&str>,
    status: Option<CaseStatus>,
    at: DateTime<Utc>,
) -> ApiResult<String> {
    let id = record_event(conn, case_id, kind, author_id, body, status, at)?;
    crate::mail::outbox::on_event(conn, case_id, &id, kind, author_id, at)?;
    Ok(id)
}

/// `add_event` for a colleague added to or removed from the case: the event names them, and
/// what it causes is written knowing whom it concerns (the colleague is told they were added).
pub fn add_participant_event(
    conn: &Connection,
    case_id: &str,
    kind: EventKind,
    author_id: &str,
    participant_id: &str,
    at: DateTime<Utc>,
) -> ApiResult<String> {
    let id = record_event(conn, case_id, kind, author_id, None, None, at)?;
    conn.execute("UPDATE events SET participant_id = ?2 WHERE id = ?1", params![id, participant_id])?;
    crate::mail::outbox::on_event(conn, case_id, &id, kind, author_id, at)?;
    Ok(id)
}

/// `add_event` without notifications: for history written after the fact (the demo's), which
/// is nobody's news.
pub fn record_event(
    conn: &Connection,
    case_id: &str,
    kind: EventKind,
    author_id: &str,
    body: Option<&str>,
    status: Option<CaseStatus>,
    at: DateTime<Utc>,
) -> ApiResult<String> {
    let id = new_id("evt");
    let seq: i64 =
        conn.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE case_id = ?1", params![case_id], |r| {
            r.get(0)
        })?;
    conn.execute(
        "INSERT INTO events (id, case_id, seq, kind, author_id, body, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, case_id, seq, kind.as_str(), author_id, body, status.map(|s| s.as_str()), stamp(at)],
    )?;
    conn.execute("UPDATE cases SET updated_at = ?2 WHERE id = ?1", params![case_id, stamp(at)])?;
    Ok(id)
}

/// Says which request and files an event is about.
pub fn link_event(
    conn: &Connection,
    event_id: &str,
    information_request_id: Option<&str>,
    attachment_ids: &[String],
) -> ApiResult<()> {
    let ids = (!attachment_ids.is_empty()).then(|| attachment_ids.join(" "));
    conn.execute(
        "UPDATE events SET information_request_id = ?2, attachment_ids = ?3 WHERE id = ?1",
        params![event_id, information_request_id, ids],
    )?;
    Ok(())
}

/// Moves a case to `status`, recording it on the timeline as Bird's system's: a status follows
/// from what someone did (the event before it), it is nobody's message.
pub fn set_status(conn: &Connection, case_id: &str, status: CaseStatus, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute("UPDATE cases SET status = ?2 WHERE id = ?1", params![case_id, status.as_str()])?;
    add_event(conn, case_id, EventKind::StatusChanged, SYSTEM_USER, None, Some(status), at)?;
    Ok(())
}

/// A support agent's answer: the case's first response if it had none, the agent takes a case
/// nobody has, and a `new` case is in progress. Only agents answer cases; a TAM's update is
/// not the first response the severity's target promises.
pub fn record_agent_answer(conn: &Connection, case: &Case, agent_id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    if case.first_response_at.is_none() {
        conn.execute("UPDATE cases SET first_response_at = ?2 WHERE id = ?1", params![case.id.as_str(), stamp(at)])?;
    }
    if case.agent.is_none() {
        conn.execute("UPDATE cases SET agent_id = ?2 WHERE id = ?1", params![case.id.as_str(), agent_id])?;
    }
    if case.status == CaseStatus::New {
        set_status(conn, case.id.as_str(), CaseStatus::InProgress, at)?;
    }
    Ok(())
}

/// The most cases one list of the worklist holds: beyond that the TAM has bigger problems than
/// a long page.
const WORKLIST_MAX: i64 = 100;

/// The accounts' open escalated cases nobody acknowledged yet, newest escalation first.
pub fn unacknowledged_escalations(conn: &Connection, accounts: &[String]) -> ApiResult<Vec<Case>> {
    let sql = format!(
        "{SELECT} WHERE c.account_id IN ({}) AND c.status <> 'resolved' AND c.escalated_at IS NOT NULL \
         AND c.escalation_acknowledged_at IS NULL ORDER BY c.escalated_at DESC, c.id DESC LIMIT {WORKLIST_MAX}",
        vec!["?"; accounts.len()].join(",")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(accounts.iter()), case_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The accounts' open cases still waiting for a first answer that is due by `by`, soonest due
/// first.
pub fn due_by(conn: &Connection, accounts: &[String], by: DateTime<Utc>) -> ApiResult<Vec<Case>> {
    // Days read from the stored stamps; the exact comparison is `first_response::due`'s.
    let dialect = conn.dialect();
    let due = format!("{} + {} / 1440.0", dialect.days("c.created_at"), first_response::target_minutes_sql());
    let sql = format!(
        "{SELECT} WHERE c.account_id IN ({}) AND c.status <> 'resolved' AND c.first_response_at IS NULL \
         AND {due} <= {} ORDER BY {due}, c.id LIMIT {WORKLIST_MAX}",
        vec!["?"; accounts.len()].join(","),
        dialect.days("CAST(? AS TEXT)"),
    );
    let mut args: Vec<Value> = accounts.iter().map(|a| Value::Text(a.clone())).collect();
    args.push(Value::Text(stamp(by)));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), case_from_row)?;
    let cases: Vec<Case> = rows.collect::<Result<_, _>>()?;
    Ok(cases.into_iter().filter(|c| c.first_response_due_at.is_some_and(|due| due <= by)).collect())
}

/// The account's cases waiting on the customer to answer a resolution Bird's side proposed,
/// longest waiting first.
pub fn proposed_by_bird(conn: &Connection, account_id: &str) -> ApiResult<Vec<Case>> {
    let sql = format!(
        "{SELECT} JOIN users p ON p.id = c.resolution_proposed_by WHERE c.account_id = ?1 \
         AND c.status = 'resolution_proposed' AND c.resolution_confirmed_at IS NULL AND p.role IN ('agent', 'tam') \
         ORDER BY c.resolution_proposed_at, c.id LIMIT {WORKLIST_MAX}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![account_id], case_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_wildcards_are_literal() {
        assert_eq!(like_pattern("100%_x\\"), "%100\\%\\_x\\\\%");
        assert_eq!(like_pattern("Bounce"), "%bounce%");
    }
}
