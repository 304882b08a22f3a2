//! Hostile spreadsheets given to `scopemap import`, run as the real binary in a child
//! process limited to 256 MiB of address space.
//!
//! Most hostile workbooks are made here from a real filled form: its parts are taken out
//! of the zip, changed (a cell at XFD1048576, a forged `<dimension>`, one cell inflating to
//! 1.5 GiB, millions of rows, a shared-strings table declaring four billion strings, forged
//! sizes in the zip's central directory) and zipped again; a file too large and a zip
//! listing 190,000 files are made from nothing. A bomb must be refused with E120 or E121
//! naming the file and the limit; a workbook whose only fault is a false declared size
//! must import as usual, since declared sizes are not used.
//!
//! The memory ceiling is an address-space limit (`RLIMIT_AS`) set in the child before it
//! starts: an allocation past it fails and the child aborts, which fails the test. Address
//! space is never less than resident memory, and mimalloc's reservations fit well within
//! it (an ordinary import runs under 60 MiB). The child's peak resident size is not used:
//! Linux carries the parent's memory into a spawned child's `ru_maxrss`.
#![cfg(target_os = "linux")]

mod common;

use scopemap::forms::{FilledRating, FormFill, write_form};
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use zip::write::SimpleFileOptions;

const MEMORY_CEILING_BYTES: libc::rlim_t = 256 * 1024 * 1024;

/// A form's parts: (name in the zip, bytes).
type Parts = Vec<(String, Vec<u8>)>;

/// A part too large to hold: its name, and what writes its bytes in pieces.
type BigPart<'a> = (&'a str, &'a dyn Fn(&mut dyn Write));

/// What a run of `scopemap import` did.
struct Run {
    code: i32,
    stdout: String,
}

/// `scopemap import --root ROOT FORM` as a child process under the memory ceiling.
fn import(root: &Path, form: &Path) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scopemap"));
    command
        .arg("import")
        .arg("--root")
        .arg(root)
        .arg(form)
        // A fixed number of threads, so the address space their stacks take is the same on
        // every machine.
        .env("RAYON_NUM_THREADS", "2");
    // SAFETY: the closure runs in the forked child before exec and only calls setrlimit,
    // which is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_CEILING_BYTES,
                rlim_max: MEMORY_CEILING_BYTES,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let output = command.output().expect("run scopemap");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let Some(code) = output.status.code() else {
        panic!(
            "scopemap was killed by signal {:?} (an allocation past the 256 MiB ceiling aborts it); stderr:\n{stderr}",
            output.status.signal()
        );
    };
    assert!(stderr.is_empty(), "stderr:\n{stderr}");
    Run { code, stdout }
}

impl Run {
    /// Refused with `code` for the workbook `file`, with `message` in the error line.
    fn assert_refused(&self, code: &str, file: &str, message: &str) {
        assert_eq!(self.code, 1, "{}", self.stdout);
        let line = format!("error[{code}]: ");
        let error = self
            .stdout
            .lines()
            .find(|l| l.starts_with(&line))
            .unwrap_or_else(|| panic!("no {code} in:\n{}", self.stdout));
        assert!(error.contains(message), "{error}");
        assert!(
            self.stdout.contains(&format!("  --> {file}\n")),
            "the error does not name {file}:\n{}",
            self.stdout
        );
        assert!(self.stdout.contains("not imported: "), "{}", self.stdout);
    }

    fn assert_imported(&self, root: &Path) {
        assert_eq!(self.code, 0, "{}", self.stdout);
        let written = root.join("scoping-data/returns/2023/north/alphabeta.yaml");
        assert!(written.is_file(), "{}", self.stdout);
        let yaml = std::fs::read_to_string(written).expect("return");
        assert!(yaml.contains("area: \"alphabeta\""), "{yaml}");
    }
}

/// A site to import into, and a filled 2023 form for its area `alphabeta`, rated `G`
/// throughout, as parts.
fn site_and_form() -> (tempfile::TempDir, Parts) {
    let site = common::base_with("");
    let (ds, _) = scopemap::commands::check_data(site.path());
    let mut fill = FormFill::default();
    for category in ds.framework().expect("framework").categories_in(2023) {
        fill.ratings.insert(
            category.id.value.clone(),
            FilledRating {
                rating: "G".into(),
                note: None,
            },
        );
    }
    let forms = tempfile::tempdir().expect("temp dir");
    let form = write_form(&ds, 2023, "north", "alphabeta", &fill, forms.path()).expect("form");
    (site, read_parts(&form))
}

fn read_parts(path: &Path) -> Parts {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).expect("part");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("read part");
            (file.name().expect("name").to_string(), bytes)
        })
        .collect()
}

