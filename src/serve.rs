//! `scopemap serve`: build the site, serve the output folder to a browser on the loopback
//! address, and rebuild and reload whenever the sources change.
//!
//! In: `ServeOptions` (site root, output folder, address and port, audience, whether to
//! watch) and a stop flag. Out: HTTP responses until the flag is raised: the built files,
//! with a small live-reload script added to every HTML response (never to the files on
//! disk), a JSON status at `/__scopemap/status`, and, while the last rebuild has failed,
//! an overlay with its diagnostics over every page of the last good site; 400 for an
//! address with a malformed `%`-escape, and redirects relative to the request (see
//! `address`). Every rebuild is one run of `pipeline::build` with one `BuildCache`, which
//! keeps the loaded data between them, re-reads only changed files, renders only the pages
//! they feed, and changes the output folder only when a build succeeds.

mod address;
mod page;
mod respond;
mod watch;

pub use page::{STATUS_PATH, inject, snippet};
use respond::respond;
pub use respond::{content_type, resolve};
pub use watch::{WATCHED_DIRS, Wait, Watch};

use crate::audience::Audience;
use crate::diag::{Failure, Reporter};
use crate::pipeline::{BuildCache, BuildOptions};
use crate::{EXIT_CANNOT_RUN, EXIT_OK};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
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

impl ServeOptions {
    /// What each rebuild builds, and where.
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            out: self.out.clone(),
            force: self.force,
            audience: self.audience,
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
pub fn parse_bind(text: &str) -> Result<IpAddr, Failure> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    text.trim_matches(['[', ']']).parse().map_err(|_| {
        Failure::new(format!("`{text}` is not an IP address")).help(
            "--bind takes an address such as 127.0.0.1, ::1 or 0.0.0.0; give the port with --port",
        )
    })
}

/// Refuse a non-loopback address unless it was asked for explicitly.
pub fn check_address(address: IpAddr, allow_network: bool) -> Result<(), Failure> {
    if address.is_loopback() || allow_network {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "refusing to listen on {address}: it is not a loopback address, so other machines could see the site"
        ))
        .help(format!(
            "pass `--bind {address}` to do it on purpose, or leave --bind out to serve on 127.0.0.1 only"
        )))
    }
}

/// A listening server, not yet serving: `addr` tells the port when 0 was asked for.
pub struct Server {
    http: tiny_http::Server,
    addr: SocketAddr,
    options: ServeOptions,
    shared: Shared,
    /// The loaded data and the output's manifest, kept between rebuilds.
    cache: Mutex<BuildCache>,
}

/// Check the address and start listening.
pub fn bind(options: ServeOptions) -> Result<Server, Failure> {
    check_address(options.address, options.allow_network)?;
    let wanted = SocketAddr::new(options.address, options.port);
    let http = tiny_http::Server::http(wanted)
        .map_err(|e| Failure::new(format!("cannot listen on {wanted}: {e}")))?;
    let addr = http.server_addr().to_ip().unwrap_or(wanted);
    Ok(Server {
        http,
        addr,
        cache: Mutex::new(BuildCache::for_rebuilds()),
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
pub fn stop_on_ctrl_c() -> Result<Arc<AtomicBool>, Failure> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("stopping (press Ctrl+C again to quit at once)");
    })
    .map_err(|e| Failure::new(format!("cannot catch Ctrl+C: {e}")))?;
    Ok(stop)
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
    pub fn run(self, stop: &AtomicBool, log: &mut dyn Write) -> Result<(), Failure> {
        let o = &self.options;
        crate::load::check_root(&o.root)?;
        // Never serve a folder that scopemap did not write, even while the data has errors.
        crate::write::check_output_dir(&o.root, &o.out, o.force)?;
        let mut log = Reporter::new(log);
        let halt = AtomicBool::new(false);
        std::thread::scope(|scope| {
            for _ in 0..WORKERS {
                scope.spawn(|| self.answer_requests(stop, &halt));
            }
            let result = self.build_and_watch(stop, &mut log);
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

    fn build_and_watch(&self, stop: &AtomicBool, log: &mut Reporter) -> Result<(), Failure> {
        log.line(format_args!(
            "serving {} at {} (Ctrl+C to stop)",
            self.options.out.display(),
            self.url()
        ));
        // Watch before the first build, so a change saved while it runs is not missed.
        let mut watch = None;
        if self.options.watch {
            match Watch::new(&self.options.root) {
                Ok(w) => {
                    log.line(format_args!(
                        "watching {}/ and {} for changes ({})",
                        WATCHED_DIRS.join("/, "),
                        crate::model::CONFIG_FILE,
                        w.method
                    ));
                    watch = Some(w);
                }
                Err(e) => log.line(format_args!(
                    "warning: {e}; changes will not be rebuilt until serve is restarted"
                )),
            }
        }
        if self.rebuild(None, log) == EXIT_CANNOT_RUN {
            return Err(Failure::new("the site could not be built; see above"));
        }
        while let Some(w) = watch.as_mut() {
            match w.wait(stop, self.options.debounce) {
                Wait::Changed(paths) => {
                    log.line("change detected: rebuilding");
                    self.rebuild(paths.as_deref(), log);
                }
                Wait::Stopped => break,
                Wait::Closed => {
                    log.line("warning: the file watcher stopped; no more rebuilds");
                    watch = None;
                }
            }
        }
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(TICK);
        }
        log.line("stopped");
        Ok(())
    }

    /// One rebuild: the files that changed are read again, and the pages that depend on
    /// them rendered again. The status is updated once it has finished.
    fn rebuild(&self, changed: Option<&[PathBuf]>, log: &mut Reporter) -> i32 {
        self.shared.lock().building = true;
        let started = Instant::now();
        let mut buffer = Vec::new();
        let code = crate::pipeline::build(
            &self.options.build_options(),
            &mut self.cache.lock().unwrap_or_else(|e| e.into_inner()),
            changed,
            &mut buffer,
        );
        log.bytes(&buffer);
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
        if code == EXIT_OK {
            log.line(format_args!(
                "build {build} ready in {seconds:.2}s; open pages reload"
            ));
        } else {
            log.line(format_args!(
                "build {build} failed after {seconds:.2}s: still serving the last good site, with the errors over every page"
            ));
        }
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
