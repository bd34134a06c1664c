//! The web client's files: a precompressed sibling (`.br`, `.gz`) chosen by `Accept-Encoding`,
//! cache headers chosen by the file's name, and the app shell for client-side routes.
//!
//! actix-files serves one file as it is on disk and cannot pick a precompressed sibling itself,
//! so this handler picks the file and hands it to [`NamedFile`] (ranges, ETag, `304`).

use std::path::{Path, PathBuf};

use actix_files::{NamedFile, PathBufWrap};
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

/// `Cache-Control` of a file whose name carries its content hash: it never changes.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of everything else (index.html, the app shell): revalidate every time, so a
/// deploy is seen at the next load.
pub const CACHE_REVALIDATE: &str = "no-cache";

/// The folder of the built client (`--static-dir`).
#[derive(Debug, Clone)]
pub struct ClientFiles {
    dir: PathBuf,
}

impl ClientFiles {
    /// Serves the files under `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn index(&self) -> PathBuf {
        self.dir.join("index.html")
    }
}

/// A precompressed form a file may have beside it, in the server's order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precompressed {
    /// `FILE.br`, `Content-Encoding: br`.
    Brotli,
    /// `FILE.gz`, `Content-Encoding: gzip`.
    Gzip,
}

impl Precompressed {
    /// Every form, best first.
    pub const ALL: [Precompressed; 2] = [Precompressed::Brotli, Precompressed::Gzip];

    /// The content coding's name in `Accept-Encoding`.
    pub fn coding(self) -> &'static str {
        match self {
            Precompressed::Brotli => "br",
            Precompressed::Gzip => "gzip",
        }
    }

    /// The sibling file's extension.
    pub fn suffix(self) -> &'static str {
        match self {
            Precompressed::Brotli => "br",
            Precompressed::Gzip => "gz",
        }
    }

    fn content_encoding(self) -> ContentEncoding {
        match self {
            Precompressed::Brotli => ContentEncoding::Brotli,
            Precompressed::Gzip => ContentEncoding::Gzip,
        }
    }
}

/// The precompressed forms an `Accept-Encoding` value allows, most wanted first: by the client's
/// quality value, then by the server's preference (brotli before gzip). A coding not named is
/// allowed only through `*`; `q=0` refuses it.
pub fn accepted(accept_encoding: &str) -> Vec<Precompressed> {
    let quality_of = |coding: &str| {
        let mut named = None;
        let mut wildcard = None;
        for item in accept_encoding.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                .next()
                .unwrap_or(1.0);
            if name.eq_ignore_ascii_case(coding) {
                named = Some(q);
            } else if name == "*" {
                wildcard = Some(q);
            }
        }
        named.or(wildcard).unwrap_or(0.0)
    };
    let mut ranked: Vec<(Precompressed, f32)> = Precompressed::ALL
        .into_iter()
        .map(|p| (p, quality_of(p.coding())))
        .filter(|(_, q)| *q > 0.0)
        .collect();
    // A stable sort keeps the server's order among equal qualities.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.into_iter().map(|(p, _)| p).collect()
}

/// Whether a file's path carries a content hash, in its name (`client-0123abcd….js`,
/// `client_bg-….wasm.br`) or in a folder's (`snippets-0123abcd…/dioxus/inline0.js`).
pub fn is_hashed(relative: &Path) -> bool {
    relative
        .components()
        .any(|c| c.as_os_str().to_str().is_some_and(is_hashed_name))
}

/// Whether one name carries a content hash: the part before the first dot ends in `-` and 8 to
/// 64 lowercase hex digits.
pub fn is_hashed_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    match stem.rsplit_once('-') {
        Some((name, hash)) => {
            !name.is_empty()
                && (8..=64).contains(&hash.len())
                && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        }
        None => false,
    }
}

