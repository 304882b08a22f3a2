//! Failures: what stops a command (a folder that is not there, a file that cannot be
//! written, an address that cannot be listened on), as opposed to what is wrong with the
//! data, which is a `Diagnostic`.
//!
//! In: a message and, where there is one, what to do about it. Out: the same two lines a
//! diagnostic ends with — `error: …` and `   = help: …` — with anything a terminal would
//! obey shown as an escape.

use super::visible;

/// Why a command could not do what it was asked, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub message: String,
    pub help: Option<String>,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Failure {
        self.help = Some(help.into());
        self
    }

    /// The same failure with `more` said after it (`…; more`).
    pub fn and(mut self, more: &str) -> Failure {
        self.message = format!("{}; {more}", self.message);
        self
    }

    /// `cannot <action> <path>: <why>`, for a file or folder the system refused.
    pub fn io(action: &str, path: &std::path::Path, e: &std::io::Error) -> Failure {
        Failure::new(format!("cannot {action} {}: {e}", path.display()))
    }

    /// The failure as printed: `error: …`, then `   = help: …` when there is help.
    pub fn render(&self) -> String {
        self.render_as("error")
    }

    /// As `render`, with another label (`warning`).
    pub fn render_as(&self, label: &str) -> String {
        let mut text = format!("{label}: {}\n", visible(&self.message));
        if let Some(help) = &self.help {
            text.push_str(&format!("   = help: {}\n", visible(help)));
        }
        text
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::new(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::new(message)
    }
}
