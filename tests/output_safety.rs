//! Nothing is lost by writing the site: the output path is checked before anything is made,
//! a build killed at any point leaves the whole old site or the whole new one, writes never
//! follow a link out of the output folder, and what killed builds left is cleaned up.
//!
//! The kill tests run the real program with `SCOPEMAP_CRASH_AT=N` (debug builds abort at
//! the Nth write step, as a kill would stop them) and by killing it with SIGKILL.

mod common;

use scopemap::audience::Audience;
use std::path::{Path, PathBuf};
use std::process::Command;

type Tree = Vec<(PathBuf, Vec<u8>)>;

/// The files a reader of `out` sees (following links, as a web server would).
fn seen(out: &Path) -> Tree {
    if !out.exists() {
        return Vec::new();
    }
    common::tree(out)
}

fn scopemap(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scopemap"));
    command.args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run scopemap")
}

fn build_bin(root: &Path, out: &Path, env: &[(&str, &str)]) -> std::process::Output {
    scopemap(
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        env,
    )
}

fn edit_rating(site: &Path, from: &str, to: &str) {
    let file = site.join("scoping-data/returns/2022/north/beta-ccg.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{text}");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
}

/// Names in `folder`, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_folder_then_dot_dot_cannot_reach_the_site_or_another_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("victim");
    common::copy_dir(common::site_with("").path(), &site);
    let before = common::tree(&site);
    let (code, log) = common::build(
        &site,
        &dir.path().join("missing/../victim"),
        Audience::Public,
    );
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("it is the site root"), "{log}");
    assert!(
        common::tree(&site) == before,
        "the site's files are untouched"
    );
    assert!(!dir.path().join("missing").exists(), "nothing was created");

    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("only-copy.txt"), "keep me").unwrap();
    let (code, log) = common::build(
        &site,
        &dir.path().join("missing/../foreign"),
        Audience::Public,
    );
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("was not written by scopemap"), "{log}");
    assert_eq!(
        std::fs::read_to_string(foreign.join("only-copy.txt")).unwrap(),
        "keep me"
    );
    assert!(!dir.path().join("missing").exists(), "nothing was created");
}

#[test]
fn input_folders_folders_above_the_site_and_files_are_refused() {
    let site = common::site_with("");
    let root = site.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    let before = common::tree(root);
    for input in ["scoping-data", "content", "themes", "templates", "static"] {
        for out in [root.join(input), root.join(input).join("site")] {
            let (code, log) = common::build(root, &out, Audience::Public);
            assert_eq!(code, 2, "{}: {log}", out.display());
            assert!(log.contains(&format!("inside {input}/")), "{log}");
        }
    }
    let (code, log) = common::build(root, root.parent().unwrap(), Audience::Public);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("it holds the site root"), "{log}");
    let (code, log) = common::build(root, &root.join("public/.."), Audience::Public);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("it is the site root"), "{log}");

    let file = root.join("notes.txt");
    std::fs::write(&file, "a file").unwrap();
    let mut log = Vec::new();
    let code = scopemap::commands::build_for(root, &file, true, Audience::Public, &mut log);
    let log = String::from_utf8(log).unwrap();
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("it is a file, not a folder"), "{log}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a file");
    std::fs::remove_file(&file).unwrap();
    assert!(common::tree(root) == before, "nothing in the site changed");
    // The default, public/ inside the site, stays allowed.
    let (code, log) = common::build(root, &root.join("public"), Audience::Public);
    assert_eq!(code, 0, "{log}");
}

#[cfg(unix)]
#[test]
fn a_link_planted_in_the_output_is_replaced_never_written_through() {
    use std::os::unix::fs::symlink;
    let site = common::site_with("");
    let root = site.path();
    let out = root.join("public");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("index.html"), "outside page").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "outside file").unwrap();
    assert_eq!(common::build(root, &out, Audience::Public).0, 0);
    // Two builds, so that the planted links are in the version a build writes into.
    edit_rating(root, "health-visiting: G", "health-visiting: A");
    assert_eq!(common::build(root, &out, Audience::Public).0, 0);
    let area = out.join("areas/beta-ccg");
    assert!(area.join("index.html").is_file());
    std::fs::remove_dir_all(&area).unwrap();
    symlink(outside.path(), &area).unwrap();
    std::fs::remove_file(out.join("index.html")).unwrap();
    symlink(outside.path().join("secret.txt"), out.join("index.html")).unwrap();
    for (from, to) in [
        ("health-visiting: A", "health-visiting: R"),
        ("health-visiting: R", "health-visiting: G"),
    ] {
        edit_rating(root, from, to);
        let (code, log) = common::build(root, &out, Audience::Public);
        assert_eq!(code, 0, "{log}");
    }
    assert_eq!(
        std::fs::read_to_string(outside.path().join("index.html")).unwrap(),
        "outside page"
    );
    assert_eq!(
        std::fs::read_to_string(outside.path().join("secret.txt")).unwrap(),
        "outside file"
    );
    assert_eq!(names(outside.path()), ["index.html", "secret.txt"]);
    for planted in [area.clone(), out.join("index.html")] {
        let meta = std::fs::symlink_metadata(&planted).unwrap();
        assert!(
            !meta.file_type().is_symlink(),
            "{} is ours again",
            planted.display()
        );
    }
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(
        common::build(root, &fresh.path().join("public"), Audience::Public).0,
        0
    );
    assert!(
        seen(&out) == seen(&fresh.path().join("public")),
        "the site is whole again"
    );
}

