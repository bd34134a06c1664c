//! The access log: actix-web's `Logger` with the request line's `session_token` redacted, so
//! no token ever reaches a log file (SPEC R10).

use actix_web::dev::ServiceRequest;
use actix_web::middleware::Logger;

/// Query parameters whose values never appear in logs.
const SECRET_PARAMS: [&str; 1] = ["session_token"];

/// `path?query` with the value of every secret parameter replaced by `[REDACTED]`.
pub fn redact(path_and_query: &str) -> String {
    let Some((path, query)) = path_and_query.split_once('?') else {
        return path_and_query.to_owned();
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            if SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name)) {
                format!("{name}=[REDACTED]")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

fn request_line(req: &ServiceRequest) -> String {
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |pq| redact(pq.as_str()));
    format!("{} {} {:?}", req.method(), target, req.version())
}

/// The access-log middleware: client address (see [`crate::forwarded`]), redacted request
/// line, status, bytes, duration.
pub fn logger(trusted_proxies: Vec<std::net::IpAddr>) -> Logger {
    Logger::new("%{client}xi \"%{request_line}xi\" %s %b %Dms")
        .custom_request_replace("client", move |req| {
            let forwarded = req
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok());
            crate::forwarded::client_addr(req.peer_addr(), forwarded, &trusted_proxies)
        })
        .custom_request_replace("request_line", request_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_redacted_and_the_rest_kept() {
        assert_eq!(
            redact("/ws?session_token=eyJzZWNyZXQ&x=1"),
            "/ws?session_token=[REDACTED]&x=1"
        );
        assert_eq!(
            redact("/ws?a=b&SESSION_TOKEN=zz"),
            "/ws?a=b&SESSION_TOKEN=[REDACTED]"
        );
        assert_eq!(redact("/api/rooms"), "/api/rooms");
    }
}
