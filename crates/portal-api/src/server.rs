//! The accept loop: HTTP/1.1 connections with a bound on how many are open at once and how long
//! a client may take to send its request head, so that clients that connect and then trickle
//! (or send nothing) cannot hold every connection. The request body's idle timeout is a layer
//! of the router (`lib.rs`), where a timed-out body becomes an error in the API's shape.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

/// What a client may hold of the server; `Default` is what `portal-api` starts with.
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// From accepting a connection (or the end of its previous request) to the end of the next
    /// request's head; past it the connection is closed.
    pub header_read_timeout: Duration,
    /// Longest wait for the next bytes of a request body (an idle timeout: a slow upload that
    /// keeps sending is never cut off).
    pub body_idle_timeout: Duration,
    /// Connections open at once; past it new ones wait in the listen backlog until one ends.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// Serves until the process is asked to stop (Ctrl-C / SIGINT), then lets open requests finish.
pub async fn serve(listener: TcpListener, app: Router, limits: &ConnectionLimits) -> std::io::Result<()> {
    let shutdown = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        // A slot first: at the cap, the next connection stays in the kernel's backlog.
        let Ok(slot) = slots.clone().acquire_owned().await else { break };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            router.clone().oneshot(request)
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = shutdown.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %remote, "connection ended with an error");
            }
            drop(slot);
        });
    }
    shutdown.shutdown().await;
    Ok(())
}
