//! The `scopemap` command line: parses the arguments and hands them to `commands::run`.

use clap::Parser;
use scopemap::commands::{self, Cli};
use std::process::ExitCode;

// The build allocates many short-lived strings on every thread; mimalloc handles that
// far better than the system allocator (a third of a national build went to malloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (its number in `mimalloc.h`, the same in mimalloc 2
/// and 3): how long freed memory is kept before it is handed back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keep memory the build frees for the rest of the process instead of handing it back to
/// the system. A build frees and allocates pages all the time; memory handed back must be
/// zeroed again by the kernel when it is reused, which made a national build about 7%
/// slower.
/// For one build only: the process ends soon after, whereas `serve` should shrink again.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's plain integer options (-1: never purge); the call
    // checks the option number and touches nothing else.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// The exit status: 0 ran and found no errors (warnings allowed), 1 the data has errors,
/// 2 the command could not run.
fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.builds_once() {
        keep_freed_memory();
    }
    let code = commands::run(cli, &mut std::io::stdout().lock());
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
