//! A TCP relay in front of a backend, cut and restored by a test to stand for a lost network.

use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A loopback relay to a backend (the S3 server, PostgreSQL) that can be cut: while cut, every connection through it
/// (open ones included) is closed, as when the store goes down.
pub struct Relay {
    pub port: u16,
    down: watch::Sender<bool>,
}

impl Relay {
    pub async fn to(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let (down, watching) = watch::channel(false);
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut down = watching.clone();
                if *down.borrow() {
                    continue;
                }
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(target).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = down.wait_for(|d| *d) => {}
                    }
                });
            }
        });
        Relay { port, down }
    }

    pub fn cut(&self) {
        self.down.send_replace(true);
    }

    pub fn restore(&self) {
        self.down.send_replace(false);
    }
}

impl Relay {
    /// A relay on a runtime and thread of its own, for a backend the server reaches while it
    /// blocks the test's runtime (its start-up reads the database on the calling thread).
    pub fn on_its_own_thread(target: SocketAddr) -> Relay {
        let (handing, taking) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let _ = handing.send(Relay::to(target).await);
                std::future::pending::<()>().await
            });
        });
        taking.recv().expect("the relay started")
    }
}
