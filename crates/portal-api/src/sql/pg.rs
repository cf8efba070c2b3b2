//! PostgreSQL under the common interface: `?N` placeholders become `$N`, [`Value`]s are bound
//! as whatever type the server inferred for each parameter, and each connection keeps its
//! prepared statements so a query is parsed once per connection, not once per call.
//!
//! The store calls blocking functions; tokio-postgres is async. Its connections live on one
//! small runtime of their own, and a call waits on a channel for its answer, so calling from
//! any thread (a blocking task, a test, the start-up code inside the server's runtime) is safe,
//! which a driver that starts a runtime per call (the `postgres` crate) is not.

use super::{Error, Result, Row, Value};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

/// The runtime that drives every PostgreSQL connection of this process.
fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<std::io::Result<tokio::runtime::Runtime>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("postgres").enable_all().build()
        })
        .as_ref()
        .map_err(|e| Error::Unreachable(format!("starting the PostgreSQL runtime: {e}")))
}

/// Runs `work` on the PostgreSQL runtime and waits for its answer on this thread.
fn wait<T: Send + 'static>(work: impl Future<Output = Result<T>> + Send + 'static) -> Result<T> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime()?.spawn(async move {
        let _ = tx.send(work.await);
    });
    rx.recv().map_err(|_| Error::Unreachable("the PostgreSQL task ended without an answer".to_owned()))?
}

/// How long opening a connection may take before the database counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// A connection with its prepared statements.
pub struct Cached {
    client: Arc<tokio_postgres::Client>,
    statements: HashMap<String, tokio_postgres::Statement>,
}

pub fn connect(url: &str) -> Result<Cached> {
    let mut config: tokio_postgres::Config =
        url.parse().map_err(|e| Error::Unreachable(format!("--database-url: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let client = wait(async move {
        let (client, connection) =
            config.connect(tokio_postgres::NoTls).await.map_err(|e| Error::Unreachable(e.to_string()))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "a PostgreSQL connection ended");
            }
        });
        Ok(client)
    })?;
    Ok(Cached { client: Arc::new(client), statements: HashMap::new() })
}

/// Hands out [`Cached`] connections to r2d2, which keeps a pool of them and drops the broken.
pub struct Manager {
    url: String,
}

impl Manager {
    pub fn new(url: &str) -> Manager {
        Manager { url: url.to_owned() }
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = Cached;
    type Error = Error;

    fn connect(&self) -> Result<Cached> {
        connect(&self.url)
    }

    fn is_valid(&self, conn: &mut Cached) -> Result<()> {
        let client = conn.client.clone();
        wait(async move { Ok(client.simple_query("").await.map(drop)?) })
    }

    fn has_broken(&self, conn: &mut Cached) -> bool {
        conn.client.is_closed()
    }
}

pub enum Client {
    Owned(Cached),
    Pooled(r2d2::PooledConnection<Manager>),
}

impl Client {
    pub fn owned(conn: Cached) -> Client {
        Client::Owned(conn)
    }

    fn cached(&mut self) -> &mut Cached {
        match self {
            Client::Owned(conn) => conn,
            Client::Pooled(conn) => conn,
        }
    }

