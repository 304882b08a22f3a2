//! The folder beside an output folder where its next version is made, the lock that keeps
//! two builds from writing it at once, and the switch that puts a finished version in place.
//!
//! In: a resolved output folder. Out: its side folder (`.NAME.scopemap/`) locked for this
//! process, with anything a killed build left behind put right; later, the output folder
//! and the standby folder exchanged in one step.
//!
//! The exchange is one `renameat2(RENAME_EXCHANGE)` call on Linux (`renameatx_np` with
//! `RENAME_SWAP` on macOS): a reader of the output path sees the old site or the new one and
//! never neither. Where the system or the disk cannot exchange two names, three renames are
//! used instead, and a build killed between the first two leaves the old site in the side
//! folder, from where the next build puts it back before doing anything else.

use std::path::{Path, PathBuf};

/// The side folder of one output folder, locked by this process while it exists.
pub struct Side {
    /// `.NAME.scopemap/` beside the output folder.
    pub folder: PathBuf,
    /// `standby/` inside it: the other version of the site, where a build writes.
    pub standby: PathBuf,
    /// Held for as long as the build writes; the system releases it if the process dies.
    _lock: std::fs::File,
}

/// Where the old site waits during a three-rename switch.
const PREVIOUS: &str = "previous";

impl Side {
    /// Make (or find) and lock the side folder of `out`, and put right what a killed build
    /// left: an old site waiting in the side folder is put back, and the staging and old
    /// folders of killed builds of earlier scopemap versions are removed.
    pub fn open(out: &Path) -> std::io::Result<Side> {
        let (parent, name) = parent_and_name(out);
        let folder = parent.join(format!(".{name}.scopemap"));
        std::fs::create_dir_all(&folder)?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(folder.join("lock"))?;
        lock.lock()?;
        let side = Side {
            standby: folder.join("standby"),
            folder,
            _lock: lock,
        };
        side.recover(out)?;
        remove_old_leftovers(&parent, &name, out)?;
        Ok(side)
    }

    /// Finish or undo a three-rename switch that a killed build left half done.
    fn recover(&self, out: &Path) -> std::io::Result<()> {
        let previous = self.folder.join(PREVIOUS);
        if std::fs::symlink_metadata(&previous).is_err() {
            return Ok(());
        }
        if std::fs::symlink_metadata(out).is_err() {
            // Killed with the old site moved aside and the new one not yet in place.
            return std::fs::rename(&previous, out);
        }
        if std::fs::symlink_metadata(&self.standby).is_err() {
            return std::fs::rename(&previous, &self.standby);
        }
        std::fs::remove_dir_all(&previous)
    }

    /// Put the finished standby folder in place of `out`; the old site becomes the standby.
    /// When `out` does not exist yet, the standby is simply renamed to it.
    pub fn switch(&self, out: &Path) -> std::io::Result<()> {
        if std::fs::symlink_metadata(out).is_err() {
            return std::fs::rename(&self.standby, out);
        }
        // Debug builds can be told to act as if the disk could not exchange, to test the
        // fallback.
        let pretend = cfg!(debug_assertions) && std::env::var_os("SCOPEMAP_NO_EXCHANGE").is_some();
        let exchanged = if pretend {
            Err(std::io::ErrorKind::Unsupported.into())
        } else {
            exchange(&self.standby, out)
        };
        match exchanged {
            Ok(()) => Ok(()),
            Err(e) if exchange_unsupported(&e) => {
                let previous = self.folder.join(PREVIOUS);
                std::fs::rename(out, &previous)?;
                crate::write::crash_point();
                std::fs::rename(&self.standby, out)?;
                crate::write::crash_point();
                std::fs::rename(&previous, &self.standby)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether `e` says the system or the disk cannot exchange two names (as opposed to a
/// failure that the fallback would meet as well).
fn exchange_unsupported(e: &std::io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const ENOTSUP: i32 = 95;
    e.kind() == std::io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(EINVAL | ENOSYS | ENOTSUP))
}

/// The folder holding `out` and `out`'s own name.
pub fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    (parent, name)
}

/// Earlier scopemap versions staged a build in `.NAME.staging-PID` and moved the old site
/// to `.NAME.old-PID`; a killed build left them behind. An old site whose output folder is
/// missing is put back; the rest, of processes no longer running, are removed.
fn remove_old_leftovers(parent: &Path, name: &str, out: &Path) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut leftovers: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let (old, pid) = match (rest.strip_prefix("old-"), rest.strip_prefix("staging-")) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        if pid.parse::<u32>().is_ok_and(|pid| !process_is_running(pid)) {
            leftovers.push((entry.path(), old));
        }
    }
    leftovers.sort();
    for (path, old) in leftovers {
        if old && std::fs::symlink_metadata(out).is_err() {
            std::fs::rename(&path, out)?;
        } else {
            std::fs::remove_dir_all(&path)?;
        }
    }
    Ok(())
}

/// Whether a process with this id is running (where the system cannot tell, it is assumed
/// to be, so that nothing of a running build is removed).
fn process_is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}
