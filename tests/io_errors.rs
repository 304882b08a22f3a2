//! Files that cannot be read or written: each is reported with its code and the system's
//! reason, and the command fails without publishing or writing anything half way.
//!
//! Permissions cannot make a file unreadable to every user (the tests may run as root), so
//! the failures here come from paths longer than Linux opens (`PATH_MAX`): a file is made
//! while the folders above it have short names, and a folder above it is then renamed to a
//! longer name, which leaves the file's whole path too long to open.
#![cfg(target_os = "linux")]

mod common;

use scopemap::audience::Audience;
use std::path::{Path, PathBuf};

/// The longest path Linux opens, in bytes (`PATH_MAX` less the closing NUL).
const PATH_MAX: usize = 4095;

/// Make the folder `start` and folders inside it until the path is `len` bytes long.
fn folder_of_length(start: &Path, len: usize) -> PathBuf {
    let mut path = start.to_path_buf();
    loop {
        let left = len - path.as_os_str().len();
        let name = match left {
            0 => break,
            1 => panic!("a folder name cannot be 0 bytes long"),
            2..=201 => left - 1,
            202 => 100,
            _ => 200,
        };
        path.push("d".repeat(name));
    }
    std::fs::create_dir_all(&path).unwrap();
    path
}

/// `path` with its first component below `top` renamed on disk to a name `longer` bytes
/// longer; returns where `path` now is.
fn lengthen_below(top: &Path, path: &Path, longer: usize) -> PathBuf {
    let inner = path.strip_prefix(top).unwrap();
    let first = inner
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_str()
        .unwrap();
    let renamed = format!("{first}{}", "x".repeat(longer));
    std::fs::rename(top.join(first), top.join(&renamed)).unwrap();
    top.join(renamed).join(inner.strip_prefix(first).unwrap())
}

fn len(path: &Path) -> usize {
    path.as_os_str().len()
}

#[test]
fn a_data_file_that_cannot_be_opened_is_named_with_the_reason() {
    let top = tempfile::tempdir().unwrap();
    let name = format!("{}.yaml", "a".repeat(240));
    let inner = format!("scoping-data/returns/2022/north/{name}");
    // After the rename, the root is 3,900 bytes long: the new return's path is too long
    // to open, but every other file of the fixture (46 bytes at most) is not.
    let grow = 249;
    let root = folder_of_length(&top.path().join("s"), 3900 - grow);
    common::copy_dir(&common::fixtures().join("base"), &root);
    std::fs::copy(
        root.join("scoping-data/returns/2022/north/alpha-ccg.yaml"),
        root.join(&inner),
    )
    .unwrap();
    let root = lengthen_below(top.path(), &root, grow);
    assert!(len(&root.join(&inner)) > PATH_MAX);
    assert!(len(&root.join("scoping-data/returns/2022/north/alpha-ccg.yaml")) <= PATH_MAX);

    let mut printed = Vec::new();
    let code = scopemap::commands::validate_command(
        &root,
        scopemap::commands::Format::Human,
        &mut printed,
    );
    let printed = String::from_utf8(printed).unwrap();
    assert_eq!(code, 1, "{printed}");
    let (_, all) = scopemap::commands::check_data(&root);
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = &all[0];
    assert_eq!(
        (d.code, d.file.as_str(), d.line, d.column),
        ("E006", inner.as_str(), 0, 0)
    );
    assert_eq!(
        d.message,
        "cannot read the file: File name too long (os error 36)"
    );
    assert_eq!(d.help.as_deref(), Some("check the file's permissions"));
    assert!(
        printed.contains(&format!(
            "error[E006]: cannot read the file: File name too long (os error 36)\n  --> {inner}\n"
        )),
        "{printed}"
    );
}