/// `GET`/`HEAD` of any path no route took: the file of that name in the client's folder, else a
/// `404` for a path that names a file (`/client-old.js` after a deploy), else the app shell
/// (`index.html`) so that client-side routes such as `/room/ABC234` load the app.
pub async fn client_file(req: HttpRequest, files: web::Data<ClientFiles>) -> HttpResponse {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "GET, HEAD"))
            .finish();
    }
    // Refuses `%2F`, hidden files and the like; `..` cannot climb above the folder.
    let Ok(relative) = PathBufWrap::parse_req_path(&req, false) else {
        return HttpResponse::BadRequest().finish();
    };
    let relative: &Path = relative.as_ref();
    let file_name = relative.file_name().and_then(|n| n.to_str());
    if let Some(name) = file_name {
        let path = files.dir.join(relative);
        if path.is_file() {
            let cache = if is_hashed(relative) {
                CACHE_IMMUTABLE
            } else {
                CACHE_REVALIDATE
            };
            return serve(&req, &path, cache).await;
        }
        if name.contains('.') {
            return HttpResponse::NotFound().finish();
        }
    }
    serve(&req, &files.index(), CACHE_REVALIDATE).await
}

/// Serves `path`, or its best precompressed sibling that the request accepts, with the content
/// type of `path` itself.
async fn serve(req: &HttpRequest, path: &Path, cache: &'static str) -> HttpResponse {
    let with_suffix = |p: Precompressed| {
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(p.suffix());
        PathBuf::from(name)
    };
    let siblings: Vec<Precompressed> = Precompressed::ALL
        .into_iter()
        .filter(|p| with_suffix(*p).is_file())
        .collect();
    let accept = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A range counts bytes of one representation: ranges are served from the plain file.
    let chosen = if req.headers().contains_key(header::RANGE) {
        None
    } else {
        accepted(accept).into_iter().find(|p| siblings.contains(p))
    };
    let opened = match chosen {
        Some(p) => NamedFile::open_async(with_suffix(p)).await,
        None => NamedFile::open_async(path).await,
    };
    let Ok(file) = opened else {
        // Removed between the check and the open (a deploy): as if it never was.
        return HttpResponse::NotFound().finish();
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let mut file = file
        .set_content_type(actix_files::file_extension_to_mime(extension))
        .disable_content_disposition();
    if let Some(p) = chosen {
        file = file.set_content_encoding(p.content_encoding());
    }
    let mut response = file.into_response(req);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if !siblings.is_empty() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brotli_is_preferred_at_equal_quality() {
        use Precompressed::*;
        assert_eq!(accepted("gzip, deflate, br, zstd"), vec![Brotli, Gzip]);
        assert_eq!(accepted("gzip"), vec![Gzip]);
        assert_eq!(accepted("br"), vec![Brotli]);
        assert_eq!(accepted("BR;q=1.0"), vec![Brotli]);
    }

    #[test]
    fn quality_values_rank_and_refuse() {
        use Precompressed::*;
        assert_eq!(accepted("br;q=0.5, gzip"), vec![Gzip, Brotli]);
        assert_eq!(accepted("br;q=0, gzip;q=0.1"), vec![Gzip]);
        assert_eq!(accepted("*"), vec![Brotli, Gzip]);
        assert_eq!(accepted("*;q=0.5, gzip;q=0"), vec![Brotli]);
        assert_eq!(accepted("gzip;q=nonsense"), vec![]);
    }

    #[test]
    fn no_coding_or_identity_only_gets_the_plain_file() {
        assert!(accepted("").is_empty());
        assert!(accepted("identity").is_empty());
        assert!(accepted("deflate, zstd").is_empty());
    }

    #[test]
    fn hashed_names() {
        assert!(is_hashed_name("client-0123456789abcdef.js"));
        assert!(is_hashed_name("client_bg-0123456789abcdef.wasm"));
        assert!(is_hashed_name("client_bg-0123456789abcdef.wasm.br"));
        assert!(is_hashed_name("style-deadbeef.css"));
        assert!(!is_hashed_name("index.html"));
        assert!(!is_hashed_name("client.js"));
        assert!(!is_hashed_name("client-ABCDEF0123.js"));
        assert!(!is_hashed_name("client-beef.js"));
        assert!(!is_hashed_name("-0123456789abcdef.js"));
    }

    #[test]
    fn a_hashed_folder_makes_its_files_hashed() {
        assert!(is_hashed(Path::new(
            "snippets-0123456789abcdef/dioxus/inline0.js"
        )));
        assert!(is_hashed(Path::new("client-0123456789abcdef.js")));
        assert!(!is_hashed(Path::new("snippets/dioxus/inline0.js")));
        assert!(!is_hashed(Path::new("index.html")));
    }
}
