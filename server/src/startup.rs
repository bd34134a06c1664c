//! Builds the HTTP server: binds first so callers (tests) learn the real port before it runs.

use std::net::{SocketAddr, TcpListener};

use actix_web::{dev::Server, middleware, web, App, HttpResponse, HttpServer};
use anyhow::Context;
use sea_orm::DatabaseConnection;

use crate::{routes, Config};

/// A bound, not yet running server.
pub struct Application {
    addr: SocketAddr,
    server: Server,
    db: DatabaseConnection,
}

impl Application {
    /// Binds the listener and assembles the app; does not start serving until [`Application::run`].
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&config.bind)?;
        let addr = listener.local_addr()?;
        let db = migration::connect_and_migrate(&config.database_url)
            .await
            .with_context(|| {
                format!(
                    "cannot open and migrate the database {}",
                    migration::redact_url(&config.database_url)
                )
            })?;
        log::info!(
            "database {} ready (migrated)",
            migration::redact_url(&config.database_url)
        );
        let db_data = web::Data::new(db.clone());
        let static_dir = config.static_dir.clone();
        let serve_client = static_dir.join("index.html").is_file();
        if !serve_client {
            log::warn!(
                "no web client at {} (build it with scripts/run.sh); serving the API only",
                static_dir.display()
            );
        }
        let server = HttpServer::new(move || {
            let mut app = App::new()
                .app_data(db_data.clone())
                .wrap(middleware::Logger::new("%a \"%r\" %s %b %Dms"))
                .service(routes::health::healthz);
            if serve_client {
                let index = static_dir.join("index.html");
                app = app.service(
                    actix_files::Files::new("/", &static_dir)
                        .index_file("index.html")
                        .default_handler(web::to(move |req: actix_web::HttpRequest| {
                            // Client-side routes such as /room/CODE load the app shell.
                            let index = index.clone();
                            async move {
                                match actix_files::NamedFile::open_async(&index).await {
                                    Ok(file) => file.into_response(&req),
                                    Err(_) => HttpResponse::NotFound().finish(),
                                }
                            }
                        })),
                );
            }
            app
        })
        .listen(listener)?
        .run();
        Ok(Self { addr, server, db })
    }

    /// The address actually bound (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The database connection pool the server uses (already migrated).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until the server is stopped.
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}
