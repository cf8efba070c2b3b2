//! The bench's load balancer: a round-robin TCP proxy, each new connection to the next
//! instance in turn. The bench's client opens one connection per request, so consecutive
//! requests of one simulated customer land on different instances, as they may behind any
//! balancer without sticky sessions.

use crate::run::Result;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

/// A running proxy on `addr`; stops accepting when dropped.
pub struct Proxy {
    addr: String,
    stop: Arc<AtomicBool>,
    /// Connections handed to each instance, in the order of `backends`.
    pub handed: Arc<Vec<AtomicUsize>>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the blocked accept, which then sees the flag.
        let _ = TcpStream::connect(&self.addr);
    }
}

/// Copies one direction until its end, then passes the end on (half-close), so an HTTP
/// `Connection: close` answer ends as it would without the proxy.
fn pipe(mut from: TcpStream, mut to: TcpStream) {
    let _ = std::io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
}

pub fn start(addr: &str, backends: Vec<String>) -> Result<Proxy> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("proxy on {addr}: {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let handed: Arc<Vec<AtomicUsize>> = Arc::new(backends.iter().map(|_| AtomicUsize::new(0)).collect());
    let (stopped, counts) = (stop.clone(), handed.clone());
    thread::spawn(move || {
        let mut next = 0usize;
        for client in listener.incoming() {
            if stopped.load(Ordering::SeqCst) {
                return;
            }
            let Ok(client) = client else { continue };
            let index = next % backends.len();
            next += 1;
            counts[index].fetch_add(1, Ordering::Relaxed);
            let backend = backends[index].clone();
            thread::spawn(move || {
                // A refused connection closes the client's: the bench counts it as an error.
                let Ok(server) = TcpStream::connect(&backend) else { return };
                let _ = (client.set_nodelay(true), server.set_nodelay(true));
                let (Ok(client_read), Ok(server_read)) = (client.try_clone(), server.try_clone()) else { return };
                let upstream = thread::spawn(move || pipe(client_read, server));
                pipe(server_read, client);
                let _ = upstream.join();
            });
        }
    });
    Ok(Proxy { addr: addr.to_owned(), stop, handed })
}
