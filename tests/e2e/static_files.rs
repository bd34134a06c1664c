//! The web client's files as the server sends them: the precompressed sibling the request's
//! `Accept-Encoding` allows (brotli before gzip), the content type of the file itself, `Vary`,
//! a year of caching for content-hashed names and `no-cache` for index.html and the app shell,
//! and nothing outside the client's folder. The fixtures are small files with recognisable
//! contents (a `.br` sibling holds `BR-…`), so this test needs no wasm build.

use std::path::Path;

use anyhow::Context;
use tests::{test_config, TempDir, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const JS: &str = "/app-0123456789abcdef.js";
const WASM: &str = "/client_bg-fedcba9876543210.wasm";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// What the server answered: status, the headers the tests look at, the body as text.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    content_encoding: Option<String>,
    cache_control: Option<String>,
    vary: Option<String>,
    body: String,
}

/// A client folder `dist/` with fixtures, and a secret beside it that must never be served.
fn fixtures() -> anyhow::Result<TempDir> {
    let root = TempDir::new()?;
    let dist = root.path().join("dist");
    let files: &[(&str, &str)] = &[
        ("index.html", "<!doctype html><title>SHELL</title>"),
        ("index.html.br", "BR-SHELL"),
        ("index.html.gz", "GZ-SHELL"),
        ("app-0123456789abcdef.js", "PLAIN-JS"),
        ("app-0123456789abcdef.js.br", "BR-JS"),
        ("app-0123456789abcdef.js.gz", "GZ-JS"),
        // Only a gzip sibling: a client that prefers brotli gets gzip.
        ("client_bg-fedcba9876543210.wasm", "PLAIN-WASM"),
        ("client_bg-fedcba9876543210.wasm.gz", "GZ-WASM"),
        // Not hashed, nothing precompressed.
        ("style.css", "PLAIN-CSS"),
        (".hidden", "HIDDEN"),
        // JS snippets of crates, in a folder named by the hash of its contents.
        (
            "snippets-0123456789abcdef/dioxus/inline0.js",
            "PLAIN-SNIPPET",
        ),
    ];
    for (name, contents) in files {
        let path = dist.join(name);
        std::fs::create_dir_all(path.parent().context("a parent")?)?;
        std::fs::write(path, contents)?;
    }
    std::fs::write(root.path().join("secret.txt"), "TOP-SECRET")?;
    Ok(root)
}

async fn start(root: &Path) -> anyhow::Result<TestServer> {
    let mut config = test_config();
    config.static_dir = root.join("dist");
    TestServer::start(config).await
}

/// GETs `path` with `accept_encoding` (none when `None`), keeping the body as sent.
async fn get(
    server: &TestServer,
    path: &str,
    accept_encoding: Option<&str>,
) -> anyhow::Result<Answer> {
    let mut request = awc::Client::new().get(server.url(path)).no_decompress();
    if let Some(value) = accept_encoding {
        request = request.insert_header(("Accept-Encoding", value));
    }
    let response = request
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("GET {path}: {err}"))?;
    answer(response).await
}

async fn answer<S>(mut response: awc::ClientResponse<S>) -> anyhow::Result<Answer>
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (content_type, content_encoding, cache_control, vary) = (
        header("content-type").unwrap_or_default(),
        header("content-encoding"),
        header("cache-control"),
        header("vary"),
    );
    let status = response.status().as_u16();
    let body = response.body().await.context("body")?;
    Ok(Answer {
        status,
        content_type,
        content_encoding,
        cache_control,
        vary,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// Sends `target` as the request line's path on a bare socket (no client library normalises
/// it) and returns the status and the body.
async fn raw_get(server: &TestServer, target: &str) -> anyhow::Result<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await?;
    let request = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut reply = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut reply),
    )
    .await
    .context("no answer within 10 s")??;
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no status line in {reply:?}"))?;
    Ok((status, reply))
}

