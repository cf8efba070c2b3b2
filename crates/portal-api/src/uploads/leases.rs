//! One writer per upload at a time, on every instance at once: a request that writes to an
//! upload (a `PATCH`, a termination, the sweep of an expired one) first takes the upload's
//! lease in the database (`store::upload_leases`), renews it while it works, and releases it
//! when done. Another request meanwhile, on this instance or any other, is told 423.
//!
//! A holder whose process dies stops renewing: its lease runs out after `LEASE` and the upload
//! can be written again. A holder that could not renew in time (the database was away) finds
//! out before it keeps its bytes (it renews once more just before), and keeps nothing.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::sql::{Connection, Dialect};
use crate::store::upload_leases;
use crate::util::new_id;
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long a lease lasts unless renewed: long enough that a slow database does not take it
/// from a live writer, short enough that the portal's retries of a chunk whose instance died
/// (eight, backing off to 30 s: well over 40 s in all) outlast it and find the upload free.
const LEASE: Duration = Duration::from_secs(30);
/// How often a writer renews: three times a lease, so two missed renewals still keep it.
const RENEW_EVERY: Duration = Duration::from_secs(10);

/// Takes the leases of this process's requests.
#[derive(Clone)]
pub struct Leases {
    db: Db,
    /// This process among the instances on the database, so holders of two never look alike.
    process: Arc<str>,
    lease: Duration,
    renew_every: Duration,
}

impl Leases {
    /// The leases of a server starting on `db`. A SQLite file is one process's (several
    /// instances run on PostgreSQL), so the leases in it are of a run that ended, perhaps
    /// killed mid-chunk: forgotten, and its uploads can be resumed at once.
    pub async fn start(db: Db) -> ApiResult<Leases> {
        db.call(|conn| match conn.dialect() {
            Dialect::Sqlite => upload_leases::forget_all(conn),
            Dialect::Postgres => Ok(()),
        })
        .await?;
        Ok(Leases { db, process: new_id("proc").into(), lease: LEASE, renew_every: RENEW_EVERY })
    }

    /// The upload's lease for this request alone; `UploadBusy` while someone else holds it. An
    /// upload deleted since the caller read it has no lease to take: also `UploadBusy`, and the
    /// client's retry is told it is gone.
    pub async fn take(&self, upload_id: &str) -> ApiResult<Lease> {
        let request = crate::error::REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| new_id("task"));
        let holder = format!("{}/{request}", self.process);
        let taken = self
            .db
            .call({
                let (id, holder) = (upload_id.to_owned(), holder.clone());
                let lease = self.lease;
                move |conn| {
                    let now = Utc::now();
                    upload_leases::take(conn, &id, &holder, now, now + chrono_of(lease))
                }
            })
            .await?;
        if !taken {
            return Err(ApiError::UploadBusy);
        }
        let renewal = Renewal { upload_id: upload_id.to_owned(), holder, lease: self.lease };
        let renewing = tokio::spawn(renew(self.db.clone(), renewal.clone(), self.renew_every));
        Ok(Lease { db: self.db.clone(), renewal, renewing, released: false })
    }
}

fn chrono_of(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// What renews one lease: its upload, its holder and how long it lasts.
#[derive(Clone)]
pub struct Renewal {
    upload_id: String,
    holder: String,
    lease: Duration,
}

impl Renewal {
    /// Renews the lease if its holder still has it, in a write of the caller's; whether it does.
    pub fn renew(&self, conn: &Connection) -> ApiResult<bool> {
        upload_leases::renew(conn, &self.upload_id, &self.holder, Utc::now() + chrono_of(self.lease))
    }
}

/// Renews the lease every `every` until the holder lets go or it is lost.
async fn renew(db: Db, renewal: Renewal, every: Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tick.tick().await;
        let this = renewal.clone();
        match db.call(move |conn| this.renew(conn)).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(upload = %renewal.upload_id, "the upload's lease ran out and was taken; this request keeps nothing");
                return;
            }
            // Tried again at the next tick; the lease lasts three of them.
            Err(error) => tracing::warn!(upload = %renewal.upload_id, ?error, "renewing an upload's lease failed"),
        }
    }
}