/// A site built twice (so that both versions exist), and the snapshots of the site before
/// and after one more edit.
struct Scenario {
    dir: tempfile::TempDir,
    old: Tree,
    new: Tree,
}

/// `first_build`: the killed build is the very first, into a folder that does not exist.
fn scenario(first_build: bool) -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_dir(common::site_with("").path(), &site);
    let out = dir.path().join("public");
    if !first_build {
        for (from, to) in [
            ("health-visiting: G", "health-visiting: A"),
            ("health-visiting: A", "health-visiting: G"),
        ] {
            let built = build_bin(&site, &out, &[]);
            assert!(
                built.status.success(),
                "{}",
                String::from_utf8_lossy(&built.stdout)
            );
            edit_rating(&site, from, to);
        }
        let built = build_bin(&site, &out, &[]);
        assert!(built.status.success());
    }
    let old = seen(&out);
    // The edit the killed build is making, and the site it should make.
    edit_rating(&site, "health-visiting: G", "health-visiting: R");
    let reference = tempfile::tempdir().unwrap();
    let built = build_bin(&site, &reference.path().join("public"), &[]);
    assert!(built.status.success());
    let new = seen(&reference.path().join("public"));
    assert!(old != new);
    Scenario { dir, old, new }
}

/// A copy of the scenario's folder, hard links and all, to kill a build in.
fn copy_of(s: &Scenario) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", s.dir.path().display()))
        .arg(copy.path())
        .status()
        .unwrap();
    assert!(status.success());
    copy
}

/// How many crash points a build of the scenario passes.
fn crash_points(s: &Scenario, env: &[(&str, &str)]) -> usize {
    let copy = copy_of(s);
    let mut env = env.to_vec();
    env.push(("SCOPEMAP_CRASH_AT", "1000000000"));
    let run = build_bin(&copy.path().join("site"), &copy.path().join("public"), &env);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("crash points passed: "))
        .unwrap_or_else(|| panic!("no count in {stderr}"))
        .parse()
        .unwrap()
}

/// Kill a build of the scenario at crash point `at`; the output must be the old site or
/// the new one, and the next build must finish the new one and leave nothing else behind.
fn kill_at(s: &Scenario, at: usize, env: &[(&str, &str)]) {
    let copy = copy_of(s);
    let (site, out) = (copy.path().join("site"), copy.path().join("public"));
    let mut env = env.to_vec();
    let at_text = at.to_string();
    env.push(("SCOPEMAP_CRASH_AT", &at_text));
    let run = build_bin(&site, &out, &env);
    assert!(!run.status.success(), "killed at point {at}");
    let after = seen(&out);
    assert!(
        after == s.old || after == s.new,
        "killed at point {at}: the output is neither the old site nor the new one"
    );
    let rebuilt = build_bin(&site, &out, &[]);
    assert!(
        rebuilt.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuilt.stdout)
    );
    assert!(
        seen(&out) == s.new,
        "after a kill at point {at}, the next build is whole"
    );
    assert_eq!(names(copy.path()), [".public.scopemap", "public", "site"]);
    let side = names(&copy.path().join(".public.scopemap"));
    assert!(side == ["lock", "standby"] || side == ["lock"], "{side:?}");
}

/// Every crash point of the last steps, where the output is switched, and an even sample
/// of the writing steps before them.
fn points_to_try(count: usize) -> Vec<usize> {
    let step = (count / 25).max(1);
    let mut points: Vec<usize> = (1..=count).step_by(step).collect();
    points.extend(count.saturating_sub(8).max(1)..=count);
    points.sort();
    points.dedup();
    points
}

#[test]
fn a_build_killed_at_any_step_leaves_the_old_site_or_the_new_one() {
    let s = scenario(false);
    let count = crash_points(&s, &[]);
    assert!(count > 10, "{count} crash points");
    for at in points_to_try(count) {
        kill_at(&s, at, &[]);
    }
}

#[test]
fn a_killed_first_build_leaves_no_site_or_a_whole_one() {
    let s = scenario(true);
    assert!(s.old.is_empty());
    let count = crash_points(&s, &[]);
    for at in points_to_try(count) {
        kill_at(&s, at, &[]);
    }
}