#[actix_web::test]
async fn precompressed_siblings_follow_accept_encoding() -> anyhow::Result<()> {
    let root = fixtures()?;
    let server = start(root.path()).await?;

    // What Chromium sends: brotli wins.
    let br = get(&server, JS, Some("gzip, deflate, br, zstd")).await?;
    assert_eq!(br.status, 200, "{br:?}");
    assert_eq!(br.body, "BR-JS");
    assert_eq!(br.content_encoding.as_deref(), Some("br"));
    assert!(br.content_type.contains("javascript"), "{br:?}");
    assert_eq!(br.vary.as_deref(), Some("accept-encoding"));
    assert_eq!(br.cache_control.as_deref(), Some(IMMUTABLE));

    let gz = get(&server, JS, Some("gzip")).await?;
    assert_eq!(
        (gz.body.as_str(), gz.content_encoding.as_deref()),
        ("GZ-JS", Some("gzip"))
    );
    assert!(gz.content_type.contains("javascript"), "{gz:?}");
    assert_eq!(gz.vary.as_deref(), Some("accept-encoding"));

    // The client's quality values count; q=0 refuses a coding.
    let ranked = get(&server, JS, Some("br;q=0.2, gzip;q=0.9")).await?;
    assert_eq!(ranked.body, "GZ-JS");
    let refused = get(&server, JS, Some("br;q=0, gzip;q=0")).await?;
    assert_eq!(
        (refused.body.as_str(), refused.content_encoding.as_deref()),
        ("PLAIN-JS", None)
    );

    // No Accept-Encoding, or only codings we do not keep: the plain file, still with Vary.
    for accept in [None, Some("identity"), Some("deflate, zstd")] {
        let plain = get(&server, JS, accept).await?;
        assert_eq!(plain.status, 200);
        assert_eq!(plain.body, "PLAIN-JS", "Accept-Encoding {accept:?}");
        assert_eq!(plain.content_encoding, None, "Accept-Encoding {accept:?}");
        assert_eq!(plain.vary.as_deref(), Some("accept-encoding"));
        assert_eq!(plain.cache_control.as_deref(), Some(IMMUTABLE));
    }

    // A wasm with only a gzip sibling; its content type is the wasm's, whatever is sent.
    let wasm = get(&server, WASM, Some("br, gzip")).await?;
    assert_eq!(
        (wasm.body.as_str(), wasm.content_encoding.as_deref()),
        ("GZ-WASM", Some("gzip"))
    );
    assert_eq!(wasm.content_type, "application/wasm");
    assert_eq!(wasm.cache_control.as_deref(), Some(IMMUTABLE));
    let wasm = get(&server, WASM, Some("br")).await?;
    assert_eq!(
        (wasm.body.as_str(), wasm.content_encoding.as_deref()),
        ("PLAIN-WASM", None)
    );
    assert_eq!(wasm.content_type, "application/wasm");

    // A file with no sibling: plain, no Vary; not hashed: revalidated.
    let css = get(&server, "/style.css", Some("br, gzip")).await?;
    assert_eq!(
        (css.body.as_str(), css.content_encoding.as_deref()),
        ("PLAIN-CSS", None)
    );
    assert!(css.content_type.starts_with("text/css"), "{css:?}");
    assert_eq!(css.vary, None);
    assert_eq!(css.cache_control.as_deref(), Some("no-cache"));

    // A file in a hashed folder is as immutable as one with a hashed name.
    let snippet = get(
        &server,
        "/snippets-0123456789abcdef/dioxus/inline0.js",
        None,
    )
    .await?;
    assert_eq!(
        (snippet.status, snippet.body.as_str()),
        (200, "PLAIN-SNIPPET")
    );
    assert_eq!(snippet.cache_control.as_deref(), Some(IMMUTABLE));

    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn a_range_is_served_from_the_plain_file() -> anyhow::Result<()> {
    let root = fixtures()?;
    let server = start(root.path()).await?;
    let response = awc::Client::new()
        .get(server.url(JS))
        .no_decompress()
        .insert_header(("Accept-Encoding", "br"))
        .insert_header(("Range", "bytes=0-4"))
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("GET {JS}: {err}"))?;
    let range = answer(response).await?;
    assert_eq!((range.status, range.body.as_str()), (206, "PLAIN"));
    assert_ne!(range.content_encoding.as_deref(), Some("br"));
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn index_and_app_shell_are_revalidated() -> anyhow::Result<()> {
    let root = fixtures()?;
    let server = start(root.path()).await?;

    for path in ["/", "/index.html"] {
        let index = get(&server, path, Some("gzip, br")).await?;
        assert_eq!(index.status, 200, "{path}: {index:?}");
        assert_eq!(index.body, "BR-SHELL", "{path}");
        assert_eq!(index.content_encoding.as_deref(), Some("br"));
        assert!(index.content_type.starts_with("text/html"), "{index:?}");
        assert_eq!(index.cache_control.as_deref(), Some("no-cache"));
        assert_eq!(index.vary.as_deref(), Some("accept-encoding"));
    }

    // Client-side routes load the app shell, precompressed too.
    for (accept, body) in [
        (None, "<!doctype html><title>SHELL</title>"),
        (Some("gzip"), "GZ-SHELL"),
    ] {
        let shell = get(&server, "/room/ABC234", accept).await?;
        assert_eq!(shell.status, 200, "{shell:?}");
        assert_eq!(shell.body, body);
        assert!(shell.content_type.starts_with("text/html"), "{shell:?}");
        assert_eq!(shell.cache_control.as_deref(), Some("no-cache"));
    }

    // A file that is not there (an old build's glue) is a 404, not the shell as JavaScript.
    let gone = get(&server, "/app-ffffffffffffffff.js", Some("br")).await?;
    assert_eq!(gone.status, 404, "{gone:?}");

    // The API is untouched: JSON for its routes, 405 for other methods on client paths.
    let (status, _) = server.get("/healthz").await?;
    assert_eq!(status, 200);
    let post = awc::Client::new()
        .post(server.url("/room/ABC234"))
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("POST: {err}"))?;
    assert_eq!(post.status().as_u16(), 405);

    // A revalidation of index.html costs a 304, still marked no-cache.
    let first = awc::Client::new()
        .get(server.url("/"))
        .no_decompress()
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("GET /: {err}"))?;
    let etag = first
        .headers()
        .get("etag")
        .cloned()
        .context("index.html has an ETag")?;
    let again = awc::Client::new()
        .get(server.url("/"))
        .no_decompress()
        .insert_header(("If-None-Match", etag))
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("GET /: {err}"))?;
    let again = answer(again).await?;
    assert_eq!(again.status, 304);
    assert_eq!(again.cache_control.as_deref(), Some("no-cache"));

    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn nothing_outside_the_client_folder_is_served() -> anyhow::Result<()> {
    let root = fixtures()?;
    let server = start(root.path()).await?;
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/room/../../secret.txt",
        "/.hidden",
        "/%2ehidden",
        "/dist/../../secret.txt",
    ] {
        let (status, reply) = raw_get(&server, target).await?;
        assert!(
            !reply.contains("TOP-SECRET") && !reply.contains("HIDDEN"),
            "{target} leaked: {reply}"
        );
        // Either refused, or climbing stopped at the folder: the shell or a 404.
        assert!(
            [400, 404].contains(&status) || reply.contains("SHELL"),
            "{target}: {status} {reply}"
        );
    }
    server.stop().await;
    Ok(())
}
