//! `scopemap init DIR [--from-network OTHER_SITE]`: write a new network's starting site.
//!
//! In: the new site's folder and, optionally, a site whose framework to copy. Out: a line
//! per part of what was written and what to do next, or the diagnostics that stopped it
//! (E280–E282), with nothing written.

use super::reporting;
use crate::EXIT_OK;
use crate::diag::{Format, SourceMap};
use crate::init::{Stop, init_site};
use std::io::Write;
use std::path::Path;

/// `scopemap init`.
pub fn init_command(dir: &Path, from_network: Option<&Path>, out: &mut dyn Write) -> i32 {
    reporting(out, |out| match init_site(dir, from_network) {
        Ok(written) => {
            let shown = dir.display();
            out.line(format_args!(
                "wrote a new scopemap site into {shown}: {} files",
                written.files.len()
            ));
            match &written.framework_from {
                Some(file) => out.line(format_args!(
                    "  scoping-data/framework.yaml: copied from {}",
                    file.display()
                )),
                None => out.line(
                    "  scoping-data/framework.yaml: the categories and rating key of the 2022 North West Coast reports",
                ),
            }
            out.line(format_args!(
                "  an example region with two example areas, an example {} return and an example service; pages to fill in content/; the default theme in themes/default/",
                written.year
            ));
            out.line(format_args!(
                "next: read {}, replace the examples (`scopemap validate --root {shown}` lists each one still there), then `scopemap build --root {shown}`",
                dir.join("README.md").display()
            ));
            Ok(EXIT_OK)
        }
        Err(Stop::Found {
            diagnostics,
            sources,
            exit,
        }) => {
            out.diagnostics(&diagnostics, Format::Human, &SourceMap::new(&sources));
            Ok(exit)
        }
        Err(Stop::Failed(failure)) => Err(failure),
    })
}
