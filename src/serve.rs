//! `scopemap serve`: build the site, serve the output folder to a browser on the loopback
//! address, and rebuild and reload whenever the sources change.
//!
//! In: `ServeOptions` (site root, output folder, address and port, audience, whether to
//! watch) and a stop flag. Out: HTTP responses until the flag is raised: the built files,
//! with a small live-reload script added to every HTML response (never to the files on
//! disk), a JSON status at `/__scopemap/status`, and, while the last rebuild has failed,
//! an overlay with its diagnostics over every page of the last good site; 400 for an
//! address with a malformed `%`-escape, and redirects relative to the request (see
//! `address`). Rebuilds go through one `session::Session`, which keeps the loaded data
//! between them, re-reads only changed files, renders only the pages they feed, and
//! changes the output folder only when a build succeeds.

mod address;
mod page;
mod watch;

use address::{decode_path, folder_redirect};
pub use page::{STATUS_PATH, inject, snippet};
pub use watch::{WATCHED_DIRS, Wait, Watch};

use crate::audience::Audience;
use crate::{EXIT_CANNOT_RUN, EXIT_OK};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Threads answering requests; pages are small, so a few are plenty.
const WORKERS: usize = 4;
/// How often the request threads look at the stop flag.
const TICK: Duration = Duration::from_millis(100);

/// Everything `serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder holding `scopemap.yaml`, `scoping-data/`, `content/` and `themes/`.
    pub root: PathBuf,
    /// The output folder the site is built into and served from.
    pub out: PathBuf,
    /// The address to listen on; 127.0.0.1 unless told otherwise.
    pub address: IpAddr,
    /// 0 asks the system for a free port.
    pub port: u16,
    /// Whether a non-loopback `address` was asked for explicitly (`--bind`).
    pub allow_network: bool,
    /// Replace an output folder that was not written by scopemap.
    pub force: bool,
    pub audience: Audience,
    /// Watch the sources and rebuild on change.
    pub watch: bool,
    /// How long changes must be quiet before a rebuild starts.
    pub debounce: Duration,
}

impl ServeOptions {
    /// Loopback, port 8000, public audience, watching with a 200 ms debounce.
    pub fn new(root: PathBuf, out: PathBuf) -> Self {
        ServeOptions {
            root,
            out,
            address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8000,
            allow_network: false,
            force: false,
            audience: Audience::Public,
            watch: true,
            debounce: Duration::from_millis(200),
        }
    }
}

/// What the status endpoint reports, and what the overlay shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// Completed builds, successful or not; pages reload when it changes.
    pub build: u64,
    /// Whether the last build succeeded.
    pub ok: bool,
    /// Whether a build is running now.
    pub building: bool,
    /// The log of the last build when it failed; empty otherwise.
    pub failed_log: String,
}

struct Shared {
    status: Mutex<Status>,
}

impl Shared {
    /// The status, even if a thread panicked while holding the lock.
    fn lock(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Read `--bind ADDR`: an IP address, or `localhost`.
pub fn parse_bind(text: &str) -> Result<IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    text.trim_matches(['[', ']']).parse().map_err(|_| {
        format!(
            "`{text}` is not an IP address\n   = help: --bind takes an address such as 127.0.0.1, ::1 or 0.0.0.0; give the port with --port"
        )
    })
}

/// Refuse a non-loopback address unless it was asked for explicitly.
pub fn check_address(address: IpAddr, allow_network: bool) -> Result<(), String> {
    if address.is_loopback() || allow_network {
        Ok(())
    } else {
        Err(format!(
            "refusing to listen on {address}: it is not a loopback address, so other machines could see the site\n   = help: pass `--bind {address}` to do it on purpose, or leave --bind out to serve on 127.0.0.1 only"
        ))
    }
}

/// A listening server, not yet serving: `addr` tells the port when 0 was asked for.
pub struct Server {
    http: tiny_http::Server,
    addr: SocketAddr,
    options: ServeOptions,
    shared: Shared,
    /// The loaded data and the output's manifest, kept between rebuilds.
    session: Mutex<crate::session::Session>,
}

/// Check the address and start listening.
pub fn bind(options: ServeOptions) -> Result<Server, String> {
    check_address(options.address, options.allow_network)?;
    let wanted = SocketAddr::new(options.address, options.port);
    let http =
        tiny_http::Server::http(wanted).map_err(|e| format!("cannot listen on {wanted}: {e}"))?;
    let addr = http.server_addr().to_ip().unwrap_or(wanted);
    let session =
        crate::session::Session::new(&options.root, &options.out, options.force, options.audience);
    Ok(Server {
        http,
        addr,
        session: Mutex::new(session),
        options,
        shared: Shared {
            status: Mutex::new(Status {
                building: true,
                ..Status::default()
            }),
        },
    })
}

/// A flag raised by Ctrl+C; a second Ctrl+C ends the process at once.
pub fn stop_on_ctrl_c() -> Result<Arc<AtomicBool>, String> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("stopping (press Ctrl+C again to quit at once)");
    })
    .map_err(|e| format!("cannot catch Ctrl+C: {e}"))?;
    Ok(stop)
}

