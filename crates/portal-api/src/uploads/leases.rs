//! One writer per upload at a time, on every instance at once: a request that writes to an
//! upload (a `PATCH`, a termination, the sweep of an expired one) first takes the upload's
//! lease in the database (`store::upload_leases`), renews it while it works, and releases it
//! when done. Another request meanwhile, on this instance or any other, is told 423.
//!
//! A holder whose process dies stops renewing: its lease runs out after `LEASE` and the upload
//! can be written again. A holder that could not renew in time (the database was away) finds
//! out before it records its bytes, and records nothing.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::sql::Dialect;
use crate::store::upload_leases;
use crate::util::new_id;
use chrono::Utc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
        Ok(Leases { db, process: new_id("proc").into() })
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
                move |conn| {
                    let now = Utc::now();
                    upload_leases::take(conn, &id, &holder, now, now + chrono_of(LEASE))
                }
            })
            .await?;
        if !taken {
            return Err(ApiError::UploadBusy);
        }
        let lost = Arc::new(AtomicBool::new(false));
        let renewing = tokio::spawn(renew(self.db.clone(), upload_id.to_owned(), holder.clone(), lost.clone()));
        Ok(Lease { db: self.db.clone(), upload_id: upload_id.to_owned(), holder, lost, renewing, released: false })
    }
}

fn chrono_of(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// The end of a lease renewed now.
pub fn renewed_until() -> chrono::DateTime<Utc> {
    Utc::now() + chrono_of(LEASE)
}

/// Renews the lease every `RENEW_EVERY` until the holder lets go, or notes that it was lost.
async fn renew(db: Db, upload_id: String, holder: String, lost: Arc<AtomicBool>) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + RENEW_EVERY, RENEW_EVERY);
    loop {
        tick.tick().await;
        let (id, by) = (upload_id.clone(), holder.clone());
        match db.call(move |conn| upload_leases::renew(conn, &id, &by, renewed_until())).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(upload = %upload_id, "the upload's lease ran out and was taken; this request records nothing");
                lost.store(true, Ordering::SeqCst);
                return;
            }
            // Tried again at the next tick; the lease lasts three of them.
            Err(error) => tracing::warn!(upload = %upload_id, ?error, "renewing an upload's lease failed"),
        }
    }
}

/// Held while a request writes to an upload. `release` gives it up once the work is recorded;
/// dropped without that (the request's task ended early), it is given up in the background.
pub struct Lease {
    db: Db,
    upload_id: String,
    holder: String,
    lost: Arc<AtomicBool>,
    renewing: JoinHandle<()>,
    released: bool,
}

impl Lease {
    /// Who holds it, to check in the write that records what it wrote.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Whether a renewal found the lease taken by someone else: nothing may be recorded.
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    /// Gives the lease up before the answer goes out, so the client's next request finds the
    /// upload free. A failure leaves the lease to run out.
    pub async fn release(mut self) {
        self.released = true;
        self.renewing.abort();
        let (id, holder) = (self.upload_id.clone(), self.holder.clone());
        if let Err(error) = self.db.call(move |conn| upload_leases::release(conn, &id, &holder)).await {
            tracing::warn!(upload = %self.upload_id, ?error, "releasing an upload's lease failed; it runs out");
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewing.abort();
        if self.released {
            return;
        }
        let (db, id, holder) = (self.db.clone(), self.upload_id.clone(), self.holder.clone());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = db.call(move |conn| upload_leases::release(conn, &id, &holder)).await {
                    tracing::warn!(?error, "releasing an upload's lease failed; it runs out");
                }
            });
        }
    }
}
