//! What the render stage hands its files to: a file of the site (its path inside the output
//! folder and its bytes) and the sink that takes each one as soon as it is made.
//!
//! In: files from any thread. Out: whatever the sink does with them; the `Staging` folder
//! of this stage writes them into the next version of the site.

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with forward slashes, e.g. `regions/x/2022/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go.
pub trait Sink: Sync {
    /// Take one file: a path relative to the output folder and its bytes. Called from
    /// several threads at once.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), super::WriteError>;

    /// The pages about to be rendered, told once before the first of them is handed over,
    /// on a thread of its own while the pages render: a sink that writes to a disk can
    /// make their folders meanwhile. A failure here must be left for `put` to report.
    fn expect(&self, _paths: &[&str]) {}
}
