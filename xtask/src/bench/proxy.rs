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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A server that answers each connection with its name after reading the request.
    fn named(name: &'static str) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                let mut request = [0u8; 5];
                let _ = conn.read_exact(&mut request);
                let _ = conn.write_all(format!("{name}:{}", String::from_utf8_lossy(&request)).as_bytes());
            }
        });
        addr
    }

    #[test]
    fn hands_connections_to_the_instances_in_turn_both_ways_whole() {
        let free = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").to_string();
        let proxy = start(&free, vec![named("a"), named("b")]).expect("proxy");
        let answers: Vec<String> = (0..4)
            .map(|n| {
                let mut conn = TcpStream::connect(&free).expect("connect");
                conn.write_all(format!("req-{n}").as_bytes()).expect("send");
                conn.shutdown(Shutdown::Write).expect("half-close");
                let mut answer = String::new();
                conn.read_to_string(&mut answer).expect("answer");
                answer
            })
            .collect();
        assert_eq!(answers, ["a:req-0", "b:req-1", "a:req-2", "b:req-3"]);
        let handed: Vec<usize> = proxy.handed.iter().map(|n| n.load(Ordering::Relaxed)).collect();
        assert_eq!(handed, [2, 2]);
    }
}
