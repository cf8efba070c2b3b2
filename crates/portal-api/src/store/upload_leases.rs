//! Who is writing to an upload, for every instance on the database: one lease per upload, held
//! by one request (`holder`) until it is released or runs out (`expires_at`). A holder that dies
//! stops renewing, and its lease runs out; nothing else ever has to clean up after it.

use crate::error::ApiResult;
use crate::sql::{Connection, params};
use crate::util::stamp;
use chrono::{DateTime, Utc};

/// Takes the lease of an upload that exists when nobody holds a live one; whether it was taken.
/// One statement, so two instances asking at once cannot both be told yes: the insert finds the
/// other's row and updates it only if that lease ran out.
pub fn take(
    conn: &Connection,
    upload_id: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> ApiResult<bool> {
    // `WHERE id = ?1` also keeps SQLite from reading ON CONFLICT as a join of the SELECT.
    let changed = conn.execute(
        "INSERT INTO upload_leases (upload_id, holder, expires_at) \
         SELECT id, CAST(?2 AS TEXT), CAST(?3 AS TEXT) FROM uploads WHERE id = ?1 \
         ON CONFLICT (upload_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
         WHERE upload_leases.expires_at <= ?4",
        params![upload_id, holder, stamp(until), stamp(now)],
    )?;
    Ok(changed == 1)
}

/// Moves the end of a lease the holder still has; whether it still has it. A lease that ran
/// out but that nobody took since is still the holder's: nobody else wrote meanwhile.
pub fn renew(conn: &Connection, upload_id: &str, holder: &str, until: DateTime<Utc>) -> ApiResult<bool> {
    let changed = conn.execute(
        "UPDATE upload_leases SET expires_at = ?3 WHERE upload_id = ?1 AND holder = ?2",
        params![upload_id, holder, stamp(until)],
    )?;
    Ok(changed == 1)
}

/// Gives the lease up, if the holder still has it.
pub fn release(conn: &Connection, upload_id: &str, holder: &str) -> ApiResult<()> {
    conn.execute("DELETE FROM upload_leases WHERE upload_id = ?1 AND holder = ?2", params![upload_id, holder])?;
    Ok(())
}

/// Forgets every lease: for a server starting on a database no other process can be writing to.
pub fn forget_all(conn: &Connection) -> ApiResult<()> {
    conn.execute("DELETE FROM upload_leases", params![])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::store::uploads::{self, UploadRow};
    use chrono::Duration;

    fn upload(conn: &Connection, id: &str) {
        // An upload row needs a case and a user; the demo has both.
        let (case_id, user_id): (String, String) = conn
            .query_row("SELECT id, requester_id FROM cases LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("a demo case");
        let now = Utc::now();
        let row = UploadRow {
            id: id.to_owned(),
            case_id,
            information_request_id: None,
            user_id,
            file_name: "a.log".into(),
            media_type: "text/plain".into(),
            length: 10,
            offset: 0,
            created_at: now,
            expires_at: now + Duration::days(1),
            attachment_id: None,
        };
        uploads::insert(conn, &row).expect("upload");
    }

    #[tokio::test]
    async fn one_holder_at_a_time_until_released_or_run_out() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&dir.path().join("portal.sqlite3")).expect("open");
        crate::demo::seed(&db).await.expect("demo");
        db.with(|conn| {
            upload(conn, "upl_1");
            let now = Utc::now();
            let minute = now + Duration::seconds(60);
            assert!(take(conn, "upl_1", "a", now, minute)?);
            assert!(!take(conn, "upl_1", "b", now, minute)?, "a holds it");
            assert!(!take(conn, "upl_2", "b", now, minute)?, "no such upload: nothing to lease");
            assert!(renew(conn, "upl_1", "a", minute)?);
            assert!(!renew(conn, "upl_1", "b", minute)?, "b never had it");
            let later = minute + Duration::seconds(1);
            assert!(take(conn, "upl_1", "b", later, later + Duration::seconds(60))?, "a's ran out");
            assert!(!renew(conn, "upl_1", "a", later)?, "a lost it to b");
            release(conn, "upl_1", "a")?;
            assert!(!take(conn, "upl_1", "c", later, later)?, "a's release does not end b's");
            release(conn, "upl_1", "b")?;
            assert!(take(conn, "upl_1", "c", later, later)?);
            uploads::delete(conn, "upl_1")?;
            let left: i64 = conn.query_row("SELECT COUNT(*) FROM upload_leases", [], |r| r.get(0))?;
            assert_eq!(left, 0, "the lease goes with its upload");
            Ok(())
        })
        .expect("leases");
    }
}
