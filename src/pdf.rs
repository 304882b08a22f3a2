//! Printing a built page to PDF through a local headless Chromium.
//!
//! In: an HTML file on disk and a PDF path. Out: the PDF, or an error that says what went
//! wrong (how to install a browser, or what the browser said). Chromium is started with its
//! own empty profile and no network features, and is never downloaded by scopemap. The PDF
//! appears only when Chromium succeeded: an older one is never mistaken for a new one.

use crate::diag::Failure;
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod browser;
pub mod contents;

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
pub fn print_to_pdf(page: &Path, pdf: &Path) -> Result<(), Failure> {
    let browser =
        find_chromium().ok_or_else(|| Failure::new("no Chromium found").help(INSTALL_HELP))?;
    print_with(&browser, page, pdf)
}

/// Print `page` to `pdf` with `browser`. Chromium writes a temporary file beside `pdf`,
/// which replaces `pdf` only when Chromium succeeded and the file is a PDF; on any
/// failure an older `pdf` is left as it was.
pub fn print_with(browser: &Path, page: &Path, pdf: &Path) -> Result<(), Failure> {
    let page_url = file_url(page)?;
    let pdf_abs = std::path::absolute(pdf)
        .map_err(|e| Failure::new(format!("cannot tell where {} is: {e}", pdf.display())))?;
    let folder = pdf_abs
        .parent()
        .filter(|f| f.is_dir())
        .ok_or_else(|| Failure::new(format!("the folder for {} does not exist", pdf.display())))?;
    let part = partial_file(folder, &pdf_abs).map_err(|e| Failure::io("write in", folder, &e))?;
    let unchanged = if pdf_abs.exists() {
        format!("{} was left as it was", pdf.display())
    } else {
        format!("{} was not written", pdf.display())
    };
    run_chromium(browser, &page_url, part.path()).map_err(|e| e.and(&unchanged))?;
    part.persist(&pdf_abs).map_err(|e| {
        Failure::new(format!("cannot move the PDF into place: {}", e.error)).and(&unchanged)
    })?;
    Ok(())
}

/// The `file://` address of a page on disk, percent-encoded so that spaces, `#`, `%` and
/// `?` in the path stay part of it.
fn file_url(page: &Path) -> Result<url::Url, Failure> {
    let page = page
        .canonicalize()
        .map_err(|e| Failure::io("open", page, &e))?;
    url::Url::from_file_path(&page).map_err(|()| {
        Failure::new(format!(
            "cannot make a file:// address of {}",
            page.display()
        ))
    })
}

/// How every Chromium this program starts runs: headless, alone (no first-run pages,
/// updates, sync or other traffic of its own), so that it only loads and prints our page.
const QUIET_HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Run Chromium to print the page at `page_url` into `out`; an error says what the browser
/// said, or that it wrote no PDF.
fn run_chromium(browser: &Path, page_url: &url::Url, out: &Path) -> Result<(), Failure> {
    let profile = tempfile::tempdir()
        .map_err(|e| Failure::new(format!("cannot make a browser profile folder: {e}")))?;
    let output = Command::new(browser)
        .args(QUIET_HEADLESS)
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(page_url.as_str())
        .output()
        .map_err(|e| {
            Failure::new(format!(
                "cannot start {}: {e}; {INSTALL_HELP}",
                browser.display()
            ))
        })?;
    let said = last_line(&output.stderr);
    if !output.status.success() {
        return Err(Failure::new(format!(
            "{} failed ({}): {said}",
            browser.display(),
            output.status
        )));
    }
    if !is_pdf(out) {
        return Err(Failure::new(format!(
            "{} did not write a PDF ({said})",
            browser.display()
        )));
    }
    Ok(())
}

/// Print a report page whose contents list has page-number slots, with the numbers filled
/// in. The page is printed once to learn where each section starts, then a copy beside it
/// with the numbers is printed, and printed again should that move a section (the slots
/// have a fixed width, so it should not). `pdf` is replaced only by a PDF whose contents
/// page agrees with its pages; on any failure an older `pdf` is left as it was.
pub fn print_report_with(browser: &Path, page: &Path, pdf: &Path) -> Result<(), Failure> {
    let html = std::fs::read_to_string(page).map_err(|e| Failure::io("read", page, &e))?;
    let numbered = page.with_file_name(".numbered.html");
    let passes = tempfile::tempdir()
        .map_err(|e| Failure::new(format!("cannot make a temporary folder: {e}")))?;
    let unchanged = || {
        if pdf.exists() {
            format!("{} was left as it was", pdf.display())
        } else {
            format!("{} was not written", pdf.display())
        }
    };
    let print = |from: &Path, to: &Path| {
        run_chromium(browser, &file_url(from)?, to).map_err(|e| e.and(&unchanged()))
    };
    let first = passes.path().join("0.pdf");
    print(page, &first)?;
    let mut pages = contents::destination_pages(&first).map_err(|e| e.and(&unchanged()))?;
    for pass in 1..=3 {
        let (filled, missing) = contents::with_page_numbers(&html, &pages);
        if !missing.is_empty() {
            return Err(Failure::new(format!(
                "the printed report shows no page for {}; {}",
                missing.join(", "),
                unchanged()
            )));
        }
        std::fs::write(&numbered, filled).map_err(|e| Failure::io("write", &numbered, &e))?;
        let printed = passes.path().join(format!("{pass}.pdf"));
        print(&numbered, &printed)?;
        let now = contents::destination_pages(&printed).map_err(|e| e.and(&unchanged()))?;
        if now == pages {
            let _ = std::fs::remove_file(&numbered);
            return place(&printed, pdf).map_err(|e| e.and(&unchanged()));
        }
        pages = now;
    }
    Err(Failure::new(format!(
        "the contents page numbers kept moving the sections; {}",
        unchanged()
    )))
}

/// Copy a finished PDF into place in one step, through a temporary file beside it.
fn place(done: &Path, pdf: &Path) -> Result<(), Failure> {
    let pdf_abs = std::path::absolute(pdf)
        .map_err(|e| Failure::new(format!("cannot tell where {} is: {e}", pdf.display())))?;
    let folder = pdf_abs
        .parent()
        .ok_or_else(|| Failure::new(format!("the folder for {} does not exist", pdf.display())))?;
    let mut part =
        partial_file(folder, &pdf_abs).map_err(|e| Failure::io("write in", folder, &e))?;
    let mut from = std::fs::File::open(done)
        .map_err(|e| Failure::new(format!("cannot read the printed PDF: {e}")))?;
    std::io::copy(&mut from, part.as_file_mut())
        .map_err(|e| Failure::new(format!("cannot copy the PDF into place: {e}")))?;
    part.persist(&pdf_abs)
        .map_err(|e| Failure::new(format!("cannot move the PDF into place: {}", e.error)))?;
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
