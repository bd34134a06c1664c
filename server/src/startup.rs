//! Builds the HTTP server: binds first so callers (tests) learn the real port before it runs.

use std::net::{SocketAddr, TcpListener};

use std::sync::Arc;
use std::time::Duration;

use actix::Actor;
use actix_web::{dev::Server, web, App, HttpServer, ResponseError};
use anyhow::Context;
use sea_orm::DatabaseConnection;

use crate::actors::lease_keeper::StopListening;
use crate::actors::{
    DrainRooms, HeartbeatMonitor, LeaseKeeper, RoomDeps, RoomRegistry, SessionManager,
};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::routes::AppState;
use crate::session_check::SessionCheck;
use crate::socket_slots::SocketSlots;
use crate::store::leases::Leases;
use crate::store::{secret, LogWriter};
use crate::token::TokenSigner;
use crate::{access_log, routes, Config};

/// A bound, not yet running server.
pub struct Application {
    addr: SocketAddr,
    server: Server,
    db: DatabaseConnection,
    state: web::Data<AppState>,
}

impl Application {
    /// Binds the listener and assembles the app; does not start serving until [`Application::run`].
    /// The steps: the database, the token signer, the actors, the HTTP server.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let postgres = config.database_url.starts_with("postgres");
        if config.node_id.is_some() && !postgres {
            anyhow::bail!(
                "CASINO_NODE_ID names a node among several, and several nodes need PostgreSQL \
                 (DATABASE_URL=postgres://…): SQLite serves one node, which needs no name"
            );
        }
        let listener = TcpListener::bind(&config.bind)?;
        let addr = listener.local_addr()?;
        let (db, reads) = open_database(&config.database_url).await?;
        let signer = Arc::new(token_signer(&config, &db).await?);
        let mut config = config;
        config.max_connections = fit_to_file_limit(config.max_connections);
        let config = Arc::new(config);
        let metrics = Arc::new(Metrics::new().context("the metric definitions")?);
        let leases = if postgres {
            Some(room_leases(&db, &config, addr).await?)
        } else {
            None
        };
        let state = start_actors(&db, reads, signer, config, metrics, leases);
        let server = http_server(listener, db.clone(), state.clone())?;
        Ok(Self {
            addr,
            server,
            db,
            state,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The database connection pool the server uses (already migrated).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until the server is stopped.
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Serves until SIGTERM or SIGINT, then drains: `/healthz` answers 503 "draining" for
    /// `--drain-notice-ms` (the load balancer stops sending players here) while games go on; then
    /// every room finishes its commit in flight, closes its sockets with 1012 (reconnect) and
    /// releases its lease; then the server stops. A rolling restart costs a player one reconnect.
    pub async fn run_until_signal(self) -> anyhow::Result<()> {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let handle = self.server.handle();
        let state = self.state.clone();
        let mut server = std::pin::pin!(self.server);
        tokio::select! {
            result = &mut server => return Ok(result?),
            _ = term.recv() => log::info!("SIGTERM: draining"),
            _ = int.recv() => log::info!("SIGINT: draining"),
        }
        drain(&state).await;
        let stop = handle.stop(true);
        let (result, ()) = tokio::join!(server, stop);
        log::info!("stopped");
        Ok(result?)
    }
}

/// Opens and migrates the database; also the connections that only read (on a SQLite file they
/// do not wait for the writer's commits; elsewhere the same pool).
async fn open_database(url: &str) -> anyhow::Result<(DatabaseConnection, DatabaseConnection)> {
    let db = migration::connect_and_migrate(url).await.with_context(|| {
        format!(
            "cannot open and migrate the database {}",
            migration::redact_url(url)
        )
    })?;
    log::info!("database {} ready (migrated)", migration::redact_url(url));
    let reads = migration::connect_readers(url)
        .await
        .context("cannot open the database's read-only connections")?
        .unwrap_or_else(|| db.clone());
    Ok((db, reads))
}

/// The signer of session tokens: the configured secret (or the one kept in the database), and
/// the previous secret while its overlap lasts.
async fn token_signer(config: &Config, db: &DatabaseConnection) -> anyhow::Result<TokenSigner> {
    let secret = match &config.session_secret {
        Some(secret) => secret.as_bytes().to_vec(),
        None => {
            log::info!("CASINO_SESSION_SECRET unset: using the secret kept in the database");
            secret::load_or_create(db).await?
        }
    };
    let signer = TokenSigner::new(&secret).context("CASINO_SESSION_SECRET")?;
    let Some(previous) = &config.previous_session_secret else {
        return Ok(signer);
    };
    let until = match &config.previous_secret_until {
        Some(at) => chrono::DateTime::parse_from_rfc3339(at)
            .context("CASINO_PREVIOUS_SECRET_UNTIL (RFC 3339)")?
            .timestamp_millis(),
        None => crate::clock::now_ms().saturating_add(Config::ms(config.session_ttl_ms)),
    };
    log::info!(
        "tokens of the previous session secret are accepted until {}",
        crate::clock::from_ms(until).to_rfc3339()
    );
    signer
        .with_previous(previous.as_bytes(), until)
        .context("CASINO_PREVIOUS_SESSION_SECRET")
}

/// This node's room leases (several nodes on PostgreSQL), with what an earlier start of this
/// node left released.
async fn room_leases(
    db: &DatabaseConnection,
    config: &Config,
    addr: SocketAddr,
) -> anyhow::Result<Leases> {
    let leases = Leases::new(db.clone(), config.node_name(addr), config.lease_ms);
    let stale = leases.forget_all().await?;
    log::info!(
        "node {} on PostgreSQL: room leases of {} ms, renewed every {} ms ({stale} left from an \
         earlier start released)",
        leases.node(),
        config.lease_ms,
        config.lease_renew_ms
    );
    Ok(leases)
}

/// Starts the log writer, the lease keeper (with leases), the room registry, the session
/// manager and the heartbeat monitor (on a thread of its own); the state the routes share.
fn start_actors(
    db: &DatabaseConnection,
    reads: DatabaseConnection,
    signer: Arc<TokenSigner>,
    config: Arc<Config>,
    metrics: Arc<Metrics>,
    leases: Option<Leases>,
) -> web::Data<AppState> {
    let writer = LogWriter::start(
        db.clone(),
        config.log_queue,
        config.log_max_batch,
        leases.as_ref().map(|l| l.node().to_owned()),
        metrics.clone(),
    );
    let keeper = leases.clone().map(|l| {
        let renew_every = Duration::from_millis(config.lease_renew_ms.max(1));
        let keeper = LeaseKeeper::new(l.clone(), renew_every, metrics.clone()).start();
        (l, keeper)
    });
    let keeper_addr = keeper.as_ref().map(|(_, addr)| addr.clone());
    let registry = RoomRegistry::new(RoomDeps {
        db: db.clone(),
        reads: reads.clone(),
        writer,
        signer: signer.clone(),
        config: config.clone(),
        metrics: metrics.clone(),
        leases: keeper,
    })
    .start();
    let session_check = SessionCheck::new(signer, reads.clone(), metrics.clone());
    let sessions = SessionManager::new(
        db.clone(),
        reads,
        registry.clone(),
        config.clone(),
        metrics.clone(),
        leases,
    )
    .start();
    let heartbeats = {
        let (db, config, metrics) = (db.clone(), config.clone(), metrics.clone());
        HeartbeatMonitor::start_in_arbiter(&actix::Arbiter::new().handle(), move |_| {
            HeartbeatMonitor::new(db, config, metrics)
        })
    };
    web::Data::new(AppState {
        registry,
        sessions,
        heartbeats,
        session_check,
        sockets: SocketSlots::new(config.max_connections, metrics.clone()),
        config,
        keeper: keeper_addr,
        draining: Arc::default(),
        metrics,
    })
}

/// The HTTP server on `listener`: the API, the game sockets, `/metrics` and, when it is built,
/// the web client's files.
fn http_server(
    listener: TcpListener,
    db: DatabaseConnection,
    state: web::Data<AppState>,
) -> anyhow::Result<Server> {
    let db_data = web::Data::new(db);
    let static_dir = state.config.static_dir.clone();
    let serve_client = static_dir.join("index.html").is_file();
    if !serve_client {
        log::warn!(
            "no web client at {} (build it with scripts/run.sh); serving the API only",
            static_dir.display()
        );
    }
    let client_files =
        serve_client.then(|| web::Data::new(routes::assets::ClientFiles::new(static_dir)));
    let trusted_proxies = state.config.trusted_proxies.clone();
    let server = HttpServer::new(move || {
        let app = App::new()
            .app_data(db_data.clone())
            .app_data(state.clone())
            .app_data(web::JsonConfig::default().error_handler(|err, _req| {
                let api = ApiError::InvalidBody(err.to_string());
                actix_web::error::InternalError::from_response(err, api.error_response()).into()
            }))
            .app_data(web::PathConfig::default().error_handler(|err, _req| {
                let api = ApiError::InvalidRoomCode;
                actix_web::error::InternalError::from_response(err, api.error_response()).into()
            }))
            .wrap(access_log::logger(trusted_proxies.clone()))
            .configure(services);
        match &client_files {
            // Files of the client, precompressed forms, cache headers and the app shell.
            Some(files) => app
                .app_data(files.clone())
                .default_service(web::to(routes::assets::client_file)),
            None => app.default_service(web::to(|| async { ApiError::NotFound.error_response() })),
        }
    })
    .on_connect(crate::actors::on_connect)
    // SIGTERM drains ([`Application::drain`]); the caller decides when to stop.
    .disable_signals()
    .listen(listener)?
    .run();
    Ok(server)
}

/// Every route of the API and the game sockets.
fn services(config: &mut web::ServiceConfig) {
    config
        .service(routes::health::healthz)
        .service(routes::rooms::create_room)
        .service(routes::rooms::join_room)
        .service(routes::rooms::room_info)
        .service(routes::game::session)
        .service(routes::game::claim_victory)
        .service(routes::game::claim_room_victory)
        .service(routes::game::rematch)
        .service(routes::game::decline_rematch)
        .service(routes::heartbeat::room_heartbeat)
        .service(routes::metrics::metrics)
        .service(routes::ws::ws_route)
        .service(routes::ws::ws_room_route);
}

/// Reports "draining", waits the notice, then releases every room (see
/// [`Application::run_until_signal`]).
async fn drain(state: &AppState) {
    state
        .draining
        .store(true, std::sync::atomic::Ordering::Release);
    if let Some(keeper) = &state.keeper {
        // Nodes asking for a room meanwhile wait for its release below.
        let _ = keeper.send(StopListening).await;
    }
    tokio::time::sleep(Duration::from_millis(state.config.drain_notice_ms)).await;
    match state.registry.send(DrainRooms).await {
        Ok(rooms) => log::info!("drained: {rooms} rooms released"),
        Err(err) => log::warn!("drain: the registry is gone ({err})"),
    }
}

/// Descriptors kept for the database, the listener, log files and the like.
const SPARE_DESCRIPTORS: u64 = 256;

/// Raises the process's open-file limit to its hard limit and returns how many game sockets fit
/// in it, one descriptor each. Past that, sockets are refused with 1013 instead of failing to
/// accept with "too many open files".
fn fit_to_file_limit(wanted: usize) -> usize {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            let fits =
                usize::try_from(limit.saturating_sub(SPARE_DESCRIPTORS)).unwrap_or(usize::MAX);
            if fits < wanted {
                log::warn!(
                    "open-file limit {limit} holds {fits} game sockets: CASINO_MAX_CONNECTIONS \
                     lowered from {wanted} (raise the limit with ulimit -n or LimitNOFILE=)"
                );
            }
            wanted.min(fits)
        }
        Err(err) => {
            log::warn!("cannot read the open-file limit ({err}); CASINO_MAX_CONNECTIONS as set");
            wanted
        }
    }
}