#[test]
fn without_an_atomic_exchange_a_killed_switch_is_put_right_by_the_next_build() {
    // The fallback for systems and disks that cannot exchange two names: three renames,
    // with the old site kept in the side folder while the new one has no place yet.
    let s = scenario(false);
    let env = [("SCOPEMAP_NO_EXCHANGE", "1")];
    let count = crash_points(&s, &env);
    for at in count.saturating_sub(6).max(1)..=count {
        let copy = copy_of(&s);
        let (site, out) = (copy.path().join("site"), copy.path().join("public"));
        let at_text = at.to_string();
        let run = build_bin(&site, &out, &[env[0], ("SCOPEMAP_CRASH_AT", &at_text)]);
        assert!(!run.status.success());
        let after = seen(&out);
        assert!(
            after.is_empty() || after == s.old || after == s.new,
            "point {at}"
        );
        let rebuilt = build_bin(&site, &out, &env);
        assert!(rebuilt.status.success());
        assert!(
            seen(&out) == s.new,
            "point {at}: the next build puts it right"
        );
        assert_eq!(names(copy.path()), [".public.scopemap", "public", "site"]);
        assert_eq!(
            names(&copy.path().join(".public.scopemap")),
            ["lock", "standby"],
            "point {at}: the old site kept aside is the standby again"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_build_killed_by_a_signal_at_random_moments_leaves_the_old_site_or_the_new_one() {
    use proptest::prelude::*;
    let s = scenario(false);
    let config = ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(delay_ms in 0u64..400)| {
        let copy = copy_of(&s);
        let (site, out) = (copy.path().join("site"), copy.path().join("public"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_scopemap"))
            .args(["build", "--root", site.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        let after = seen(&out);
        prop_assert!(after == s.old || after == s.new, "killed after {} ms", delay_ms);
        let rebuilt = build_bin(&site, &out, &[]);
        prop_assert!(rebuilt.status.success());
        prop_assert!(seen(&out) == s.new);
    });
}

#[test]
fn what_killed_builds_of_earlier_versions_left_is_cleaned_up() {
    let s = scenario(false);
    let copy = copy_of(&s);
    let (site, out) = (copy.path().join("site"), copy.path().join("public"));
    // Process ids above the largest the system hands out: no such process runs.
    for leftover in [".public.staging-4194399", ".public.old-4194398"] {
        std::fs::create_dir(copy.path().join(leftover)).unwrap();
        std::fs::write(copy.path().join(leftover).join("index.html"), "stale").unwrap();
    }
    let run = build_bin(&site, &out, &[]);
    assert!(run.status.success());
    assert_eq!(names(copy.path()), [".public.scopemap", "public", "site"]);

    // A killed build of an earlier version that had moved the site aside: it is put back
    // before the build, which then updates it.
    std::fs::rename(&out, copy.path().join(".public.old-4194398")).unwrap();
    edit_rating(&site, "health-visiting: R", "health-visiting: A");
    let run = build_bin(&site, &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    assert!(
        String::from_utf8_lossy(&run.stdout).contains(" written, "),
        "still incremental"
    );
    assert_eq!(names(copy.path()), [".public.scopemap", "public", "site"]);
    let reference = tempfile::tempdir().unwrap();
    assert!(
        build_bin(&site, &reference.path().join("public"), &[])
            .status
            .success()
    );
    assert!(seen(&out) == seen(&reference.path().join("public")));
}

#[test]
fn two_builds_at_once_take_turns() {
    let site = common::site_with("");
    let root = site.path().to_path_buf();
    let out = root.join("public");
    assert_eq!(common::build(&root, &out, Audience::Public).0, 0);
    edit_rating(&root, "health-visiting: G", "health-visiting: A");
    let codes: Vec<i32> = std::thread::scope(|scope| {
        let builds: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| common::build(&root, &out, Audience::Public).0))
            .collect();
        builds.into_iter().map(|b| b.join().unwrap()).collect()
    });
    assert_eq!(codes, [0, 0, 0]);
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(
        common::build(&root, &fresh.path().join("public"), Audience::Public).0,
        0
    );
    assert!(seen(&out) == seen(&fresh.path().join("public")));
}

#[test]
fn the_marker_is_the_same_however_the_paths_are_spelled() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(common::site_with("").path(), &dir.path().join("site"));
    let relative = Command::new(env!("CARGO_BIN_EXE_scopemap"))
        .current_dir(dir.path())
        .args(["build", "--root", "site", "--out", "a"])
        .output()
        .unwrap();
    assert!(relative.status.success());
    let absolute = dir.path().canonicalize().unwrap();
    let run = build_bin(&absolute.join("site"), &absolute.join("b"), &[]);
    assert!(run.status.success());
    let dotted = build_bin(
        &absolute.join("site/../site/."),
        &absolute.join("site/../c"),
        &[],
    );
    assert!(
        dotted.status.success(),
        "{}",
        String::from_utf8_lossy(&dotted.stdout)
    );
    let marker =
        |name: &str| std::fs::read(dir.path().join(name).join(".scopemap-output")).unwrap();
    assert!(
        marker("a") == marker("b"),
        "relative and absolute roots give the same marker"
    );
    assert!(marker("a") == marker("c"));
}
