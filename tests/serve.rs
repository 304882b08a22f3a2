//! `scopemap serve` end to end: a real server on a free loopback port in a thread, plain
//! HTTP/1.1 requests over a `TcpStream`, files changed on disk, and the rebuild, the
//! reload signal and the error overlay observed through the responses. Every wait is
//! bounded, and every server is stopped through its stop flag.

mod common;

use scopemap::diag::Failure;
use scopemap::serve::{ServeOptions, Status};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const RETURN: &str = "scoping-data/returns/2022/north/alpha-ccg.yaml";

struct Running {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<(Result<(), Failure>, String)>>,
}

impl Running {
    /// Raise the stop flag and wait (at most 15 s) for the server to finish.
    fn stop(mut self) -> (Result<(), Failure>, String) {
        self.stop.store(true, Ordering::SeqCst);
        let thread = self.thread.take().expect("still running");
        let started = Instant::now();
        while !thread.is_finished() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "the server did not stop within 15 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        thread.join().expect("server thread")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn options(root: &Path, out: PathBuf) -> ServeOptions {
    let mut o = ServeOptions::new(root.to_path_buf(), out);
    o.port = 0;
    o.debounce = Duration::from_millis(100);
    o
}

fn start(options: ServeOptions) -> Running {
    let server = scopemap::serve::bind(options).expect("bind a free loopback port");
    let addr = server.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = std::thread::spawn(move || {
        let mut log = Vec::new();
        let result = server.run(&flag, &mut log);
        (result, String::from_utf8_lossy(&log).into_owned())
    });
    Running {
        addr,
        stop,
        thread: Some(thread),
    }
}

/// One request over a fresh connection; (status code, headers, body).
fn request(addr: SocketAddr, method: &str, target: &str) -> (u16, String, String) {
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect to server");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read the response");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, head.to_string(), body.to_string())
}

fn get(addr: SocketAddr, target: &str) -> (u16, String) {
    let (code, _, body) = request(addr, "GET", target);
    (code, body)
}

fn status(addr: SocketAddr) -> Status {
    let (code, body) = get(addr, "/__scopemap/status");
    assert_eq!(code, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("status is JSON");
    Status {
        build: v["build"].as_u64().unwrap_or(0),
        ok: v["ok"].as_bool().unwrap_or(false),
        building: v["building"].as_bool().unwrap_or(true),
        failed_log: String::new(),
    }
}

/// Poll the status until the given build has finished (at most 60 s).
fn wait_for_build(addr: SocketAddr, build: u64) -> Status {
    let started = Instant::now();
    loop {
        let s = status(addr);
        if s.build >= build && !s.building {
            return s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "build {build} did not finish within 60 s: {s:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn rebuilds_on_change_shows_the_overlay_on_failure_and_stops_cleanly() {
    let site = common::site_with("");
    let root = site.path();
    let out = root.join("public");
    let server = start(options(root, out.clone()));
    let addr = server.addr;

    let first = wait_for_build(addr, 1);
    assert!(first.ok, "the fixture builds");
    let (code, home) = get(addr, "/");
    assert_eq!(code, 200);
    assert!(home.contains("/__scopemap/status"), "reload script served");
    assert!(
        !home.contains("role=\"alert\""),
        "no overlay after a good build"
    );
    assert!(home.contains("var build = \"1\""));
    let on_disk = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        !on_disk.contains("__scopemap"),
        "the built files never get the script"
    );
    let (code, head, css) = request(addr, "GET", "/assets/style.css");
    assert_eq!(code, 200);
    assert!(head.contains("text/css"), "{head}");
    assert!(!css.contains("__scopemap"));

    // A content page changes: the next build serves it, with a new build number.
    edit(
        root,
        "content/about.md",
        "About the test site",
        "About the edited site",
    );
    let second = wait_for_build(addr, 2);
    assert!(second.ok);
    let (code, about) = get(addr, "/about/");
    assert_eq!(code, 200);
    assert!(about.contains("About the edited site"));
    assert!(about.contains("var build = \"2\""));

    // A return breaks, with markup in the bad value: the last good site stays, with the
    // diagnostics over every page, escaped.
    edit(
        root,
        RETURN,
        "health-visiting: G",
        "health-visiting: \"<b>Green</b>\"",
    );
    let third = wait_for_build(addr, 3);
    assert!(!third.ok);
    for page in ["/", "/about/", "/no-such-page/"] {
        let (_, html) = get(addr, page);
        assert!(html.contains("role=\"alert\""), "overlay on {page}");
        assert!(
            html.contains("scopemap-overlay-close"),
            "close button on {page}"
        );
        assert!(html.contains("E010"), "diagnostic code on {page}");
        assert!(
            html.contains("&lt;b&gt;Green&lt;/b&gt;"),
            "escaped on {page}"
        );
        assert!(!html.contains("<b>Green</b>"), "never raw on {page}");
    }
    let (_, about) = get(addr, "/about/");
    assert!(
        about.contains("About the edited site"),
        "last good site kept"
    );
    assert!(out.join("index.html").is_file());

    // Fixed: the overlay goes away.
    edit(
        root,
        RETURN,
        "health-visiting: \"<b>Green</b>\"",
        "health-visiting: A",
    );
    let fourth = wait_for_build(addr, 4);
    assert!(fourth.ok);
    let (_, home) = get(addr, "/");
    assert!(!home.contains("role=\"alert\""));

    let (result, log) = server.stop();
    assert_eq!(result, Ok(()), "{log}");
    assert!(log.contains("build 3 failed"), "{log}");
    assert!(log.contains("stopped"), "{log}");
}

#[test]
fn requests_cannot_leave_the_output_folder() {
    let site = common::site_with("");
    let root = site.path();
    std::fs::write(root.join("secret.txt"), "not for the web").unwrap();
    let server = start(options(root, root.join("public")));
    let addr = server.addr;
    assert!(wait_for_build(addr, 1).ok);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/directory/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/.scopemap-output",
        "/index.html%00",
        "/__scopemap/../secret.txt",
    ] {
        let (code, body) = get(addr, target);
        assert!(
            code == 404 || code == 400,
            "{target} gave {code}: {body:.200}"
        );
        assert!(!body.contains("not for the web"), "{target} leaked");
    }
    let (code, head, _) = request(addr, "GET", "/directory");
    assert_eq!(code, 301, "a folder without its slash is redirected");
    assert!(head.contains("Location: ./directory/\r\n"), "{head}");
    let (code, _, _) = request(addr, "GET", "/directory/");
    assert_eq!(code, 200, "where the redirect leads");
    let (code, _, _) = request(addr, "POST", "/");
    assert_eq!(code, 405);
    let (code, _, body) = request(addr, "HEAD", "/");
    assert_eq!(code, 200);
    assert!(body.is_empty());
    let (result, log) = server.stop();
    assert_eq!(result, Ok(()), "{log}");
}

#[test]
fn a_failing_first_build_serves_a_placeholder_until_fixed() {
    let site = common::site_with("");
    let root = site.path();
    edit(root, RETURN, "health-visiting: G", "health-visiting: green");
    let server = start(options(root, root.join("public")));
    let addr = server.addr;
    let first = wait_for_build(addr, 1);
    assert!(!first.ok);
    let (code, html) = get(addr, "/");
    assert_eq!(code, 503);
    assert!(html.contains("has not been built yet"));
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("E010"));
    edit(root, RETURN, "health-visiting: green", "health-visiting: G");
    assert!(wait_for_build(addr, 2).ok);
    let (code, html) = get(addr, "/");
    assert_eq!(code, 200);
    assert!(!html.contains("role=\"alert\""));
    let (result, log) = server.stop();
    assert_eq!(result, Ok(()), "{log}");
}

