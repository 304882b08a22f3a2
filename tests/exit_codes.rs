//! Exit statuses and what happens when the output cannot be written, through the program
//! itself: 0 when a command ran and found no errors (warnings allowed), 1 when the data has
//! errors, 2 when the command could not run. A reader that goes away early (`scopemap
//! validate | head -1`) changes neither the status nor the error output; any other failure
//! to write the report makes the status 2.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn scopemap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scopemap"))
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    scopemap().args(args).output().expect("run scopemap")
}

fn root(args: &[&str], root: &Path) -> Output {
    let root = root.to_str().expect("a UTF-8 path");
    scopemap()
        .args(args)
        .args(["--root", root])
        .output()
        .expect("run scopemap")
}

/// Run with the standard output a pipe whose reading end is closed before the program
/// writes anything, so its first write meets a broken pipe.
fn into_closed_pipe(args: &[&str], root: &Path) -> Output {
    let mut child = scopemap()
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start scopemap");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait for scopemap")
}

#[test]
fn each_outcome_has_its_own_exit_status() {
    let clean = root(&["validate"], repo());
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    let text = String::from_utf8_lossy(&clean.stdout);
    assert!(text.contains(": 0 errors, "), "{text}");

    let bad = common::base_with("rating-codes");
    let errors = root(&["validate"], bad.path());
    assert_eq!(errors.status.code(), Some(1), "{errors:?}");

    let missing = root(&["validate"], Path::new("/nonexistent/scopemap-site"));
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&missing.stdout),
        "error: the root folder /nonexistent/scopemap-site does not exist or is not a folder\n"
    );

    let bad_arguments = run(&["validate", "--format", "xml"]);
    assert_eq!(bad_arguments.status.code(), Some(2));
}

#[test]
fn a_build_that_cannot_write_its_folder_could_not_run() {
    let site = common::site_with("");
    let out = site.path().join("notes");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "not scopemap's").unwrap();
    let built = scopemap()
        .args(["build", "--out"])
        .arg(&out)
        .arg("--root")
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(built.status.code(), Some(2), "{built:?}");
    let text = String::from_utf8_lossy(&built.stdout);
    assert!(text.contains("error: refusing to replace"), "{text}");
    assert!(text.contains("\n   = help: "), "{text}");
    assert!(out.join("mine.txt").is_file());
}

#[test]
fn a_reader_that_goes_away_changes_nothing() {
    let clean = into_closed_pipe(&["validate"], repo());
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    assert_eq!(String::from_utf8_lossy(&clean.stderr), "");

    let bad = common::base_with("rating-codes");
    let errors = into_closed_pipe(&["validate"], bad.path());
    assert_eq!(errors.status.code(), Some(1), "{errors:?}");
    assert_eq!(String::from_utf8_lossy(&errors.stderr), "");

    let json = into_closed_pipe(&["validate", "--format", "json"], bad.path());
    assert_eq!(json.status.code(), Some(1), "{json:?}");
    assert_eq!(String::from_utf8_lossy(&json.stderr), "");

    let status = into_closed_pipe(&["status", "--year", "2022"], repo());
    assert_eq!(status.status.code(), Some(0), "{status:?}");
    assert_eq!(String::from_utf8_lossy(&status.stderr), "");
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_means_the_command_could_not_run() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = scopemap()
        .args(["validate", "--root"])
        .arg(repo())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.starts_with("error: the report could not be written: "),
        "{said}"
    );
}
