//! The same load (`load.rs`) against each way of running the API, side by side: one instance
//! on SQLite and its data dir (measured by `api.rs`), one instance on PostgreSQL, and two
//! instances on one PostgreSQL behind a round-robin proxy (`proxy.rs`). Each setup starts
//! from its own fresh `--demo --demo-large` data, so all three serve the same 10,000 cases.
//! The PostgreSQL instances keep their files in one S3 server (moto), under a prefix per
//! setup, as several instances must: an upload created through one may continue on the other.

use super::ADDR;
use super::api::{carol, open_cases};
use super::load::{Load, load};
use super::proxy;
use super::server::{Server, start_server_with_env};
use crate::postgres::Postgres;
use crate::run::Result;
use crate::s3::S3Server;
use std::path::PathBuf;

/// Where the instances behind the proxy listen; the proxy takes the bench's usual address.
const BEHIND_PROXY: [&str; 2] = ["127.0.0.1:18182", "127.0.0.1:18183"];

pub struct Setup {
    pub name: String,
    pub load: Load,
}

fn data_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("bird-bench-{name}-{}", std::process::id()))
}

/// A release instance on `database` and `bucket` at `addr`, with the large demo (seeded by the
/// first one started on that database; a later one finds it there).
fn instance(addr: &str, name: &str, database: &str, s3: &S3Server, prefix: &str) -> Result<(Server, PathBuf)> {
    let data = data_dir(name);
    // The bucket URL takes a path: this setup's own folder in it.
    let bucket = s3.object_store_url().replacen('?', &format!("/{prefix}?"), 1);
    let args = ["--demo", "--demo-large", "--database-url", database, "--object-store", &bucket];
    let server = start_server_with_env(addr, &data, &args, &s3.env())?;
    Ok((server, data))
}

fn measured(addr: &str) -> Result<Load> {
    let cookie = carol(addr)?;
    Ok(load(addr, &cookie, &open_cases(addr, &cookie)?))
}

/// One and then two PostgreSQL instances under the load, each on a database of its own in one
/// throwaway cluster.
pub fn on_postgres() -> Result<Vec<Setup>> {
    let postgres = Postgres::start()?;
    let s3 = crate::s3::start()?;
    let mut setups = Vec::new();

    let url = postgres.create_database("bench_one")?;
    let (server, data) = instance(ADDR, "pg-one", &url, &s3, "bench-one")?;
    setups.push(Setup { name: "1 instance, PostgreSQL 15".into(), load: measured(ADDR)? });
    drop(server);
    let _ = std::fs::remove_dir_all(data);

    let url = postgres.create_database("bench_two")?;
    // One after the other: the first seeds the 10,000 cases, the second finds them.
    let (first, first_data) = instance(BEHIND_PROXY[0], "pg-a", &url, &s3, "bench-two")?;
    let (second, second_data) = instance(BEHIND_PROXY[1], "pg-b", &url, &s3, "bench-two")?;
    let balancer = proxy::start(ADDR, BEHIND_PROXY.iter().map(|a| a.to_string()).collect())?;
    let load = measured(ADDR)?;
    let handed: Vec<usize> = balancer.handed.iter().map(|n| n.load(std::sync::atomic::Ordering::Relaxed)).collect();
    println!("the proxy handed {handed:?} connections to the two instances");
    setups.push(Setup { name: "2 instances, one PostgreSQL 15, round-robin proxy".into(), load });
    drop((balancer, first, second));
    for data in [first_data, second_data] {
        let _ = std::fs::remove_dir_all(data);
    }
    Ok(setups)
}