#[test]
fn never_serves_a_folder_scopemap_did_not_write() {
    let site = common::site_with("");
    let root = site.path();
    let out = root.join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "private").unwrap();
    let server = start(options(root, out.clone()));
    let (result, _) = server.stop();
    let err = result.expect_err("refused").render();
    assert!(err.contains("not written by scopemap"), "{err}");
    assert!(out.join("notes.txt").is_file());
}

#[test]
fn listens_on_loopback_only_unless_bind_is_given() {
    let site = common::site_with("");
    let mut o = options(site.path(), site.path().join("public"));
    o.address = "0.0.0.0".parse().unwrap();
    let err = match scopemap::serve::bind(o) {
        Ok(_) => panic!("a non-loopback address was accepted without --bind"),
        Err(e) => e.render(),
    };
    assert!(err.contains("--bind 0.0.0.0"), "{err}");
    // `--bind` with a loopback address is fine and warns about nothing.
    let o = options(site.path(), site.path().join("public"));
    assert_eq!(o.address.to_string(), "127.0.0.1");
    assert_eq!(
        scopemap::serve::parse_bind("::1").map(|a| a.is_loopback()),
        Ok(true)
    );
}

/// The `Location` header of a response head, if any.
fn location(head: &str) -> Option<&str> {
    head.lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .map(str::trim)
}

#[test]
fn redirects_stay_on_the_server_and_bad_escapes_are_refused() {
    let site = common::site_with("");
    let root = site.path();
    let server = start(options(root, root.join("public")));
    let addr = server.addr;
    assert!(wait_for_build(addr, 1).ok);
    let base = url::Url::parse(&format!("http://{addr}/")).unwrap();
    for target in [
        "/directory",
        "//directory",
        "/regions/north",
        "//regions/north?year=2022",
    ] {
        let (code, head, _) = request(addr, "GET", target);
        assert_eq!(code, 301, "{target}: {head}");
        let to = location(&head).unwrap_or_else(|| panic!("{target}: no Location in {head}"));
        assert!(to.starts_with("./"), "{target} -> {to}");
        let mut page = base.clone();
        page.set_path(target.split('?').next().unwrap());
        let followed = page.join(to).unwrap();
        assert_eq!(followed.host_str(), Some("127.0.0.1"), "{target} -> {to}");
        assert_eq!(followed.port(), Some(addr.port()), "{target} -> {to}");
    }
    let (_, head, _) = request(addr, "GET", "//directory");
    assert_eq!(location(&head), Some("./directory/"));
    for target in ["/%+1", "/directory/%zz", "/%", "/a%2", "/%C3%28", "/%FF/"] {
        let (code, _, body) = request(addr, "GET", target);
        assert_eq!(code, 400, "{target}: {body}");
        assert!(body.starts_with("Bad request:"), "{target}: {body}");
    }
    let (code, _, body) = request(addr, "GET", "/%64irectory/");
    assert_eq!(code, 200, "a good escape still works: {body:.200}");
    let (result, log) = server.stop();
    assert_eq!(result, Ok(()), "{log}");
}
