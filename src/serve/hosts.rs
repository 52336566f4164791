//! Which `Host` names the dev server answers, so that a web page the author visits cannot read the
//! site through DNS rebinding (a domain of the attacker's re-pointed at 127.0.0.1 makes the
//! browser treat the dev server as that domain's own origin). The browser still sends the
//! attacker's name as `Host`, so refusing names the server does not know closes the hole, as Vite
//! and webpack-dev-server do.
//!
//! Answered: `localhost` (and `*.localhost`, which resolves to loopback only), loopback addresses
//! (`127.0.0.1`, `[::1]`), the `--bind` address, every IP address when bound to all of them
//! (`0.0.0.0` or `::`: whatever address of the machine a visitor typed), and the names given with
//! `--allow-host`. An IP address cannot be rebound, so answering for one is safe.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The names and addresses a request's `Host` may name.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    bind: IpAddr,
    /// From `--allow-host`, lower case, without a trailing dot.
    names: Vec<String>,
}

impl AllowedHosts {
    pub fn new(bind: IpAddr, names: &[String]) -> AllowedHosts {
        AllowedHosts { bind, names: names.iter().map(|n| normalize(n)).collect() }
    }

    /// Whether a `Host` value (a name or address, with an optional `:port`) is one of ours.
    pub fn allows(&self, host: &str) -> bool {
        let name = normalize(strip_port(host));
        if name.is_empty() {
            return false;
        }
        if name == "localhost" || name.ends_with(".localhost") || self.names.contains(&name) {
            return true;
        }
        let literal = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(&name);
        match literal.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bind || self.bind.is_unspecified(),
            Err(_) => false,
        }
    }
}

fn normalize(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// `example.org:1111` → `example.org`, `[::1]:1111` → `[::1]`; `::1` (unbracketed) stays whole.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Middleware: refuses requests for names the server does not answer to, with a page that says
/// how to allow one. The authority of an absolute-form request (`GET http://x/ HTTP/1.1`) counts
/// as its host, as HTTP says.
pub async fn check_host(State(allowed): State<AllowedHosts>, request: Request, next: Next) -> Response {
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str().rsplit('@').next().unwrap_or("").to_string()),
        None => request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_string),
    };
    match host {
        Some(host) if allowed.allows(&host) => next.run(request).await,
        Some(host) => refused(&host),
        None => (StatusCode::BAD_REQUEST, "a request needs a Host header\n").into_response(),
    }
}

fn refused(host: &str) -> Response {
    let mut escaped = Vec::new();
    let _ = tera::escape_html(host, &mut escaped);
    let host = String::from_utf8_lossy(&escaped);
    let name = strip_port(&host);
    let page = format!(
        concat!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>403: unknown host</title></head><body>",
            "<h1>This dev server does not answer for {host}</h1>",
            "<p><code>tandem serve</code> answers only for localhost, 127.0.0.1, [::1], the address it listens on ",
            "and the names given with <code>--allow-host</code>, so that other web sites cannot read it ",
            "through a domain pointed at this machine (DNS rebinding).</p>",
            "<p>If you reach it under this name on purpose, start it with <code>--allow-host {name}</code>.</p>",
            "</body></html>\n"
        ),
        host = host,
        name = name
    );
    let mut response = (StatusCode::FORBIDDEN, page).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> AllowedHosts {
        AllowedHosts::new("127.0.0.1".parse().unwrap(), &["Docs.Example.".to_string()])
    }

    #[test]
    fn own_names_and_addresses_are_answered() {
        let hosts = loopback();
        for ok in [
            "localhost",
            "LOCALHOST:1111",
            "localhost.:80",
            "app.localhost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]:1111",
            "[::1]",
            "docs.example",
            "docs.example:1111",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
    }

    #[test]
    fn other_names_are_refused() {
        let hosts = loopback();
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "docs.example.evil",
            "192.168.1.5:1111",
            "",
            ":1111",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn the_bind_address_and_every_address_when_bound_to_all() {
        let lan = AllowedHosts::new("192.168.1.5".parse().unwrap(), &[]);
        assert!(lan.allows("192.168.1.5:1111"));
        assert!(!lan.allows("10.0.0.1:1111"));
        let all = AllowedHosts::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(all.allows("10.0.0.1:1111") && all.allows("[fe80::1]:1111"));
        assert!(!all.allows("evil.example"), "names still need --allow-host");
        let v6 = AllowedHosts::new("fe80::1".parse().unwrap(), &[]);
        assert!(v6.allows("[fe80::1]:1111"));
    }
}
