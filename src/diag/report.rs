//! The reporter: where a command's report goes. Everything a command prints goes through
//! it, so what happens when the output cannot be written is decided in one place.
//!
//! In: lines, diagnostics and failures to print, and the writer they go to. Out: the text
//! on the writer. A reader that goes away early (`scopemap validate | head -1`) is a broken
//! pipe: the rest of the report is dropped quietly and the command finishes as it would
//! have. Any other write error is kept, and turns the exit status into "could not run".

use super::{Diagnostic, Failure, Format, SourceLookup};
use std::io::{ErrorKind, Write};

/// A command's output.
pub struct Reporter<'w> {
    out: &'w mut dyn Write,
    /// The reader has gone: nothing more is written.
    closed: bool,
    /// A write that failed for another reason than a broken pipe.
    failed: Option<std::io::Error>,
}

impl<'w> Reporter<'w> {
    pub fn new(out: &'w mut dyn Write) -> Reporter<'w> {
        Reporter {
            out,
            closed: false,
            failed: None,
        }
    }

    /// Write `text` as it is.
    pub fn text(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    /// Write bytes as they are (a log gathered elsewhere).
    pub fn bytes(&mut self, bytes: &[u8]) {
        if self.closed {
            return;
        }
        if let Err(e) = self.out.write_all(bytes) {
            self.closed = true;
            if e.kind() != ErrorKind::BrokenPipe {
                self.failed = Some(e);
            }
        }
    }

    /// Write one line.
    pub fn line(&mut self, line: impl std::fmt::Display) {
        self.text(&format!("{line}\n"));
    }

    /// Print a failure: `error: …` and its help.
    pub fn failure(&mut self, failure: &Failure) {
        self.text(&failure.render());
    }

    /// Print a warning, with its help: `warning: …`.
    pub fn warning(&mut self, warning: &Failure) {
        self.text(&warning.render_as("warning"));
    }

    /// Print diagnostics in `format`, quoting the lines `sources` has.
    pub fn diagnostics(
        &mut self,
        diagnostics: &[Diagnostic],
        format: Format,
        sources: &dyn SourceLookup,
    ) {
        if diagnostics.is_empty() || self.closed {
            return;
        }
        let mut text = Vec::new();
        // Writing into memory cannot fail.
        let _ = super::print(diagnostics, format, sources, &mut text);
        self.bytes(&text);
    }

    /// The exit status of a command that ended with `code`: "could not run" (2) when its
    /// report could not be written for another reason than a closed reader, which is then
    /// said on the error output.
    pub fn exit(self, code: i32) -> i32 {
        match self.failed {
            None => code,
            Some(e) => {
                eprintln!("error: the report could not be written: {e}");
                crate::EXIT_CANNOT_RUN
            }
        }
    }
}

/// A reporter is itself a writer, for code that logs to any writer (a build, a server):
/// what it is given is reported, and a write never fails.
impl Write for Reporter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.bytes(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.closed
            && let Err(e) = self.out.flush()
        {
            self.closed = true;
            if e.kind() != ErrorKind::BrokenPipe {
                self.failed = Some(e);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails every write with `kind`, counting the attempts.
    struct Failing(ErrorKind, usize);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            self.1 += 1;
            Err(self.0.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_broken_pipe_ends_the_report_quietly() {
        let mut pipe = Failing(ErrorKind::BrokenPipe, 0);
        let mut out = Reporter::new(&mut pipe);
        out.line("one");
        out.line("two");
        assert_eq!(out.exit(1), 1);
        assert_eq!(pipe.1, 1, "nothing is written after the reader went away");
    }

    #[test]
    fn any_other_write_error_means_the_command_could_not_run() {
        let mut full = Failing(ErrorKind::StorageFull, 0);
        let mut out = Reporter::new(&mut full);
        out.line("one");
        assert_eq!(out.exit(0), crate::EXIT_CANNOT_RUN);
    }

    #[test]
    fn failures_print_like_diagnostics() {
        let mut text = Vec::new();
        let mut out = Reporter::new(&mut text);
        out.failure(&Failure::new("cannot write x\u{1b}[2J").help("check the disk"));
        out.failure(&Failure::new("no help"));
        assert_eq!(out.exit(0), 0);
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "error: cannot write x\\u{1b}[2J\n   = help: check the disk\nerror: no help\n"
        );
    }
}
