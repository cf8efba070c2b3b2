use clap::Parser;
use portal_api::{ServerConfig, build, serve};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// The reference API of the Bird Premium Support Portal; also serves the built portal.
#[derive(Parser, Debug)]
#[command(name = "portal-api", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Where the SQLite database (and uploads) live; created if missing.
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// The built portal (Trunk's dist/); any path that is not the API falls back to its index.html.
    #[arg(long, default_value = "dist")]
    static_dir: PathBuf,
    /// Seed demo accounts, users, a TAM and cases (idempotent on restart).
    #[arg(long)]
    demo: bool,
    /// With --demo: also "Umbrella Logistics" with 10,000 cases (carol@umbrella.example).
    #[arg(long, requires = "demo")]
    demo_large: bool,
    /// Token Bird's inbound email relay must send in X-MessageSystems-Webhook-Token
    /// (`--demo` uses demo-relay-token).
    #[arg(long)]
    relay_token: Option<String>,
    /// Days after resolution during which a customer may reopen a case.
    #[arg(long, default_value_t = 14)]
    reopen_window_days: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "portal_api=info".into()),
        )
        .init();
    let args = Args::parse();
    let mut config = ServerConfig::new(args.data_dir, args.static_dir, args.demo);
    config.demo_large = args.demo_large;
    config.reopen_window_days = args.reopen_window_days;
    if args.relay_token.is_some() {
        config.relay_token = args.relay_token;
    }
    let app = match build(config).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("portal-api: cannot start: {e:?}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("portal-api: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    println!("Bird Premium Support Portal: http://{}/", args.addr);
    if args.demo {
        println!("{}", portal_api::demo::CREDENTIALS);
    }
    match serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portal-api: {e}");
            ExitCode::FAILURE
        }
    }
}
