//! The database: the embedded SQLite file in the data directory, or PostgreSQL when the server
//! is given `--database-url` (several instances on one database). Either way the store works
//! through [`crate::sql::Connection`] on blocking threads:
//!
//! - `call` runs a closure that writes (or must read what it then writes). Writes are
//!   serialized: on SQLite by its one writer connection behind a mutex; on PostgreSQL by the
//!   same mutex within an instance and one advisory lock across instances, so a read-then-write
//!   in one closure is as atomic on two instances as on one. WAL-mode SQLite and PostgreSQL both
//!   let reads go on meanwhile.
//! - `read` runs a closure that changes nothing on a reader (SQLite's read-only connections,
//!   PostgreSQL's pool), so a page load never queues behind a reply being saved.

use crate::error::{ApiError, ApiResult};
use crate::params;
use crate::sql::{Connection, Pool};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Read-only connections: enough for the two cores of a small host and a few slow reads.
const READERS: usize = 4;

/// Each entry moves the schema one version forward; `PRAGMA user_version` says where a file is.
const MIGRATIONS: &[&str] = &[
    include_str!("schema/001_initial.sql"),
    include_str!("schema/002_resolution.sql"),
    include_str!("schema/003_information_and_uploads.sql"),
    include_str!("schema/004_session_tokens.sql"),
    include_str!("schema/005_what_needs_me.sql"),
    include_str!("schema/006_email.sql"),
    include_str!("schema/007_colleagues.sql"),
    include_str!("schema/008_shared_state.sql"),
];

#[derive(Clone)]
pub struct Db {
    backend: Arc<Backend>,
}

enum Backend {
    Sqlite { writer: Mutex<Connection>, readers: Readers },
    Postgres { pool: Pool, writer: Mutex<()> },
}

/// The advisory lock every instance's writer holds around a write (its number is arbitrary,
/// the same in every instance).
const WRITER_LOCK: i64 = 0x6269_7264_7772;
/// The advisory lock held while migrating, so two instances starting at once migrate once.
const MIGRATION_LOCK: i64 = 0x6269_7264_6d67;
/// PostgreSQL connections per instance: the writer, and readers for the page loads between.
const POOL_SIZE: u32 = 8;

struct Readers {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl Readers {
    /// A free reader if there is one, else waits for the next in turn.
    fn take(&self) -> MutexGuard<'_, Connection> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.conns.len();
        (0..n)
            .find_map(|i| self.conns[(start + i) % n].try_lock().ok())
            .unwrap_or_else(|| self.conns[start % n].lock().unwrap_or_else(PoisonError::into_inner))
    }
}

fn open_reader(path: &Path) -> ApiResult<Mutex<Connection>> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = rusqlite::Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(Mutex::new(Connection::sqlite(conn)))
}

impl Db {
    /// Opens the database the configuration names, migrating it. PostgreSQL's driver blocks, so
    /// this runs on a blocking thread.
    pub async fn connect(database_url: Option<&str>, sqlite_path: &Path) -> ApiResult<Db> {
        let url = database_url.map(str::to_owned);
        let path = sqlite_path.to_owned();
        tokio::task::spawn_blocking(move || match url {
            Some(url) => Db::open_postgres(&url),
            None => Db::open(&path),
        })
        .await
        .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }

    pub fn open(path: &Path) -> ApiResult<Db> {
        let conn = rusqlite::Connection::open(path)?;
        let mut conn = Connection::sqlite(conn);
        if let Some(raw) = conn.as_sqlite() {
            raw.pragma_update(None, "journal_mode", "WAL")?;
            raw.pragma_update(None, "synchronous", "NORMAL")?;
            raw.pragma_update(None, "foreign_keys", "ON")?;
            raw.busy_timeout(std::time::Duration::from_secs(5))?;
            migrate(raw)?;
        }
        // Opened after the writer set WAL mode and migrated, so they read the current schema.
        let conns = (0..READERS).map(|_| open_reader(path)).collect::<ApiResult<_>>()?;
        let readers = Readers { conns, next: AtomicUsize::new(0) };
        Ok(Db { backend: Arc::new(Backend::Sqlite { writer: Mutex::new(conn), readers }) })
    }

    pub fn open_postgres(url: &str) -> ApiResult<Db> {
        let pool = Pool::new(url, POOL_SIZE)?;
        let mut conn = pool.get()?;
        migrate_postgres(&mut conn)?;
        Ok(Db { backend: Arc::new(Backend::Postgres { pool, writer: Mutex::new(()) }) })
    }

