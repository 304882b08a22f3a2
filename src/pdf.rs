//! Printing a built page to PDF through a local headless Chromium.
//!
//! In: an HTML file on disk and a PDF path. Out: the PDF, or an error that says what went
//! wrong (how to install a browser, or what the browser said). Chromium is started with its
//! own empty profile and no network features, and is never downloaded by scopemap. The PDF
//! appears only when Chromium succeeded: an older one is never mistaken for a new one.

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

/// Print `page` to `pdf` with the page's own print styles (A4, running header, numbers),
/// through the Chromium `find_chromium` names.
pub fn print_to_pdf(page: &Path, pdf: &Path) -> Result<(), String> {
    let browser = find_chromium().ok_or_else(|| format!("no Chromium found: {INSTALL_HELP}"))?;
    print_with(&browser, page, pdf)
}

/// Print `page` to `pdf` with `browser`. Chromium writes a temporary file beside `pdf`,
/// which replaces `pdf` only when Chromium succeeded and the file is a PDF; on any
/// failure an older `pdf` is left as it was.
pub fn print_with(browser: &Path, page: &Path, pdf: &Path) -> Result<(), String> {
    let page = page
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", page.display()))?;
    // Percent-encoded, so spaces, `#`, `%` and `?` in the path stay part of it.
    let page_url = url::Url::from_file_path(&page)
        .map_err(|()| format!("cannot make a file:// address of {}", page.display()))?;
    let pdf_abs = std::path::absolute(pdf)
        .map_err(|e| format!("cannot tell where {} is: {e}", pdf.display()))?;
    let folder = pdf_abs
        .parent()
        .filter(|f| f.is_dir())
        .ok_or_else(|| format!("the folder for {} does not exist", pdf.display()))?;
    let part = partial_file(folder, &pdf_abs)
        .map_err(|e| format!("cannot write in {}: {e}", folder.display()))?;
    let profile =
        tempfile::tempdir().map_err(|e| format!("cannot make a browser profile folder: {e}"))?;
    let output = Command::new(browser)
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
        .arg(format!("--print-to-pdf={}", part.path().display()))
        .arg(page_url.as_str())
        .output()
        .map_err(|e| format!("cannot start {}: {e}; {INSTALL_HELP}", browser.display()))?;
    let unchanged = if pdf_abs.exists() {
        format!("{} was left as it was", pdf.display())
    } else {
        format!("{} was not written", pdf.display())
    };
    let said = last_line(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "{} failed ({}): {said}; {unchanged}",
            browser.display(),
            output.status
        ));
    }
    if !is_pdf(part.path()) {
        return Err(format!(
            "{} did not write a PDF ({said}); {unchanged}",
            browser.display()
        ));
    }
    part.persist(&pdf_abs)
        .map_err(|e| format!("cannot move the PDF into place: {}; {unchanged}", e.error))?;
    Ok(())
}

/// An empty file beside `pdf` for Chromium to write into; removed when dropped unless it
/// is moved into place. Readable like any file the user makes, as the PDF will be.
fn partial_file(folder: &Path, pdf: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let prefix = format!(
        ".{}.",
        pdf.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

/// A non-empty file that starts like every PDF does.
fn is_pdf(path: &Path) -> bool {
    let mut head = [0u8; 5];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| &head == b"%PDF-")
}

/// The last line a program wrote to its error output, or a note that it wrote none.
fn last_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map_or_else(
            || "it printed no message".to_string(),
            |l| l.chars().filter(|c| !c.is_control()).take(300).collect(),
        )
}
