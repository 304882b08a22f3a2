//! Answering one request of `serve`: the file it names in the output folder (a folder's
//! `index.html`), the build status as JSON, a redirect for a folder asked for without its
//! slash, or the site's 404 page.
//!
//! In: the request, the output folder and the build status. Out: the response. HTML gets
//! the live-reload script (and, after a failed build, the overlay with its diagnostics);
//! nothing outside the output folder is ever served.

use super::address::{self, decode_path, folder_redirect};
use super::{STATUS_PATH, Shared, Status, inject, page, snippet};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// Answer one request. Only GET and HEAD are served.
pub(super) fn respond(request: tiny_http::Request, out: &Path, shared: &Shared) {
    let method = request.method().clone();
    if method != tiny_http::Method::Get && method != tiny_http::Method::Head {
        let headers = [
            ("Allow", "GET, HEAD"),
            ("Content-Type", "text/plain; charset=utf-8"),
        ];
        send(request, 405, &headers, b"Method not allowed\n".to_vec());
        return;
    }
    let url = request.url().to_string();
    let path = match decode_path(address::raw_path(&url)) {
        Ok(path) => path,
        Err(bad) => {
            let headers = [("Content-Type", "text/plain; charset=utf-8")];
            send(request, 400, &headers, bad.message().as_bytes().to_vec());
            return;
        }
    };
    if path == STATUS_PATH {
        let status = shared.lock().clone();
        let json = serde_json::json!({
            "build": status.build,
            "ok": status.ok,
            "building": status.building,
        });
        let headers = [("Content-Type", "application/json")];
        send(request, 200, &headers, json.to_string().into_bytes());
    } else if path.starts_with("/__scopemap/") {
        let headers = [("Content-Type", "text/plain; charset=utf-8")];
        send(request, 404, &headers, b"Not found\n".to_vec());
    } else if let Some(location) = needs_slash(out, &path)
        .then(|| folder_redirect(&url))
        .flatten()
    {
        let headers = [("Location", location.as_str())];
        send(request, 301, &headers, Vec::new());
    } else {
        let (code, file, body) = site_file(out, &path);
        let content_type = file
            .as_deref()
            .map_or("text/html; charset=utf-8", content_type);
        let body = if content_type.starts_with("text/html") {
            let status = shared.lock().clone();
            with_snippet(body, &status)
        } else {
            body
        };
        send(request, code, &[("Content-Type", content_type)], body);
    }
}