    /// Runs `f` with the writer on this thread (for command-line tools and blocking threads).
    pub fn with<T>(&self, f: impl FnOnce(&mut Connection) -> ApiResult<T>) -> ApiResult<T> {
        match &*self.backend {
            Backend::Sqlite { writer, .. } => {
                // A panic while holding the lock poisons it; the connection itself is still sound.
                let mut conn = writer.lock().unwrap_or_else(PoisonError::into_inner);
                f(&mut conn)
            }
            Backend::Postgres { pool, writer } => {
                let _one_writer_here = writer.lock().unwrap_or_else(PoisonError::into_inner);
                let mut conn = pool.get()?;
                conn.execute_batch(&format!("SELECT pg_advisory_lock({WRITER_LOCK})"))?;
                let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut conn)));
                // Released even after a panic: a pooled connection must not keep every other
                // instance's writer waiting. If this fails the connection is broken, and closing
                // it releases the lock as well.
                let _ = conn.execute_batch(&format!("SELECT pg_advisory_unlock({WRITER_LOCK})"));
                done.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }
        }
    }

    /// Runs `f` with a reader on this thread.
    fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> ApiResult<T>) -> ApiResult<T> {
        match &*self.backend {
            Backend::Sqlite { readers, .. } => f(&readers.take()),
            Backend::Postgres { pool, .. } => f(&pool.get()?),
        }
    }

    /// Runs `f` with a reader on a blocking thread: it sees every committed write and never
    /// waits for the writer.
    pub async fn read<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> ApiResult<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.with_reader(f))
            .await
            .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }

    /// Runs `f` with the writer on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> ApiResult<T> + Send + 'static,
    {
        let db = self.clone();
        let request_id = crate::error::REQUEST_ID.try_with(Clone::clone).ok();
        tokio::task::spawn_blocking(move || {
            crate::error::WRITING_FOR.with(|w| *w.borrow_mut() = request_id);
            let done = db.with(f);
            crate::error::WRITING_FOR.with(|w| *w.borrow_mut() = None);
            done
        })
        .await
        .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }
}

/// PostgreSQL's migrations: a fresh database gets today's schema in one step (there was never
/// a PostgreSQL database of an older one); later steps are appended here. `schema_version`
/// says where a database is; the advisory lock makes two instances starting at once take
/// turns, the second finding nothing to do.
/// A later step written in the SQL both databases speak is one file for both.
const POSTGRES_MIGRATIONS: &[&str] =
    &[include_str!("schema/postgres/001_initial.sql"), include_str!("schema/008_shared_state.sql")];

