//! One SQL interface over the two databases the server runs on: the embedded SQLite file and
//! PostgreSQL. The store writes its queries once, in the common subset of both dialects, with
//! `?N` placeholders (rewritten to `$N` for PostgreSQL), and reads rows as [`Value`]s, so no
//! code above this module names a driver's types.
//!
//! Architecture Invariant: only `sql/`, `db.rs` and `error.rs` (its conversion of errors) use
//! `rusqlite` or `tokio_postgres`.
//!
//! The few spellings that differ between the dialects are asked of [`Connection::dialect`].

mod pg;
mod value;

pub use value::{FromSql, ToSql, Value};

use std::cell::RefCell;
use std::sync::Arc;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", postgres_text(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// PostgreSQL would not prepare a statement: the words and the statement.
    #[error("{0}")]
    Refused(String),
    #[error("the database is unreachable: {0}")]
    Unreachable(String),
    #[error("the query returned no rows")]
    NoRows,
    #[error("no column {0}")]
    NoColumn(String),
    #[error("column {column}: {problem}")]
    Type { column: String, problem: String },
}

/// tokio-postgres says only "db error" for what the server refused; the server's own words
/// (and its SQLSTATE) are what a log reader needs.
fn postgres_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!(
            "{} ({}){}",
            db.message(),
            db.code().code(),
            db.detail().map(|d| format!(": {d}")).unwrap_or_default()
        ),
        None => e.to_string(),
    }
}

impl Error {
    /// A UNIQUE or PRIMARY KEY constraint refused the write.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            }
            Error::Postgres(e) => e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }

    /// The database could not be reached or dropped the connection: worth a retry later, not
    /// a bug in the request.
    pub fn is_unreachable(&self) -> bool {
        match self {
            Error::Unreachable(_) => true,
            Error::Postgres(e) => {
                use std::error::Error as _;
                // A closed or broken connection, or the server saying it cannot serve now
                // (08 connection exception, 57P operator intervention, 53 insufficient resources).
                e.is_closed()
                    || e.source().is_some_and(|s| s.is::<std::io::Error>())
                    || e.code().is_some_and(|c| ["08", "57P", "53"].iter().any(|class| c.code().starts_with(class)))
            }
            _ => false,
        }
    }
}

/// Which database a connection speaks to, for the few spellings that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Days since an epoch of an RFC 3339 text stamp, as a floating-point number.
    pub fn days(self, stamp: &str) -> String {
        match self {
            Dialect::Sqlite => format!("julianday({stamp})"),
            Dialect::Postgres => format!("(EXTRACT(EPOCH FROM CAST({stamp} AS TIMESTAMPTZ)) / 86400.0)"),
        }
    }
}

/// A result row, read into owned values.
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

/// A column by position or by name (case-insensitive, as SQLite reads them).
pub trait RowIndex {
    fn index(&self, columns: &[String]) -> Result<usize>;
}

impl RowIndex for usize {
    fn index(&self, columns: &[String]) -> Result<usize> {
        if *self < columns.len() { Ok(*self) } else { Err(Error::NoColumn(self.to_string())) }
    }
}

impl RowIndex for &str {
    fn index(&self, columns: &[String]) -> Result<usize> {
        columns.iter().position(|c| c.eq_ignore_ascii_case(self)).ok_or_else(|| Error::NoColumn((*self).to_owned()))
    }
}

impl Row {
    pub fn get<I: RowIndex, T: FromSql>(&self, index: I) -> Result<T> {
        let at = index.index(&self.columns)?;
        T::from_value(&self.values[at]).map_err(|problem| Error::Type { column: self.columns[at].clone(), problem })
    }
}

pub trait OptionalExtension<T> {
    /// No row is `None` rather than an error.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The parameters of one statement.
pub type Params<'a> = &'a [&'a dyn ToSql];

/// `params![a, b]`: the parameters of one statement, in placeholder order.
#[macro_export]
macro_rules! params {
    () => { &[] as &[&dyn $crate::sql::ToSql] };
    ($($param:expr),+ $(,)?) => { &[$(&$param as &dyn $crate::sql::ToSql),+] as &[&dyn $crate::sql::ToSql] };
}
pub use crate::params;

/// Parameters gathered at run time (a filter with optional parts).
pub fn params_from_iter<I>(values: I) -> Vec<Value>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    values.into_iter().map(|v| v.to_value()).collect()
}

/// Anything that can stand for a statement's parameters: `params![…]`, `[]`, or a vector.
pub trait IntoParams {
    fn into_values(self) -> Vec<Value>;
}

impl IntoParams for &[&dyn ToSql] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(|p| p.to_value()).collect()
    }
}

impl<const N: usize> IntoParams for &[&dyn ToSql; N] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(|p| p.to_value()).collect()
    }
}

impl<const N: usize> IntoParams for [&dyn ToSql; N] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(|p| p.to_value()).collect()
    }
}

impl IntoParams for Vec<Value> {
    fn into_values(self) -> Vec<Value> {
        self
    }
}

/// A pool of PostgreSQL connections, each keeping its prepared statements.
pub struct Pool(r2d2::Pool<pg::Manager>);