fn text_of(parts: &Parts, name: &str) -> String {
    let (_, bytes) = parts.iter().find(|(n, _)| n == name).expect(name);
    String::from_utf8(bytes.clone()).expect("utf-8")
}

fn set_text(parts: &mut Parts, name: &str, text: String) {
    let part = parts.iter_mut().find(|(n, _)| n == name).expect(name);
    part.1 = text.into_bytes();
}

/// The zip path of a sheet, found through the workbook and its relationships.
fn sheet_part(parts: &Parts, sheet: &str) -> String {
    let workbook = text_of(parts, "xl/workbook.xml");
    let id = regex::Regex::new(&format!(r#"<sheet name="{sheet}"[^>]* r:id="(rId\d+)""#))
        .expect("regex")
        .captures(&workbook)
        .expect("sheet")[1]
        .to_string();
    let rels = text_of(parts, "xl/_rels/workbook.xml.rels");
    let target = regex::Regex::new(&format!(r#"Id="{id}"[^>]* Target="([^"]+)""#))
        .expect("regex")
        .captures(&rels)
        .expect("relationship")[1]
        .to_string();
    format!("xl/{target}")
}

/// Write `parts` as a deflated zip at `dir/name`; `big`, when given, is one more part
/// whose bytes are produced by a function writing them in pieces.
fn write_zip(dir: &Path, name: &str, parts: &Parts, big: Option<BigPart<'_>>) -> PathBuf {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).expect("create");
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, bytes) in parts {
        if big.is_some_and(|(big_name, _)| big_name == name) {
            continue;
        }
        zip.start_file(name.as_str(), options).expect("start");
        zip.write_all(bytes).expect("write");
    }
    if let Some((big_name, produce)) = big {
        zip.start_file(big_name, options).expect("start");
        produce(&mut zip);
    }
    zip.finish().expect("finish").flush().expect("flush");
    path
}

/// A sheet part with the rows `write_rows` writes in its `<sheetData>`, in place of its own.
fn sheet_with_rows<F: Fn(&mut dyn Write)>(
    original: &str,
    write_rows: F,
) -> impl Fn(&mut dyn Write) + use<F> {
    let start = original.find("<sheetData>").expect("sheetData") + "<sheetData>".len();
    let end = original.find("</sheetData>").expect("/sheetData");
    let head = original[..start].to_string();
    let tail = original[end..].to_string();
    move |out: &mut dyn Write| {
        out.write_all(head.as_bytes()).expect("write");
        write_rows(out);
        out.write_all(tail.as_bytes()).expect("write");
    }
}

/// Rewrite the declared sizes of every file in a zip (central directory and local
/// headers) to `size`, leaving the data as it is.
fn forge_declared_sizes(path: &Path, size: u32) {
    let mut bytes = std::fs::read(path).expect("read");
    let u16_at = |b: &[u8], at: usize| usize::from(u16::from_le_bytes([b[at], b[at + 1]]));
    let u32_at = |b: &[u8], at: usize| {
        u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes")) as usize
    };
    let end = (0..bytes.len() - 21)
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .expect("end of central directory");
    let entries = u16_at(&bytes, end + 10);
    let mut at = u32_at(&bytes, end + 16);
    for _ in 0..entries {
        assert_eq!(
            bytes[at..at + 4],
            [0x50, 0x4b, 0x01, 0x02],
            "central header"
        );
        bytes[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
        let local = u32_at(&bytes, at + 42);
        assert_eq!(
            bytes[local..local + 4],
            [0x50, 0x4b, 0x03, 0x04],
            "local header"
        );
        bytes[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
        at += 46 + u16_at(&bytes, at + 28) + u16_at(&bytes, at + 30) + u16_at(&bytes, at + 32);
    }
    std::fs::write(path, bytes).expect("write");
}

fn no_return_written(root: &Path) {
    assert!(
        !root
            .join("scoping-data/returns/2023/north/alphabeta.yaml")
            .exists()
    );
}

#[test]
fn the_unchanged_form_imports_within_the_memory_ceiling() {
    let (site, parts) = site_and_form();
    let work = tempfile::tempdir().expect("temp dir");
    let form = write_zip(work.path(), "plain.xlsx", &parts, None);
    import(site.path(), &form).assert_imported(site.path());
}

#[test]
fn a_value_at_the_last_cell_of_a_sheet_is_refused() {
    let (site, mut parts) = site_and_form();
    let ratings = sheet_part(&parts, "Ratings");
    let far = r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far away</t></is></c></row></sheetData>"#;
    let text = text_of(&parts, &ratings).replace("</sheetData>", far);
    set_text(&mut parts, &ratings, text);
    let work = tempfile::tempdir().expect("temp dir");
    let form = write_zip(work.path(), "far-cell.xlsx", &parts, None);
    assert!(std::fs::metadata(&form).expect("size").len() < 16 * 1024);
    let run = import(site.path(), &form);
    run.assert_refused(
        "E121",
        "far-cell.xlsx",
        "Ratings!XFD1048576: a value outside",
    );
    no_return_written(site.path());
}

#[test]
fn a_forged_dimension_is_not_used() {
    let (site, mut parts) = site_and_form();
    let dimension = regex::Regex::new(r#"<dimension ref="[^"]*"/>"#).expect("regex");
    for sheet in ["Ratings", "Services", "About"] {
        let part = sheet_part(&parts, sheet);
        let text = dimension
            .replace(
                &text_of(&parts, &part),
                r#"<dimension ref="A1:XFD1048576"/>"#,
            )
            .into_owned();
        assert!(text.contains("XFD1048576"), "{sheet} has no dimension");
        set_text(&mut parts, &part, text);
    }
    let work = tempfile::tempdir().expect("temp dir");
    let form = write_zip(work.path(), "dimension.xlsx", &parts, None);
    import(site.path(), &form).assert_imported(site.path());
}

/// A form whose Ratings note F6 holds 1.5 GiB of one letter, deflated to about 1.5 MB.
fn deflate_bomb(parts: &Parts, dir: &Path, name: &str) -> PathBuf {
    let ratings = sheet_part(parts, "Ratings");
    let sheet = sheet_with_rows(&text_of(parts, &ratings), |out| {
        out.write_all(br#"<row r="6"><c r="F6" t="inlineStr"><is><t>"#)
            .expect("write");
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..1536 {
            out.write_all(&chunk).expect("write");
        }
        out.write_all(b"</t></is></c></row>").expect("write");
    });
    let form = write_zip(dir, name, parts, Some((&ratings, &sheet)));
    assert!(std::fs::metadata(&form).expect("size").len() < 4 * 1024 * 1024);
    form
}

#[test]
fn a_cell_that_inflates_to_gigabytes_is_refused() {
    let (site, parts) = site_and_form();
    let work = tempfile::tempdir().expect("temp dir");
    let form = deflate_bomb(&parts, work.path(), "bomb.xlsx");
    let ratings = sheet_part(&parts, "Ratings");
    import(site.path(), &form).assert_refused(
        "E120",
        "bomb.xlsx",
        &format!("`{ratings}` inflates to more than 8 MiB"),
    );
    no_return_written(site.path());
}

#[test]
fn sizes_declared_in_the_zip_are_not_trusted() {
    let (site, parts) = site_and_form();
    let work = tempfile::tempdir().expect("temp dir");

    // A bomb declaring every part 100 bytes long is still stopped at the real limit.
    let form = deflate_bomb(&parts, work.path(), "small-lie.xlsx");
    forge_declared_sizes(&form, 100);
    let ratings = sheet_part(&parts, "Ratings");
    import(site.path(), &form).assert_refused(
        "E120",
        "small-lie.xlsx",
        &format!("`{ratings}` inflates to more than 8 MiB"),
    );
    no_return_written(site.path());

    // A good form declaring every part 4 GiB long is read as it really is.
    let form = write_zip(work.path(), "big-lie.xlsx", &parts, None);
    forge_declared_sizes(&form, u32::MAX - 1);
    import(site.path(), &form).assert_imported(site.path());
}

#[test]
fn millions_of_rows_are_refused() {
    let (site, parts) = site_and_form();
    let ratings = sheet_part(&parts, "Ratings");
    let work = tempfile::tempdir().expect("temp dir");

    // Two million rows of one empty, formatted cell each: all inside the form's area by
    // column, so only the count of rows stops them.
    let empty_rows = sheet_with_rows(&text_of(&parts, &ratings), |out| {
        for row in 1..=2_000_000u32 {
            write!(out, r#"<row r="{row}"><c r="A{row}" s="1"/></row>"#).expect("write");
        }
    });
    let form = write_zip(
        work.path(),
        "rows.xlsx",
        &parts,
        Some((&ratings, &empty_rows)),
    );
    import(site.path(), &form).assert_refused(
        "E120",
        "rows.xlsx",
        "the sheets of the form have more than 50000 rows",
    );

    // A million rows holding a value: the first one past row 5000 is refused.
    let full_rows = sheet_with_rows(&text_of(&parts, &ratings), |out| {
        for row in 1..=1_000_000u32 {
            write!(
                out,
                r#"<row r="{row}"><c r="B{row}"><v>{row}</v></c></row>"#
            )
            .expect("write");
        }
    });
    let form = write_zip(
        work.path(),
        "values.xlsx",
        &parts,
        Some((&ratings, &full_rows)),
    );
    import(site.path(), &form).assert_refused(
        "E121",
        "values.xlsx",
        "Ratings!B5001: a value outside the area a form uses (rows 1 to 5000, columns A to Z)",
    );
    no_return_written(site.path());
}

#[test]
fn the_shared_strings_table_is_bounded_by_what_it_holds() {
    let (site, mut parts) = site_and_form();
    let work = tempfile::tempdir().expect("temp dir");
    let strings = "xl/sharedStrings.xml";
    let original = text_of(&parts, strings);
    let declared = regex::Regex::new(r#"(count|uniqueCount)="\d+""#).expect("regex");

    // Four billion strings declared, the real few held: read as it really is.
    let forged = declared
        .replace_all(&original, r#"$1="4294967295""#)
        .into_owned();
    assert_ne!(forged, original);
    set_text(&mut parts, strings, forged.clone());
    let form = write_zip(work.path(), "declared.xlsx", &parts, None);
    import(site.path(), &form).assert_imported(site.path());
    std::fs::remove_file(
        site.path()
            .join("scoping-data/returns/2023/north/alphabeta.yaml"),
    )
    .expect("remove");

    // Two hundred thousand strings held, after the form's own: refused at the limit.
    let many: String = (0..200_000)
        .map(|i| format!("<si><t>{i}</t></si>"))
        .collect();
    set_text(
        &mut parts,
        strings,
        forged.replace("</sst>", &format!("{many}</sst>")),
    );
    let form = write_zip(work.path(), "strings.xlsx", &parts, None);
    import(site.path(), &form).assert_refused(
        "E120",
        "strings.xlsx",
        "`xl/sharedStrings.xml` holds more than 100000 strings",
    );
    no_return_written(site.path());
}

#[test]
fn a_file_over_the_size_of_any_form_is_refused_unopened() {
    let (site, _) = site_and_form();
    let work = tempfile::tempdir().expect("temp dir");
    let path = work.path().join("huge.xlsx");
    std::fs::write(&path, vec![0u8; 11 * 1024 * 1024]).expect("write");
    import(site.path(), &path).assert_refused(
        "E120",
        "huge.xlsx",
        "the file is 11534336 bytes, more than the 10 MiB a form can be",
    );
}

/// A zip whose central directory lists `count` empty files, all pointing at one local
/// header: the most files a zip of this size can list (zip64, for over 65,535).
fn zip_listing(count: u32) -> Vec<u8> {
    let name = b"x";
    let mut bytes = Vec::new();
    bytes.extend(0x0403_4b50u32.to_le_bytes());
    bytes.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, method, time, date
    bytes.extend([0; 12]); // checksum and sizes: empty
    bytes.extend(1u16.to_le_bytes());
    bytes.extend(0u16.to_le_bytes());
    bytes.extend(name);
    let directory_start = bytes.len() as u64;
    for i in 0..count {
        let name = format!("{i:05x}");
        bytes.extend(0x0201_4b50u32.to_le_bytes());
        bytes.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // versions, flags, method, time, date
        bytes.extend([0; 12]); // checksum and sizes: empty
        bytes.extend((name.len() as u16).to_le_bytes());
        bytes.extend([0; 12]); // extra, comment, disk, attributes
        bytes.extend(0u32.to_le_bytes()); // the one local header
        bytes.extend(name.as_bytes());
    }
    let directory_size = bytes.len() as u64 - directory_start;
    let zip64_end = bytes.len() as u64;
    bytes.extend(0x0606_4b50u32.to_le_bytes());
    bytes.extend(44u64.to_le_bytes());
    bytes.extend([45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend(u64::from(count).to_le_bytes());
    bytes.extend(u64::from(count).to_le_bytes());
    bytes.extend(directory_size.to_le_bytes());
    bytes.extend(directory_start.to_le_bytes());
    bytes.extend(0x0706_4b50u32.to_le_bytes());
    bytes.extend(0u32.to_le_bytes());
    bytes.extend(zip64_end.to_le_bytes());
    bytes.extend(1u32.to_le_bytes());
    bytes.extend(0x0605_4b50u32.to_le_bytes());
    bytes.extend([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    bytes.extend([0xff; 8]);
    bytes.extend([0, 0]);
    bytes
}

#[test]
fn a_zip_listing_many_files_is_refused() {
    let (site, _) = site_and_form();
    let work = tempfile::tempdir().expect("temp dir");
    let path = work.path().join("files.xlsx");
    let bytes = zip_listing(190_000);
    assert!(bytes.len() < 10 * 1024 * 1024, "{} bytes", bytes.len());
    std::fs::write(&path, bytes).expect("write");
    import(site.path(), &path).assert_refused(
        "E120",
        "files.xlsx",
        "the workbook's zip holds 190000 files, more than the 1000 a form can have",
    );
}