/// `scopemap serve [--port N] [--bind ADDR] [--no-watch]`.
pub fn serve_command(mut options: ServeOptions, bind_to: Option<&str>, log: &mut dyn Write) -> i32 {
    if let Some(text) = bind_to {
        match parse_bind(text) {
            Ok(address) => {
                options.address = address;
                options.allow_network = true;
            }
            Err(e) => {
                let _ = writeln!(log, "error: {e}");
                return EXIT_CANNOT_RUN;
            }
        }
    }
    let server = match bind(options) {
        Ok(server) => server,
        Err(e) => {
            let _ = writeln!(log, "error: {e}");
            return EXIT_CANNOT_RUN;
        }
    };
    if !server.addr().ip().is_loopback() {
        let _ = writeln!(
            log,
            "warning: listening on {}: the site is visible to other machines on the network{}",
            server.addr(),
            if server.options.audience == Audience::Internal {
                ", and this is the internal build, which is not for publication"
            } else {
                ""
            }
        );
    }
    let stop = match stop_on_ctrl_c() {
        Ok(stop) => stop,
        Err(e) => {
            let _ = writeln!(log, "error: {e}");
            return EXIT_CANNOT_RUN;
        }
    };
    match server.run(&stop, log) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(log, "error: {e}");
            EXIT_CANNOT_RUN
        }
    }
}

impl Server {
    /// The address actually listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:8000/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The current build status.
    pub fn status(&self) -> Status {
        self.shared.lock().clone()
    }

    /// Build, then serve and rebuild on change until `stop` is raised. Requests are
    /// answered from the start; while the first build runs they get the previous build,
    /// if there is one, or a page saying the site is being built.
    pub fn run(self, stop: &AtomicBool, log: &mut dyn Write) -> Result<(), String> {
        let o = &self.options;
        if !o.root.is_dir() {
            return Err(format!(
                "the root folder {} does not exist or is not a folder",
                o.root.display()
            ));
        }
        // Never serve a folder that scopemap did not write, even while the data has errors.
        crate::write::check_output_dir(&o.root, &o.out, o.force)
            .map_err(|e| format!("{}\n   = help: {}", e.message, e.help))?;
        let halt = AtomicBool::new(false);
        std::thread::scope(|scope| {
            for _ in 0..WORKERS {
                scope.spawn(|| self.answer_requests(stop, &halt));
            }
            let result = self.build_and_watch(stop, log);
            halt.store(true, Ordering::SeqCst);
            result
        })
    }

    fn answer_requests(&self, stop: &AtomicBool, halt: &AtomicBool) {
        while !stop.load(Ordering::SeqCst) && !halt.load(Ordering::SeqCst) {
            match self.http.recv_timeout(TICK) {
                Ok(Some(request)) => respond(request, &self.options.out, &self.shared),
                Ok(None) => {}
                Err(_) => std::thread::sleep(TICK),
            }
        }
    }

    fn build_and_watch(&self, stop: &AtomicBool, log: &mut dyn Write) -> Result<(), String> {
        let _ = writeln!(
            log,
            "serving {} at {} (Ctrl+C to stop)",
            self.options.out.display(),
            self.url()
        );
        // Watch before the first build, so a change saved while it runs is not missed.
        let mut watch = None;
        if self.options.watch {
            match Watch::new(&self.options.root) {
                Ok(w) => {
                    let _ = writeln!(
                        log,
                        "watching {}/ and {} for changes ({})",
                        WATCHED_DIRS.join("/, "),
                        crate::config::CONFIG_FILE,
                        w.method
                    );
                    watch = Some(w);
                }
                Err(e) => {
                    let _ = writeln!(
                        log,
                        "warning: {e}; changes will not be rebuilt until serve is restarted"
                    );
                }
            }
        }
        if self.rebuild(None, log) == EXIT_CANNOT_RUN {
            return Err("the site could not be built; see above".into());
        }
        while let Some(w) = watch.as_mut() {
            match w.wait(stop, self.options.debounce) {
                Wait::Changed(paths) => {
                    let _ = writeln!(log, "change detected: rebuilding");
                    self.rebuild(paths.as_deref(), log);
                }
                Wait::Stopped => break,
                Wait::Closed => {
                    let _ = writeln!(log, "warning: the file watcher stopped; no more rebuilds");
                    watch = None;
                }
            }
        }
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(TICK);
        }
        let _ = writeln!(log, "stopped");
        Ok(())
    }

    /// One rebuild: the files that changed are read again, and the pages that depend on
    /// them rendered again. The status is updated once it has finished.
    fn rebuild(&self, changed: Option<&[PathBuf]>, log: &mut dyn Write) -> i32 {
        self.shared.lock().building = true;
        let started = Instant::now();
        let mut buffer = Vec::new();
        let code = self
            .session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .build_after(changed, &mut buffer);
        let _ = log.write_all(&buffer);
        let build = {
            let mut status = self.shared.lock();
            status.build += 1;
            status.ok = code == EXIT_OK;
            status.building = false;
            status.failed_log = if status.ok {
                String::new()
            } else {
                String::from_utf8_lossy(&buffer).into_owned()
            };
            status.build
        };
        let seconds = started.elapsed().as_secs_f64();
        let _ = if code == EXIT_OK {
            writeln!(
                log,
                "build {build} ready in {seconds:.2}s; open pages reload"
            )
        } else {
            writeln!(
                log,
                "build {build} failed after {seconds:.2}s: still serving the last good site, with the errors over every page"
            )
        };
        code
    }
}

/// Answer one request. Only GET and HEAD are served.
fn respond(request: tiny_http::Request, out: &Path, shared: &Shared) {
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
    fn loopback_only_unless_asked() {
        assert!(check_address("127.0.0.1".parse().unwrap(), false).is_ok());
        assert!(check_address("::1".parse().unwrap(), false).is_ok());
        assert!(check_address("0.0.0.0".parse().unwrap(), false).is_err());
        assert!(check_address("192.0.2.1".parse().unwrap(), false).is_err());
        assert!(check_address("0.0.0.0".parse().unwrap(), true).is_ok());
        assert_eq!(parse_bind("localhost"), Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(parse_bind("[::1]"), Ok("::1".parse().unwrap()));
        assert!(parse_bind("example.org").is_err());
        assert!(parse_bind("127.0.0.1:8000").is_err());
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