fn migrate_postgres(conn: &mut Connection) -> ApiResult<()> {
    conn.execute_batch(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
    let migrated = (|| {
        conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
        let version: Option<i64> = conn.query_row("SELECT MAX(version) FROM schema_version", [], |r| r.get(0))?;
        let version = usize::try_from(version.unwrap_or(0)).unwrap_or(0);
        for (index, sql) in POSTGRES_MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.execute("INSERT INTO schema_version (version) VALUES (?1)", params![index + 1])?;
            tx.commit()?;
        }
        Ok(())
    })();
    conn.execute_batch(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
    migrated
}

/// Runs the migrations the file has not had, each in its own transaction. Foreign keys are off
/// meanwhile (SQLite's way to rebuild a table others refer to) and checked before each commit,
/// so a migration that leaves a dangling reference fails instead.
fn migrate(conn: &mut rusqlite::Connection) -> ApiResult<()> {
    let version: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version >= MIGRATIONS.len() {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = MIGRATIONS.iter().enumerate().skip(version).try_for_each(|(index, sql)| {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        let dangling: i64 = tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if dangling > 0 {
            return Err(ApiError::Internal(format!("migration {} leaves {dangling} dangling references", index + 1)));
        }
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
        Ok(())
    });
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrated
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page load while a long write holds the writer: it must answer from a reader. (With one
    /// connection for both, this read waited for the writer and the test timed out.)
    // Holding the writer across the read is the point: it stands for a long write.
    #[allow(clippy::await_holding_lock)]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_does_not_wait_for_the_writer() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&dir.path().join("portal.sqlite3")).expect("open");
        let Backend::Sqlite { writer, .. } = &*db.backend else { panic!("a SQLite file opened as PostgreSQL") };
        let writing = writer.lock().expect("writer");
        let read = db.read(|conn| Ok(conn.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get::<_, i64>(0))?));
        let cases = tokio::time::timeout(std::time::Duration::from_secs(30), read).await;
        drop(writing);
        assert_eq!(cases.expect("the read waited for the writer").expect("read"), 0);
    }

    #[tokio::test]
    async fn a_reader_refuses_to_write() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&dir.path().join("portal.sqlite3")).expect("open");
        let written = db.read(|conn| Ok(conn.execute("DELETE FROM users", [])?)).await;
        assert!(written.is_err(), "a read-only connection wrote");
    }

    /// A file from before migration 5 keeps its people and cases, and its records read as the
    /// rules now say: status changes are Bird's, a TAM's update is no first response, and a
    /// file picked for a request not yet answered is held with no event of its own.
    #[test]
    fn migration_five_keeps_the_data_and_corrects_the_records() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("portal.sqlite3");
        let old = rusqlite::Connection::open(&path).expect("open");
        for sql in &MIGRATIONS[..4] {
            old.execute_batch(sql).expect("an earlier migration");
        }
        old.pragma_update(None, "user_version", 4).expect("version");
        old.execute_batch(
            "INSERT INTO users VALUES ('usr_ada', 'ada@acme.example', 'Ada', 'customer', 'h'), \
                 ('usr_tess', 'tess@bird.example', 'Tess', 'tam', 'h'), ('usr_alex', 'alex@bird.example', 'Alex', 'agent', 'h');
             INSERT INTO accounts VALUES ('acc', 'Acme', 'Premium Email', NULL);
             INSERT INTO cases (id, number, account_id, kind, severity, severity_rank, subject, description, channel, \
                 requester_id, status, created_at, updated_at, first_response_at) VALUES \
                 ('c_tam', 1001, 'acc', 'problem', 'high', 1, 's', 'd', 'portal', 'usr_ada', 'in_progress', 't0', 't2', 't1'), \
                 ('c_agent', 1002, 'acc', 'problem', 'high', 1, 's', 'd', 'portal', 'usr_ada', 'waiting_on_customer', 't0', 't4', 't1');
             INSERT INTO events (id, case_id, seq, kind, author_id, body, status, created_at) VALUES \
                 ('e1', 'c_tam', 1, 'progress_update', 'usr_tess', 'b', NULL, 't1'), \
                 ('e2', 'c_tam', 2, 'status_changed', 'usr_ada', NULL, 'in_progress', 't1'), \
                 ('e3', 'c_agent', 1, 'message', 'usr_alex', 'b', NULL, 't1'), \
                 ('e4', 'c_agent', 2, 'information_request_raised', 'usr_alex', 'Logs', NULL, 't2');
             INSERT INTO information_requests (id, case_id, title, description, files_expected, status, raised_by, created_at) \
                 VALUES ('ir', 'c_agent', 'Logs', 'd', 1, 'open', 'usr_alex', 't2');
             INSERT INTO attachments VALUES ('att', 'c_agent', NULL, 'a.log', 'text/plain', 3, 'x', 'usr_ada', 't3');
             INSERT INTO uploads (id, case_id, information_request_id, user_id, file_name, media_type, length, offset, \
                 created_at, expires_at, attachment_id) VALUES ('upl', 'c_agent', 'ir', 'usr_ada', 'a.log', 'text/plain', 3, 3, 't3', 't9', 'att');
             INSERT INTO events (id, case_id, seq, kind, author_id, created_at, information_request_id, attachment_ids) \
                 VALUES ('e5', 'c_agent', 3, 'attachment_added', 'usr_ada', 't3', 'ir', 'att');",
        )
        .expect("data of version 4");
        drop(old);

        let db = Db::open(&path).expect("migrates");
        let one =
            |sql: &str| db.with(|conn| Ok(conn.query_row(sql, [], |r| r.get::<_, Option<String>>(0))?)).expect(sql);
        assert_eq!(one("SELECT author_id FROM events WHERE id = 'e2'").as_deref(), Some("usr_system"));
        assert_eq!(one("SELECT author_id FROM events WHERE id = 'e1'").as_deref(), Some("usr_tess"));
        assert_eq!(one("SELECT role FROM users WHERE id = 'usr_system'").as_deref(), Some("system"));
        assert_eq!(one("SELECT first_response_at FROM cases WHERE id = 'c_tam'"), None, "a TAM's update");
        assert_eq!(one("SELECT first_response_at FROM cases WHERE id = 'c_agent'").as_deref(), Some("t1"));
        assert_eq!(one("SELECT held_for_request FROM attachments WHERE id = 'att'").as_deref(), Some("ir"));
        assert_eq!(one("SELECT COUNT(*) || '' FROM events WHERE id = 'e5'").as_deref(), Some("0"));
        assert_eq!(one("SELECT COUNT(*) || '' FROM users").as_deref(), Some("4"), "the people stay");
        let on: i64 = db.with(|conn| Ok(conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?)).expect("pragma");
        assert_eq!(on, 1, "foreign keys are back on");
        assert!(!crate::auth::verify_password("", "!"), "nobody signs in as the system");
    }
}
