//! The SMTP relay of `--smtp-url`: lettre speaks the protocol over connections this module
//! opens and keeps, a few of them, reused from one message to the next.
//!
//! It opens the sockets itself to set `TCP_NODELAY`: lettre writes a message and its closing
//! `.` in two writes, and with Nagle's algorithm the second waits for the server's delayed
//! acknowledgement of the first, some 40 ms a message (25 messages a second per connection).
//!
//! What goes wrong before the relay has judged the message (connecting, TLS, AUTH) is
//! temporary, even a 5xx: a wrong password is fixed on this side and must not fail the queue.

use super::transport::Failure;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::rustls::{self, pki_types::ServerName};

/// How long connecting, or sending one message, may take before the attempt counts as failed.
const TIMEOUT: Duration = Duration::from_secs(30);
/// A connection idle longer is closed rather than reused: servers and middleboxes drop idle
/// connections, a closed one would cost a failed attempt and a silently dropped one a timeout.
const IDLE_AT_MOST: Duration = Duration::from_secs(60);

enum Security {
    /// A relay on this host or a private network (and the tests).
    Plain,
    /// STARTTLS after the greeting; `required`: refuse to go on without it.
    StartTls { params: TlsParameters, required: bool },
    /// TLS from the first byte (`smtps://`).
    Implicit { connector: tokio_rustls::TlsConnector, name: ServerName<'static> },
}

pub struct Relay {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    /// Connections kept for the next message, each with when it was last used.
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    /// How many connections are kept at most: as many as messages are sent at once.
    keep: usize,
}

/// Why one send on one connection did not succeed.
enum SendError {
    Smtp(lettre::transport::smtp::Error),
    TimedOut,
}

impl Relay {
    /// `smtp://host:port` (no TLS), `smtp://user:pass@host:587?tls=starttls` (also
    /// `tls=required`, or `tls=opportunistic`: STARTTLS when offered), `smtps://host:465`.
    pub fn from_url(url: &str, keep: usize) -> Result<Relay, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
        let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or("names no host")?.to_owned();
        let tls_param = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let params = || TlsParameters::new(host.clone()).map_err(|e| format!("TLS for {host}: {e}"));
        let (security, default_port) = match (parsed.scheme(), tls_param.as_deref()) {
            ("smtp", None | Some("none")) => (Security::Plain, 25),
            ("smtp", Some("starttls" | "required")) => (Security::StartTls { params: params()?, required: true }, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTls { params: params()?, required: false }, 587),
            ("smtps", None | Some("implicit")) => (implicit(&host)?, 465),
            ("smtp" | "smtps", Some(other)) => {
                return Err(format!("tls={other} is not one of starttls, required, opportunistic"));
            }
            (scheme, _) => return Err(format!("the scheme is {scheme}; use smtp:// or smtps://")),
        };
        Ok(Relay {
            port: parsed.port().unwrap_or(default_port),
            credentials: credentials(&parsed)?,
            host,
            security,
            hello: ClientId::default(),
            idle: Mutex::new(Vec::new()),
            keep,
        })
    }

    /// Hands one message to the relay; `Ok` once it answered 250 to the message.
    pub async fn send(&self, envelope: &Envelope, bytes: &[u8]) -> Result<(), Failure> {
        if let Some(conn) = self.take_idle() {
            match self.send_on(conn, envelope, bytes).await {
                // The server closed the kept connection meanwhile: once more on a new one.
                Err(SendError::Smtp(e)) if !e.is_transient() && !e.is_permanent() => {}
                done => return done.map_err(|e| self.judged(e)),
            }
        }
        let conn = match tokio::time::timeout(TIMEOUT, self.open()).await {
            Ok(opened) => opened?,
            Err(_) => return Err(Failure::Temporary(format!("{}: no connection within {TIMEOUT:?}", self.at()))),
        };
        self.send_on(conn, envelope, bytes).await.map_err(|e| self.judged(e))
    }

    async fn send_on(&self, mut conn: AsyncSmtpConnection, envelope: &Envelope, bytes: &[u8]) -> Result<(), SendError> {
        match tokio::time::timeout(TIMEOUT, conn.send(envelope, bytes)).await {
            Ok(Ok(_)) => {
                self.keep_idle(conn);
                Ok(())
            }
            Ok(Err(e)) => Err(SendError::Smtp(e)),
            Err(_) => Err(SendError::TimedOut),
        }
    }

    /// A new connection: TCP without Nagle, TLS as configured, greeting, STARTTLS, AUTH.
    async fn open(&self) -> Result<AsyncSmtpConnection, Failure> {
        let failed = |what: &str, e: &dyn std::fmt::Display| Failure::Temporary(format!("{}: {what}: {e}", self.at()));
        let tcp = TcpStream::connect((self.host.as_str(), self.port)).await.map_err(|e| failed("connecting", &e))?;
        tcp.set_nodelay(true).map_err(|e| failed("TCP_NODELAY", &e))?;
        let stream: Box<dyn AsyncTokioStream> = match &self.security {
            Security::Implicit { connector, name } => {
                let tls = connector.connect(name.clone(), tcp).await.map_err(|e| failed("TLS", &e))?;
                Box::new(ImplicitTls(tls))
            }
            Security::Plain | Security::StartTls { .. } => Box::new(tcp),
        };
        let mut conn = AsyncSmtpConnection::connect_with_transport(stream, &self.hello)
            .await
            .map_err(|e| failed("greeting", &e))?;
        if let Security::StartTls { params, required } = &self.security
            && (*required || conn.can_starttls())
        {
            conn.starttls(params.clone(), &self.hello).await.map_err(|e| failed("STARTTLS", &e))?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(|e| failed("AUTH", &e))?;
        }
        Ok(conn)
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        idle.retain(|(_, since)| since.elapsed() < IDLE_AT_MOST);
        idle.pop().map(|(conn, _)| conn)
    }

    fn keep_idle(&self, conn: AsyncSmtpConnection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if !conn.has_broken() && idle.len() < self.keep {
            idle.push((conn, Instant::now()));
        }
    }

    /// The relay's answer to the message: only a 5xx is final.
    fn judged(&self, error: SendError) -> Failure {
        match error {
            SendError::Smtp(e) if e.is_permanent() => Failure::Permanent(format!("{}: {e}", self.at())),
            SendError::Smtp(e) => Failure::Temporary(format!("{}: {e}", self.at())),
            SendError::TimedOut => Failure::Temporary(format!("{}: no answer within {TIMEOUT:?}", self.at())),
        }
    }

    fn at(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

fn credentials(url: &url::Url) -> Result<Option<Credentials>, String> {
    if url.username().is_empty() {
        return Ok(None);
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| "the user or password is not UTF-8 once decoded".to_owned())
    };
    Ok(Some(Credentials::new(decode(url.username())?, decode(url.password().unwrap_or(""))?)))
}

/// TLS from the first byte, checked against the Web PKI's roots.
fn implicit(host: &str) -> Result<Security, String> {
    let name = ServerName::try_from(host.to_owned()).map_err(|e| format!("{host} cannot be checked by TLS: {e}"))?;
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Security::Implicit { connector: tokio_rustls::TlsConnector::from(Arc::new(config)), name })
}

/// A TLS stream lettre can speak SMTP over.
#[derive(Debug)]
struct ImplicitTls(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncRead for ImplicitTls {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for ImplicitTls {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}
