//! Watching the site's sources for `scopemap serve`.
//!
//! In: the site root. Out: a `Watch` that waits until something under `scoping-data/`,
//! `content/`, `themes/`, `templates/` or `static/`, or `scopemap.yaml` itself, has changed
//! and the changes have settled for a short debounce, then says so. It uses the operating
//! system's file events through `notify`, and falls back to polling once a second where
//! those are not available. Reads (including the build's own) and editors' hidden
//! temporary files never count as changes.

use crate::diag::Failure;
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Folders under the root whose changes trigger a rebuild.
pub const WATCHED_DIRS: &[&str] = &["scoping-data", "content", "themes", "templates", "static"];

/// However busy the files are, rebuild at least this often while changes keep coming.
const MAX_WAIT: Duration = Duration::from_secs(2);
/// How often the waiting loop looks at the stop flag.
const TICK: Duration = Duration::from_millis(50);

/// What waiting for a change ended with.
#[derive(Debug, PartialEq, Eq)]
pub enum Wait {
    /// Files changed: the paths the events named, or `None` when the watcher could not say
    /// exactly (an error, a queue overflow, or a watched folder itself changed).
    Changed(Option<Vec<PathBuf>>),
    /// The stop flag was raised.
    Stopped,
    /// The watcher has gone away; nothing more will be reported.
    Closed,
}

pub struct Watch {
    watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<Event>>,
    /// The root as the watcher sees it (absolute, symbolic links resolved).
    root: PathBuf,
    watched: BTreeSet<PathBuf>,
    /// `inotify`, `polling` …: said in the log.
    pub method: &'static str,
}

impl Watch {
    pub fn new(root: &Path) -> Result<Watch, Failure> {
        let root = std::fs::canonicalize(root).map_err(|e| Failure::io("watch", root, &e))?;
        let (tx, events) = channel();
        let (watcher, method): (Box<dyn Watcher + Send>, &'static str) =
            match notify::recommended_watcher(tx.clone()) {
                Ok(w) => (Box::new(w), "file events"),
                Err(_) => {
                    let config =
                        notify::Config::default().with_poll_interval(Duration::from_secs(1));
                    let w = notify::PollWatcher::new(tx, config).map_err(|e| {
                        Failure::new(format!("cannot watch {}: {e}", root.display()))
                    })?;
                    (Box::new(w), "polling once a second")
                }
            };
        let mut watch = Watch {
            watcher,
            events,
            root,
            watched: BTreeSet::new(),
            method,
        };
        // The root itself, not recursively: sees scopemap.yaml and watched folders appear.
        let root = watch.root.clone();
        watch
            .watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| Failure::new(format!("cannot watch {}: {e}", root.display())))?;
        watch.refresh(false);
        Ok(watch)
    }

    /// Watch every watched folder that exists, forget those that are gone; with `again`,
    /// renew the watches too (a folder replaced by a new one loses its old watch).
    fn refresh(&mut self, again: bool) {
        for name in WATCHED_DIRS {
            let dir = self.root.join(name);
            let known = self.watched.contains(&dir);
            if dir.is_dir() {
                if known && !again {
                    continue;
                }
                if known {
                    let _ = self.watcher.unwatch(&dir);
                }
                if self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok() {
                    self.watched.insert(dir);
                }
            } else if known {
                let _ = self.watcher.unwatch(&dir);
                self.watched.remove(&dir);
            }
        }
    }

    /// Wait until relevant changes have been quiet for `debounce` (or have kept coming for
    /// two seconds), the stop flag is raised, or the watcher closes.
    pub fn wait(&mut self, stop: &AtomicBool, debounce: Duration) -> Wait {
        let mut seen = 0;
        let mut first = Instant::now();
        let mut last = Instant::now();
        let mut folders_changed = false;
        let mut paths: Option<Vec<PathBuf>> = Some(Vec::new());
        loop {
            if stop.load(Ordering::SeqCst) {
                return Wait::Stopped;
            }
            match self.events.recv_timeout(TICK) {
                Ok(Ok(event)) => {
                    if relevant(&self.root, &event) {
                        if seen == 0 {
                            first = Instant::now();
                        }
                        seen += 1;
                        last = Instant::now();
                        folders_changed |= touches_watched_folder(&self.root, &event);
                        if event.need_rescan() {
                            paths = None;
                        } else if let Some(p) = &mut paths {
                            p.extend(event.paths.iter().cloned());
                        }
                    }
                }
                // An error (such as an overflowing event queue) may hide a change: rebuild.
                Ok(Err(_)) => {
                    if seen == 0 {
                        first = Instant::now();
                    }
                    seen += 1;
                    last = Instant::now();
                    folders_changed = true;
                    paths = None;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Wait::Closed,
            }
            if seen > 0 && (last.elapsed() >= debounce || first.elapsed() >= MAX_WAIT) {
                if folders_changed {
                    self.refresh(true);
                    paths = None;
                }
                return Wait::Changed(paths);
            }
        }
    }
}

/// The path relative to the root if it is one the site is built from, else `None`.
fn site_relative<'a>(root: &Path, path: &'a Path) -> Option<&'a Path> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    let is_source = first == crate::model::CONFIG_FILE || WATCHED_DIRS.contains(&first);
    let hidden = rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp")
    });
    (is_source && !hidden).then_some(rel)
}

/// Whether an event means the site's sources may have changed.
pub fn relevant(root: &Path, event: &Event) -> bool {
    let kind_counts = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    };
    kind_counts
        && (event.need_rescan() || event.paths.iter().any(|p| site_relative(root, p).is_some()))
}

/// Whether the event is about a watched folder itself (created, removed or renamed).
fn touches_watched_folder(root: &Path, event: &Event) -> bool {
    event.paths.iter().any(|p| {
        site_relative(root, p).is_some_and(|rel| {
            rel.components().count() == 1
                && rel
                    .to_str()
                    .is_some_and(|name| WATCHED_DIRS.contains(&name))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind};

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn only_source_changes_count() {
        let root = Path::new("/site");
        let modify = EventKind::Modify(ModifyKind::Any);
        assert!(relevant(
            root,
            &event(modify, "/site/scoping-data/returns/2022/r/a.yaml")
        ));
        assert!(relevant(root, &event(modify, "/site/scopemap.yaml")));
        assert!(relevant(
            root,
            &event(modify, "/site/themes/default/templates/base.html")
        ));
        assert!(relevant(
            root,
            &event(EventKind::Create(CreateKind::Folder), "/site/templates")
        ));
        assert!(!relevant(root, &event(modify, "/site/public/index.html")));
        assert!(!relevant(
            root,
            &event(modify, "/site/.public.staging-1/x.html")
        ));
        assert!(!relevant(
            root,
            &event(modify, "/site/content/.page.md.swp")
        ));
        assert!(!relevant(root, &event(modify, "/site/content/page.md~")));
        assert!(!relevant(
            root,
            &event(modify, "/elsewhere/content/page.md")
        ));
        let read = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(!relevant(root, &event(read, "/site/content/page.md")));
        let written = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert!(relevant(root, &event(written, "/site/content/page.md")));
    }

    #[test]
    fn folder_events_are_recognised() {
        let root = Path::new("/site");
        let e = event(EventKind::Create(CreateKind::Folder), "/site/static");
        assert!(touches_watched_folder(root, &e));
        let e = event(EventKind::Create(CreateKind::File), "/site/static/a.css");
        assert!(!touches_watched_folder(root, &e));
    }
}