    fn statement(&mut self, sql: &str) -> Result<tokio_postgres::Statement> {
        let conn = self.cached();
        if let Some(statement) = conn.statements.get(sql) {
            return Ok(statement.clone());
        }
        let client = conn.client.clone();
        let text = placeholders(sql);
        let statement = wait(async move { Ok(client.prepare(&text).await?) }).map_err(|e| match e {
            // Which statement the server refused, for the log of an internal error.
            Error::Postgres(e) if e.as_db_error().is_some() => {
                Error::Refused(format!("{}: {sql}", super::postgres_text(&e)))
            }
            e => e,
        })?;
        conn.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    pub fn execute(&mut self, sql: &str, values: &[Value]) -> Result<usize> {
        let statement = self.statement(sql)?;
        let client = self.cached().client.clone();
        let values = values.to_vec();
        let changed = wait(async move {
            let binds: Vec<Bind> = values.iter().map(Bind).collect();
            let params: Vec<&(dyn ToSql + Sync)> = binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
            Ok(client.execute(&statement, &params).await?)
        })
        .inspect_err(|_| self.forget())?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub fn query(&mut self, sql: &str, values: &[Value]) -> Result<Vec<Row>> {
        let statement = self.statement(sql)?;
        let client = self.cached().client.clone();
        let (values, asked) = (values.to_vec(), statement.clone());
        let rows = wait(async move {
            let binds: Vec<Bind> = values.iter().map(Bind).collect();
            let params: Vec<&(dyn ToSql + Sync)> = binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
            Ok(client.query(&asked, &params).await?)
        })
        .inspect_err(|_| self.forget())?;
        let columns: Arc<[String]> = statement.columns().iter().map(|c| c.name().to_owned()).collect();
        rows.iter()
            .map(|row| {
                let values = statement
                    .columns()
                    .iter()
                    .enumerate()
                    .map(|(i, column)| {
                        read(row, i, column.type_())
                            .map_err(|problem| Error::Type { column: column.name().to_owned(), problem })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(Row { columns: columns.clone(), values })
            })
            .collect()
    }

    pub fn batch(&mut self, sql: &str) -> Result<()> {
        let client = self.cached().client.clone();
        let sql = sql.to_owned();
        wait(async move { Ok(client.batch_execute(&sql).await?) })
    }

    /// A statement that failed may have been planned against a schema that has since changed
    /// (another instance migrated): parse afresh next time.
    fn forget(&mut self) {
        self.cached().statements.clear();
    }
}

/// `?N` → `$N`, and a bare `?` → the next number, outside quotes.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut next = 0;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    next += 1;
                    digits = next.to_string();
                } else if let Ok(n) = digits.parse::<usize>() {
                    next = next.max(n);
                }
                out.push('$');
                out.push_str(&digits);
            }
            (None, c) => out.push(c),
        }
    }
    out
}

fn read(row: &tokio_postgres::Row, i: usize, ty: &Type) -> Result<Value, String> {
    let text = |e: tokio_postgres::Error| e.to_string();
    Ok(match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(text)?.map_or(Value::Null, Value::Integer),
        Type::INT4 => row.try_get::<_, Option<i32>>(i).map_err(text)?.map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::INT2 => row.try_get::<_, Option<i16>>(i).map_err(text)?.map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::BOOL => {
            row.try_get::<_, Option<bool>>(i).map_err(text)?.map_or(Value::Null, |v| Value::Integer(v.into()))
        }
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map_err(text)?.map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i).map_err(text)?.map_or(Value::Null, |v| Value::Real(v.into())),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i).map_err(text)?.map_or(Value::Null, Value::Blob),
        ref t if <String as tokio_postgres::types::FromSql>::accepts(t) => {
            row.try_get::<_, Option<String>>(i).map_err(text)?.map_or(Value::Null, Value::Text)
        }
        ref t => return Err(format!("PostgreSQL type {t} is not read by the store; CAST it in the query")),
    })
}

/// A value bound as the type PostgreSQL inferred for its placeholder.
#[derive(Debug)]
struct Bind<'a>(&'a Value);

type BindResult = std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>>;

impl ToSql for Bind<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> BindResult {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                ref t if <&str as ToSql>::accepts(t) => i.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("an integer cannot be bound as {ty}").into()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                ref t if <&str as ToSql>::accepts(t) => f.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("a real cannot be bound as {ty}").into()),
            },
            Value::Text(s) => match *ty {
                ref t if <&str as ToSql>::accepts(t) => s.as_str().to_sql(ty, out),
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                Type::BYTEA => s.as_bytes().to_sql(ty, out),
                _ => Err(format!("text cannot be bound as {ty}").into()),
            },
            Value::Blob(b) => match *ty {
                Type::BYTEA => b.as_slice().to_sql(ty, out),
                _ => Err(format!("a blob cannot be bound as {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(placeholders("SELECT ?1, ?2 WHERE a = ?1"), "SELECT $1, $2 WHERE a = $1");
        assert_eq!(placeholders("a LIKE ? ESCAPE '\\' OR b LIKE ?"), "a LIKE $1 ESCAPE '\\' OR b LIKE $2");
        assert_eq!(placeholders("SELECT '?' , \"q?\" , ?"), "SELECT '?' , \"q?\" , $1");
    }
}