#[test]
fn a_static_file_that_cannot_be_read_stops_the_build() {
    let top = tempfile::tempdir().unwrap();
    let name = format!("{}.svg", "a".repeat(240));
    // The root ends 3,900 bytes long, so `static/<name>` is too long to open but the
    // theme's and the fixture's files (66 bytes at most) are not.
    let grow = 249;
    let root = folder_of_length(&top.path().join("s"), 3900 - grow);
    common::copy_dir(common::site_with("").path(), &root);
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static").join(&name), "<svg/>").unwrap();
    let root = lengthen_below(top.path(), &root, grow);
    assert!(len(&root.join("static").join(&name)) > PATH_MAX);

    let out = top.path().join("public");
    let (code, log) = common::build(&root, &out, Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(&format!(
            "error[E063]: cannot read the static file: File name too long (os error 36)\n  --> static/{name}\n"
        )),
        "{log}"
    );
    assert!(!out.exists(), "a failed build made {}", out.display());
}

#[test]
fn a_file_that_cannot_be_written_into_the_output_stops_the_build_and_keeps_the_old_site() {
    let site = common::site_with("");
    let top = tempfile::tempdir().unwrap();
    // A static file whose path, 3,900 bytes long inside `static/`, can be read from the
    // site but not written where the new version of the output is made, beside an output
    // folder whose path is more than 200 bytes longer than the site root's.
    let folder = folder_of_length(&site.path().join("static").join("s"), 3860);
    let name = format!("{}.svg", "a".repeat(3900 - len(&folder) - 1 - 4));
    let file = folder.join(&name);
    std::fs::write(&file, "<svg/>").unwrap();
    assert!(len(&file) <= PATH_MAX);
    let rel = file
        .strip_prefix(site.path().join("static"))
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let out = folder_of_length(&top.path().join("o"), len(site.path()) + 300).join("public");

    // A first build without the file publishes a site, which the failed build keeps.
    let hidden = site.path().join("hidden");
    std::fs::rename(site.path().join("static").join("s"), &hidden).unwrap();
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let before = common::tree(&out);
    std::fs::rename(&hidden, site.path().join("static").join("s")).unwrap();
    assert!(len(&out.join(&rel)) > PATH_MAX);

    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(&format!(
            "error[E065]: cannot write {rel}: File name too long (os error 36)\n  --> {rel}\n"
        )),
        "{log}"
    );
    assert!(
        log.contains("= help: check free disk space and permissions of the output folder"),
        "{log}"
    );
    assert_eq!(common::tree(&out), before, "the published site changed");
}

#[test]
fn a_return_that_cannot_be_written_is_named_and_nothing_is_imported() {
    use scopemap::forms::{FilledRating, FormFill, write_form};
    let site = common::base_with("");
    let (ds, _) = scopemap::commands::check_data(site.path());
    let mut fill = FormFill::default();
    for id in ["parent-infant", "health-visiting", "family-hubs"] {
        let rating = FilledRating {
            rating: "G".into(),
            note: None,
        };
        fill.ratings.insert(id.into(), rating);
    }
    let forms = tempfile::tempdir().unwrap();
    let form = write_form(&ds, 2023, "north", "alphabeta", &fill, forms.path()).unwrap();
    // A file where the folder of the year's returns would go.
    let year = site.path().join("scoping-data/returns/2023");
    std::fs::write(&year, "").unwrap();

    let mut printed = Vec::new();
    let code = scopemap::commands::import_forms_command(
        site.path(),
        std::slice::from_ref(&form),
        false,
        false,
        &mut printed,
    );
    let printed = String::from_utf8(printed).unwrap();
    assert_eq!(code, 1, "{printed}");
    let target = year.join("north/alphabeta.yaml");
    let form_name = form.file_name().unwrap().to_str().unwrap();
    assert!(
        printed.contains(&format!(
            "error[E085]: cannot write {}: Not a directory (os error 20)\n  --> {form_name}\n",
            target.display()
        )),
        "{printed}"
    );
    assert!(
        printed.contains(
            "= help: check that the data folder can be written, then import this form again"
        ),
        "{printed}"
    );
    assert!(printed.contains("nothing was written"), "{printed}");
    assert_eq!(std::fs::read(&year).unwrap(), b"");
}