/// Held while a request writes to an upload. `release` gives it up once the work is recorded;
/// dropped without that (the request's task ended early), it is given up in the background.
pub struct Lease {
    db: Db,
    renewal: Renewal,
    renewing: JoinHandle<()>,
    released: bool,
}

impl Lease {
    /// What renews it, for the write that records what its holder wrote: only a holder that
    /// still has it may.
    pub fn renewal(&self) -> Renewal {
        self.renewal.clone()
    }

    /// Renews it now; whether the holder still has it. Asked before bytes are kept where another
    /// holder's would go: a renewed lease stays this holder's for a whole `LEASE` more.
    pub async fn still_held(&self) -> ApiResult<bool> {
        let renewal = self.renewal.clone();
        self.db.call(move |conn| renewal.renew(conn)).await
    }

    /// Gives the lease up before the answer goes out, so the client's next request finds the
    /// upload free. A failure leaves the lease to run out.
    pub async fn release(mut self) {
        self.released = true;
        self.renewing.abort();
        let Renewal { upload_id, holder, .. } = self.renewal.clone();
        if let Err(error) = self.db.call(move |conn| upload_leases::release(conn, &upload_id, &holder)).await {
            tracing::warn!(upload = %self.renewal.upload_id, ?error, "releasing an upload's lease failed; it runs out");
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewing.abort();
        if self.released {
            return;
        }
        let (db, Renewal { upload_id: id, holder, .. }) = (self.db.clone(), self.renewal.clone());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = db.call(move |conn| upload_leases::release(conn, &id, &holder)).await {
                    tracing::warn!(?error, "releasing an upload's lease failed; it runs out");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn leases(lease_ms: u64, renew_ms: u64) -> (tempfile::TempDir, Leases, String) {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&dir.path().join("portal.sqlite3")).expect("open");
        crate::demo::seed(&db).await.expect("demo");
        let upload = db
            .with(|conn| {
                conn.execute_batch(
                    "INSERT INTO uploads (id, case_id, user_id, file_name, media_type, length, \"offset\", created_at, \
                     expires_at) SELECT 'upl_1', id, requester_id, 'a.log', 'text/plain', 10, 0, created_at, \
                     '9999-01-01T00:00:00.000000Z' FROM cases LIMIT 1",
                )?;
                Ok("upl_1".to_owned())
            })
            .expect("an upload");
        let mut leases = Leases::start(db).await.expect("leases");
        leases.lease = Duration::from_millis(lease_ms);
        leases.renew_every = Duration::from_millis(renew_ms);
        (dir, leases, upload)
    }

    #[tokio::test]
    async fn a_lease_is_renewed_while_held_and_free_once_released() {
        let (_dir, leases, upload) = leases(400, 100).await;
        let held = leases.take(&upload).await.expect("taken");
        tokio::time::sleep(Duration::from_millis(1_000)).await;
        assert!(matches!(leases.take(&upload).await, Err(ApiError::UploadBusy)), "renewed past its first end");
        assert!(held.still_held().await.expect("renew"));
        held.release().await;
        let again = leases.take(&upload).await.expect("free once released");
        drop(again);
        // Dropped without `release`: given up in the background.
        tokio::time::sleep(Duration::from_millis(200)).await;
        leases.take(&upload).await.expect("free once dropped");
    }

    #[tokio::test]
    async fn a_lease_that_ran_out_and_was_taken_is_lost_to_its_first_holder() {
        // Renewed far less often than it lasts: it runs out between renewals.
        let (_dir, leases, upload) = leases(100, 600).await;
        let first = leases.take(&upload).await.expect("taken");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let second = leases.take(&upload).await.expect("ran out: taken by another");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(!first.still_held().await.expect("renew"), "it may keep nothing");
        first.release().await;
        assert!(second.still_held().await.expect("renew"), "its release left the other's");
    }
}
