//! `scopemap serve`: build the site, then serve the output folder on the loopback address
//! so it can be looked at in a browser at once.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Map a request path to a file in the output folder; `None` if it is not safe or absent.
pub fn resolve(out: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) && !rel.as_os_str().is_empty() {
        return None;
    }
    let mut file = out.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serve `out` on `address` until the process is stopped.
pub fn serve(out: &Path, address: &str, log: &mut dyn Write) -> Result<(), String> {
    let server =
        tiny_http::Server::http(address).map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let _ = writeln!(
        log,
        "serving {} at http://{address}/ (Ctrl+C to stop)",
        out.display()
    );
    for request in server.incoming_requests() {
        let (status, file) = match resolve(out, request.url()) {
            Some(f) => (200, f),
            None => (404, out.join("404.html")),
        };
        let body = std::fs::read(&file).unwrap_or_else(|_| b"Not found".to_vec());
        let header =
            tiny_http::Header::from_bytes(&b"Content-Type"[..], content_type(&file).as_bytes())
                .expect("static header");
        let response = tiny_http::Response::from_data(body)
            .with_status_code(status)
            .with_header(header);
        let _ = request.respond(response);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_folders_to_index_and_refuses_traversal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        assert_eq!(
            resolve(dir.path(), "/a/"),
            Some(dir.path().join("a/index.html"))
        );
        assert_eq!(
            resolve(dir.path(), "/"),
            Some(dir.path().join("index.html"))
        );
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/missing/"), None);
    }
}
