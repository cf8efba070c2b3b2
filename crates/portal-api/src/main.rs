use clap::Parser;
use portal_api::{ServerConfig, build, serve};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// The reference API of the Bird Premium Support Portal; also serves the built portal.
#[derive(Parser, Debug)]
#[command(name = "portal-api", version, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
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
    /// The designated address customers write to, shown on the portal's pages: mail to it with
    /// `CASE-n` in the subject joins that case.
    #[arg(long, default_value = portal_api::state::DEFAULT_SUPPORT_ADDRESS)]
    support_address: String,
    /// Where notification emails go: `smtp://host:port`, `smtp://user:pass@host:587?tls=starttls`,
    /// `smtps://host:465`. Without it each email is written as an `.eml` file into
    /// `<data-dir>/outbox/`.
    #[arg(long)]
    smtp_url: Option<String>,
    /// The `From:` of notification emails.
    #[arg(long, default_value = portal_api::mail::DEFAULT_MAIL_FROM)]
    mail_from: String,
    /// Replies to notifications go to `reply+<token>@<this domain>`, which Bird's inbound relay
    /// posts to the relay webhook.
    #[arg(long, default_value = portal_api::mail::DEFAULT_REPLY_DOMAIN)]
    reply_domain: String,
    /// The portal's address as people reach it, for the links in emails (default: http://<addr>).
    #[arg(long)]
    public_url: Option<String>,
    /// Largest file a customer may upload, in bytes (advertised as Tus-Max-Size).
    #[arg(long, default_value_t = 2 * 1024 * 1024 * 1024)]
    upload_max_bytes: u64,
    /// Narrows the accepted files to the extensions (of the built-in allow-list: logs, mail,
    /// JSON/XML/YAML, PDF, archives, images, packet captures) served as one of these media
    /// types, comma-separated; `type/*` takes a family. Default: the whole allow-list.
    #[arg(long, value_delimiter = ',')]
    upload_media_types: Vec<String>,
    /// How many cases one person may open through the API in an hour (a retry with the same
    /// Idempotency-Key does not count again).
    #[arg(long, default_value_t = portal_api::state::DEFAULT_CASES_PER_HOUR)]
    cases_per_hour: u32,
    /// Sign-ins, right or wrong, one client address may try a minute.
    #[arg(long, default_value_t = portal_api::rate_limit::ATTEMPTS_PER_MINUTE)]
    sign_ins_per_minute: usize,
    /// Keep attachments and upload parts in an S3-compatible store instead of the data dir:
    /// `s3://bucket?endpoint=http://host:port&region=r` (credentials from AWS_ACCESS_KEY_ID and
    /// AWS_SECRET_ACCESS_KEY).
    #[arg(long)]
    object_store: Option<String>,
    /// What one account's files (attachments and unfinished uploads) may occupy in all, in bytes.
    #[arg(long, default_value_t = portal_api::state::DEFAULT_STORAGE_QUOTA)]
    storage_quota_bytes: u64,
    /// Most files (finished or uploading) one case may carry.
    #[arg(long, default_value_t = 100)]
    upload_files_per_case: u32,
    /// An unfinished upload is deleted this many seconds after it was created.
    #[arg(long, default_value_t = 24 * 60 * 60)]
    upload_expiry_seconds: u64,
    /// Who may show the portal in a frame (CSP `frame-ancestors`), e.g. `'self'
    /// https://dashboard.bird.example`; default `'self'`.
    #[arg(long, value_delimiter = ',')]
    frame_ancestors: Vec<String>,
    /// The portal is reached over HTTPS (e.g. behind a TLS proxy): the session cookie is
    /// `__Host-portal_session` and `Secure`, and answers carry `Strict-Transport-Security`.
    /// Without it, the same holds for requests a trusted proxy marks `X-Forwarded-Proto: https`.
    #[arg(long)]
    secure_cookies: bool,
    /// Seconds a client may take to send a request's head (from connecting, or from the end of
    /// its previous request); slower connections are closed.
    #[arg(long, default_value_t = 10)]
    header_read_timeout_seconds: u64,
    /// Seconds a request body may pause between bytes before the request is abandoned.
    #[arg(long, default_value_t = 30)]
    body_idle_timeout_seconds: u64,
    /// Connections served at once; more wait until one ends.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// A proxy (or range of them, e.g. `10.0.0.0/8`, `fd00::/8`) in front of the server; repeat
    /// for several. Only from these peers are `X-Forwarded-For` (who the client is, for sign-in
    /// throttling) and `X-Forwarded-Proto` believed.
    #[arg(long = "trusted-proxy", value_name = "CIDR")]
    trusted_proxy: Vec<portal_api::client_addr::Cidr>,
    /// The most bytes the portal sends in one PATCH.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    upload_chunk_bytes: u64,
    /// FOR TESTS ONLY, never in production: `POST /api/v1/test-clock` `{"advance_seconds": N}`
    /// (any signed-in person) moves the server's clock N seconds forward, so first responses
    /// fall due and overdue without waiting. Without the flag that route answers 404.
    #[arg(long)]
    test_clock: bool,
    /// PostgreSQL instead of the data dir's SQLite file (`postgres://user:pass@host/db`), so
    /// several instances can serve one portal; migrated on start.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Bird changes a TAM's hours: `portal-api set-tam-hours --data-dir DIR --tam tam_tess hours.json`,
    /// where hours.json is `{"time_zone", "business_hours", "overrides"}` as in PUT /tams/{id}/hours.
    SetTamHours {
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// The servers' PostgreSQL, when they run on one (as `--database-url` of the server).
        #[arg(long, value_name = "URL")]
        database_url: Option<String>,
        #[arg(long)]
        tam: String,
        /// The JSON file with the new hours.
        file: PathBuf,
    },
}

