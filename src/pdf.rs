//! Printing a built page to PDF through a local headless Chromium.
//!
//! In: an HTML file on disk and a PDF path. Out: the PDF, or an error that says how to
//! install a browser. Chromium is started with its own empty profile and no network
//! features, and is never downloaded by scopemap.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium (or Chrome) to use: `SCOPEMAP_CHROMIUM`, else the first on the PATH.
pub fn find_chromium() -> Option<PathBuf> {
    find_chromium_in(
        std::env::var_os("SCOPEMAP_CHROMIUM"),
        std::env::var_os("PATH"),
    )
}

/// The lookup behind `find_chromium`, given the two environment values.
pub fn find_chromium_in(
    configured: Option<std::ffi::OsString>,
    path: Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    if let Some(p) = configured {
        return Some(PathBuf::from(p));
    }
    let path = path?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

pub const INSTALL_HELP: &str = "install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; macOS: install Google Chrome) or set SCOPEMAP_CHROMIUM to the browser's path";

/// Print `page` to `pdf` with the page's own print styles (A4, running header, numbers).
pub fn print_to_pdf(page: &Path, pdf: &Path) -> Result<(), String> {
    let browser = find_chromium().ok_or_else(|| format!("no Chromium found: {INSTALL_HELP}"))?;
    let page = page
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", page.display()))?;
    let profile =
        tempfile::tempdir().map_err(|e| format!("cannot make a browser profile folder: {e}"))?;
    let pdf_abs = if pdf.is_absolute() {
        pdf.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(pdf)
    };
    let output = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf_abs.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .map_err(|e| format!("cannot start {}: {e}; {INSTALL_HELP}", browser.display()))?;
    if !pdf_abs.is_file() {
        let err = String::from_utf8_lossy(&output.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        return Err(format!(
            "{} did not write the PDF ({last})",
            browser.display()
        ));
    }
    Ok(())
}