impl Pool {
    /// Connects lazily: a database that is down at start-up is reported by the first use.
    pub fn new(url: &str, size: u32) -> Result<Pool> {
        if !pg::is_url(url) {
            return Err(Error::Unreachable(format!("--database-url must start with postgres://, not {url:?}")));
        }
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .connection_timeout(std::time::Duration::from_secs(5))
            .build_unchecked(pg::Manager::new(url));
        Ok(Pool(pool))
    }

    pub fn get(&self) -> Result<Connection> {
        let conn = self.0.get().map_err(|e| Error::Unreachable(e.to_string()))?;
        Ok(Connection::postgres(pg::Client::Pooled(conn)))
    }
}

enum Inner {
    Sqlite(rusqlite::Connection),
    Postgres(RefCell<pg::Client>),
}

/// A connection to either database. Like `rusqlite::Connection`, it is used from one thread
/// at a time and its methods take `&self`.
pub struct Connection {
    inner: Inner,
}

impl Connection {
    pub fn sqlite(conn: rusqlite::Connection) -> Connection {
        Connection { inner: Inner::Sqlite(conn) }
    }

    fn postgres(client: pg::Client) -> Connection {
        Connection { inner: Inner::Postgres(RefCell::new(client)) }
    }

    /// Opens a connection by URL (`postgres://…`) or SQLite file path; for tools and tests
    /// that look into a server's database from outside it.
    pub fn open(url_or_path: &str) -> Result<Connection> {
        if pg::is_url(url_or_path) {
            Ok(Connection::postgres(pg::Client::owned(pg::connect(url_or_path)?)))
        } else {
            let conn = rusqlite::Connection::open(url_or_path)?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            Ok(Connection::sqlite(conn))
        }
    }

    pub fn dialect(&self) -> Dialect {
        match &self.inner {
            Inner::Sqlite(_) => Dialect::Sqlite,
            Inner::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, its migrations).
    pub(crate) fn as_sqlite(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Sqlite(conn) => Some(conn),
            Inner::Postgres(_) => None,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl IntoParams) -> Result<usize> {
        let values = params.into_values();
        match &self.inner {
            Inner::Sqlite(conn) => Ok(conn.prepare_cached(sql)?.execute(rusqlite::params_from_iter(values.iter()))?),
            Inner::Postgres(client) => client.borrow_mut().execute(sql, &values),
        }
    }

    /// Runs several statements with no parameters (a schema, a fixture).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Inner::Postgres(client) => client.borrow_mut().batch(sql),
        }
    }

    /// Every row of a query, each mapped by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: impl IntoParams,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.rows(sql, params.into_values())?.iter().map(&mut f).collect()
    }

    /// The first row of a query mapped by `f`; [`Error::NoRows`] when there is none.
    pub fn query_row<T>(&self, sql: &str, params: impl IntoParams, f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        let rows = self.rows(sql, params.into_values())?;
        rows.first().map_or(Err(Error::NoRows), f)
    }

    fn rows(&self, sql: &str, values: Vec<Value>) -> Result<Vec<Row>> {
        match &self.inner {
            Inner::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let columns: Arc<[String]> = stmt.column_names().iter().map(|c| (*c).to_owned()).collect();
                let width = columns.len();
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let values = (0..width).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
                    out.push(Row { columns: columns.clone(), values });
                }
                Ok(out)
            }
            Inner::Postgres(client) => client.borrow_mut().query(sql, &values),
        }
    }

    /// A statement to run later with parameters; kept for the store's `prepare` + `query_map`
    /// habit. Both databases cache the parsed statement per connection.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(Statement { conn: self, sql: sql.to_owned() })
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare(sql)
    }

    /// Begins a transaction; it rolls back when dropped without [`Transaction::commit`].
    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        self.execute_batch("BEGIN")?;
        Ok(Transaction { conn: self, open: true })
    }
}

pub struct Statement<'conn> {
    conn: &'conn Connection,
    sql: String,
}

impl Statement<'_> {
    /// The rows, each mapped by `f`, as an iterator of results (as rusqlite hands them).
    pub fn query_map<T>(
        &mut self,
        params: impl IntoParams,
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut f = f;
        let rows = self.conn.rows(&self.sql, params.into_values())?;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }

    pub fn query_row<T>(&mut self, params: impl IntoParams, f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        self.conn.query_row(&self.sql, params, f)
    }

    /// The rows, to walk with [`Rows::next`].
    pub fn query(&mut self, params: impl IntoParams) -> Result<Rows> {
        Ok(Rows { rows: self.conn.rows(&self.sql, params.into_values())?.into_iter() })
    }

    pub fn execute(&mut self, params: impl IntoParams) -> Result<usize> {
        self.conn.execute(&self.sql, params)
    }
}

pub struct Rows {
    rows: std::vec::IntoIter<Row>,
}

impl Rows {
    /// The next row; a `Result` like rusqlite's, though every row is already read.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row>> {
        Ok(self.rows.next())
    }
}

pub struct Transaction<'conn> {
    conn: &'conn mut Connection,
    open: bool,
}

impl Transaction<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl std::ops::DerefMut for Transaction<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            // A failed rollback leaves a broken connection, which the next use reports.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