/// `set-tam-hours`: validated like the API, written to the same database.
fn set_tam_hours(
    data_dir: &std::path::Path,
    database_url: Option<&str>,
    tam: &str,
    file: &std::path::Path,
) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let hours: portal_contract::TamHours =
        portal_api::json::decode(text.as_bytes()).map_err(|e| format!("{}: {e:?}", file.display()))?;
    let problems = portal_api::store::tams::hours_problems(&hours);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.param, p.message)).collect();
        return Err(list.join("; "));
    }
    let db = match database_url {
        Some(url) => portal_api::db::Db::open_postgres(url),
        None => portal_api::db::Db::open(&data_dir.join("portal.sqlite3")),
    }
    .map_err(|e| format!("{e:?}"))?;
    match db.with(|conn| portal_api::store::tams::set_hours(conn, tam, &hours)) {
        Ok(true) => Ok(()),
        Ok(false) => Err(format!("no TAM with id {tam}")),
        Err(e) => Err(format!("{e:?}")),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "portal_api=info".into()),
        )
        .init();
    let args = Args::parse();
    if let Some(Command::SetTamHours { data_dir, database_url, tam, file }) = &args.command {
        return match set_tam_hours(data_dir, database_url.as_deref(), tam, file) {
            Ok(()) => {
                println!("Saved the hours of {tam}; portals show them on their next load.");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("portal-api set-tam-hours: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut config = ServerConfig::new(args.data_dir, args.static_dir, args.demo);
    config.demo_large = args.demo_large;
    config.reopen_window_days = args.reopen_window_days;
    config.support_address = args.support_address;
    let smtp_url = args.smtp_url.clone();
    config.mail = portal_api::mail::MailConfig {
        smtp_url: args.smtp_url,
        from: args.mail_from,
        reply_domain: args.reply_domain,
        public_url: args.public_url.unwrap_or_else(|| format!("http://{}", args.addr)).trim_end_matches('/').to_owned(),
        ..portal_api::mail::MailConfig::default()
    };
    if let Some(Err(e)) = config.mail.smtp_url.as_deref().map(portal_api::mail::transport::smtp_for_flag) {
        eprintln!("portal-api: {e}");
        return ExitCode::FAILURE;
    }
    if let Some(Err(e)) = args.object_store.as_deref().map(portal_api::objects::check_flag) {
        eprintln!("portal-api: {e}");
        return ExitCode::FAILURE;
    }
    config.object_store = args.object_store;
    config.secure_cookies = args.secure_cookies;
    config.trusted_proxies = args.trusted_proxy;
    config.set_frame_ancestors(&args.frame_ancestors);
    config.uploads.max_size = args.upload_max_bytes;
    if !args.upload_media_types.is_empty() {
        config.uploads.media_types = args.upload_media_types.iter().map(|t| t.trim().to_ascii_lowercase()).collect();
        if config.uploads.file_types().is_empty() {
            eprintln!(
                "portal-api: --upload-media-types {} accepts no file of the allow-list; name some of: {}",
                args.upload_media_types.join(","),
                portal_api::state::UploadConfig::default().limits().media_types.join(", ")
            );
            return ExitCode::FAILURE;
        }
    }
    config.uploads.storage_quota = args.storage_quota_bytes;
    config.cases_per_hour = args.cases_per_hour.max(1);
    config.sign_ins_per_minute = args.sign_ins_per_minute.max(1);
    config.test_clock = args.test_clock;
    config.database_url = args.database_url;
    if args.test_clock {
        eprintln!("portal-api: --test-clock is on: any signed-in person may move this server's clock; tests only");
    }
    config.uploads.files_per_case = args.upload_files_per_case;
    config.uploads.expiry = std::time::Duration::from_secs(args.upload_expiry_seconds.max(1));
    config.uploads.chunk_size = args.upload_chunk_bytes.max(64 * 1024);
    config.connections = portal_api::ConnectionLimits {
        header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout_seconds.max(1)),
        body_idle_timeout: std::time::Duration::from_secs(args.body_idle_timeout_seconds.max(1)),
        max_connections: args.max_connections.max(1),
    };
    if args.relay_token.is_some() {
        config.relay_token = args.relay_token;
    }
    let limits = config.connections.clone();
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
        println!("Demo dashboard embedding the portal: http://{}/demo-host/", args.addr);
        if smtp_url.is_none() {
            println!("Emails the demo sends, to read and answer: http://{}/demo-mailbox/", args.addr);
        }
        println!("{}", portal_api::demo::CREDENTIALS);
    }
    match serve(listener, app, &limits).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portal-api: {e}");
            ExitCode::FAILURE
        }
    }
}
