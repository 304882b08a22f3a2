//! scopemap: reads yearly service-provision returns as YAML, validates them, and renders
//! a static website of provision matrices, area pages, a service directory and open data.
//!
//! The flow runs one way: `load` → `validate` → `audience` → `analyse` → `render` →
//! `write`, run by `pipeline::build` for `build` and `serve` alike. The command-line front
//! end in `main.rs` only parses arguments and calls `commands`; docs/architecture.md says
//! which module may use which.

pub mod commands;
pub mod diag;
pub mod load;
pub mod model;
pub mod validate;

/// Exit status: the command ran and found no errors (warnings allowed).
pub const EXIT_OK: i32 = 0;
/// Exit status: the data has errors.
pub const EXIT_DATA_ERRORS: i32 = 1;
/// Exit status: the command could not run (bad arguments, unreadable folder).
pub const EXIT_CANNOT_RUN: i32 = 2;
pub mod analyse;
pub mod audience;
pub mod check;
pub mod cycle;
pub mod fixture;
pub mod forms;
pub mod init;
pub mod oruk;
pub mod pdf;
pub mod pipeline;
pub mod render;
pub mod search_text;
pub mod serve;
pub mod write;