/// A header from text we control; `None` if the value holds bytes a header cannot.
fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Send `body` with the given status and headers; every response forbids caching so a
/// reload always shows the newest build.
fn send(request: tiny_http::Request, code: u16, headers: &[(&str, &str)], body: Vec<u8>) {
    let mut response = tiny_http::Response::from_data(body).with_status_code(code);
    let fixed = [
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    for (name, value) in headers.iter().chain(fixed.iter()) {
        if let Some(h) = header(name, value) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

/// The status, the file served (if any) and its bytes for a decoded request path. While
/// the output folder is being swapped for a new build it briefly does not exist: wait for it.
fn site_file(out: &Path, path: &str) -> (u16, Option<PathBuf>, Vec<u8>) {
    for _ in 0..25 {
        if let Some(file) = resolve_decoded(out, path)
            && let Ok(bytes) = std::fs::read(&file)
        {
            return (200, Some(file), bytes);
        }
        if out.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    if !out.join("index.html").is_file() {
        return (503, None, Vec::new());
    }
    let not_found = out.join("404.html");
    match std::fs::read(&not_found) {
        Ok(bytes) => (404, Some(not_found), bytes),
        Err(_) => (
            404,
            None,
            b"<!DOCTYPE html><title>Not found</title><p>Not found</p>".to_vec(),
        ),
    }
}

/// Add the live-reload script (and the overlay after a failed build) to an HTML body; a
/// body that is empty because there is no site yet becomes a placeholder page.
fn with_snippet(body: Vec<u8>, status: &Status) -> Vec<u8> {
    let html = if body.is_empty() {
        page::placeholder(status.building && status.build == 0)
    } else {
        match String::from_utf8(body) {
            Ok(html) => html,
            Err(e) => return e.into_bytes(),
        }
    };
    let failed = (!status.ok && status.build > 0).then_some(status.failed_log.as_str());
    inject(&html, &snippet(status.build, failed)).into_bytes()
}

/// Whether the decoded request path names a folder without the final `/`, which relative
/// links need.
fn needs_slash(out: &Path, path: &str) -> bool {
    !path.ends_with('/')
        && resolve_decoded(out, path).is_some()
        && safe_relative(path).is_some_and(|rel| out.join(rel).is_dir())
}

/// A decoded request path as a relative path of plain, visible names; `None` if it is not
/// one.
fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.contains(['\0', '\\']) {
        return None;
    }
    let rel = PathBuf::from(path.trim_start_matches('/'));
    let plain = rel.components().all(|c| match c {
        Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
        _ => false,
    });
    plain.then_some(rel)
}

/// Map a request target to a file in the output folder; `None` if it is not safe or absent.
/// Refused: `..`, absolute and drive components, hidden names (such as the build marker),
/// NUL bytes and backslashes, bad percent-escapes, and anything whose real path (after
/// symbolic links) is outside the output folder.
pub fn resolve(out: &Path, target: &str) -> Option<PathBuf> {
    resolve_decoded(out, &decode_path(address::raw_path(target)).ok()?)
}

fn resolve_decoded(out: &Path, path: &str) -> Option<PathBuf> {
    let rel = safe_relative(path)?;
    let mut file = out.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    if !file.is_file() {
        return None;
    }
    let real = std::fs::canonicalize(&file).ok()?;
    let base = std::fs::canonicalize(out).ok()?;
    real.starts_with(&base).then_some(file)
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
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
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
        std::fs::write(dir.path().join(".scopemap-output"), "x").unwrap();
        assert_eq!(
            resolve(dir.path(), "/a/"),
            Some(dir.path().join("a/index.html"))
        );
        assert_eq!(
            resolve(dir.path(), "/"),
            Some(dir.path().join("index.html"))
        );
        assert_eq!(
            resolve(dir.path(), "/a/index.html?x=1#top"),
            Some(dir.path().join("a/index.html"))
        );
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/a/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/a/..%2f..%2fetc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/..\\..\\etc\\passwd"), None);
        assert_eq!(resolve(dir.path(), "//etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/index.html%00.png"), None);
        assert_eq!(resolve(dir.path(), "/%zz"), None);
        assert_eq!(resolve(dir.path(), "/a%+1"), None);
        assert_eq!(resolve(dir.path(), "/.scopemap-output"), None);
        assert_eq!(resolve(dir.path(), "/missing/"), None);
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symbolic_links_out_of_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("s.txt"))
            .unwrap();
        assert_eq!(resolve(dir.path(), "/s.txt"), None);
    }

    #[test]
    fn placeholder_and_overlay_only_in_served_html() {
        let ok = Status {
            build: 2,
            ok: true,
            ..Status::default()
        };
        let html = String::from_utf8(with_snippet(b"<body>x</body>".to_vec(), &ok)).unwrap();
        assert!(html.contains(STATUS_PATH));
        assert!(!html.contains("role=\"alert\""));
        let failed = Status {
            build: 3,
            ok: false,
            building: false,
            failed_log: "error[E010]: <i>".into(),
        };
        let html = String::from_utf8(with_snippet(b"<body>x</body>".to_vec(), &failed)).unwrap();
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("error[E010]: &lt;i&gt;"));
        let first = Status {
            building: true,
            ..Status::default()
        };
        let html = String::from_utf8(with_snippet(Vec::new(), &first)).unwrap();
        assert!(html.contains("Building the site"));
    }
}
