//! One headless Chromium kept open to print many pages, driven through the DevTools
//! protocol over a pipe (`--remote-debugging-pipe`): the browser reads commands from its
//! file descriptor 3 and writes answers and events to 4, each a JSON message ended by a
//! NUL byte. Starting Chromium takes about as long as printing a dozen short pages, so a
//! run that prints every brief of a year starts it once.
//!
//! Only the four commands printing needs are used (open a tab, attach to it, load a page,
//! print it); no port is opened, and the browser runs with its own empty profile and no
//! network features, as for a single page. Each PDF is written beside its destination and
//! moved into place only when it is a PDF, as `print_with` does.

use crate::diag::Failure;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long one step (starting, loading a page, printing it) may take.
const STEP: Duration = Duration::from_secs(60);

/// A running Chromium with one tab attached.
pub struct Browser {
    child: Child,
    commands: std::io::PipeWriter,
    messages: Receiver<Value>,
    next_id: u64,
    session: String,
    errors: tempfile::NamedTempFile,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Start `browser` headless with a DevTools pipe and open one tab.
    pub fn launch(browser: &Path) -> Result<Browser, Failure> {
        if cfg!(not(unix)) {
            return Err(Failure::new(
                "a browser kept open for many pages needs a Unix system",
            ));
        }
        let profile = tempfile::tempdir()
            .map_err(|e| Failure::new(format!("cannot make a browser profile folder: {e}")))?;
        let errors = tempfile::NamedTempFile::new()
            .map_err(|e| Failure::new(format!("cannot make a temporary file: {e}")))?;
        let stderr = errors
            .reopen()
            .map_err(|e| Failure::new(format!("cannot make a temporary file: {e}")))?;
        let (their_commands, commands) =
            std::io::pipe().map_err(|e| Failure::new(format!("cannot make a pipe: {e}")))?;
        let (mut answers, their_answers) =
            std::io::pipe().map_err(|e| Failure::new(format!("cannot make a pipe: {e}")))?;
        let mut command = Command::new(browser);
        command
            .args(super::QUIET_HEADLESS)
            .arg("--remote-debugging-pipe")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(stderr));
        give_pipes(&mut command, &their_commands, &their_answers);
        let child = command.spawn().map_err(|e| {
            Failure::new(format!(
                "cannot start {}: {e}; {}",
                browser.display(),
                super::INSTALL_HELP
            ))
        })?;
        // The browser holds its own ends now: with ours closed, its exit ends the reading.
        drop(their_commands);
        drop(their_answers);
        let (send, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 64 * 1024];
            while let Ok(n) = answers.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..n]);
                while let Some(end) = buffer.iter().position(|b| *b == 0) {
                    let message: Vec<u8> = buffer.drain(..=end).collect();
                    if let Ok(value) = serde_json::from_slice(&message[..end])
                        && send.send(value).is_err()
                    {
                        return;
                    }
                }
            }
        });
        let mut this = Browser {
            child,
            commands,
            messages,
            next_id: 0,
            session: String::new(),
            errors,
            _profile: profile,
        };
        let target = this.call("Target.createTarget", json!({"url": "about:blank"}), false)?;
        let target_id = target["targetId"].as_str().unwrap_or_default().to_string();
        let attached = this.call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
            false,
        )?;
        this.session = attached["sessionId"]
            .as_str()
            .ok_or_else(|| this.failed("gave no session for its tab"))?
            .to_string();
        this.call("Page.enable", json!({}), true)?;
        Ok(this)
    }

    /// Load `page` and print it to `pdf` with the page's own print styles. `pdf` is
    /// replaced only by a PDF; on any failure an older one is left as it was.
    pub fn print(&mut self, page: &Path, pdf: &Path) -> Result<(), Failure> {
        let url = super::file_url(page)?;
        let pdf_abs = std::path::absolute(pdf)
            .map_err(|e| Failure::new(format!("cannot tell where {} is: {e}", pdf.display())))?;
        let folder = pdf_abs.parent().filter(|f| f.is_dir()).ok_or_else(|| {
            Failure::new(format!("the folder for {} does not exist", pdf.display()))
        })?;
        let loaded = self.send("Page.navigate", json!({"url": url.as_str()}), true)?;
        let mut navigated = false;
        let mut fired = false;
        let start = Instant::now();
        while !(navigated && fired) {
            let message = self.next(start)?;
            if message["id"].as_u64() == Some(loaded) {
                if let Some(error) = message["error"]["message"].as_str() {
                    return Err(self.failed(&format!("could not open {}: {error}", page.display())));
                }
                if let Some(error) = message["result"]["errorText"].as_str() {
                    return Err(self.failed(&format!("could not open {}: {error}", page.display())));
                }
                navigated = true;
            } else if message["method"] == "Page.loadEventFired"
                && message["sessionId"] == self.session.as_str()
            {
                fired = navigated;
            }
        }
        let printed = self.call(
            "Page.printToPDF",
            json!({"preferCSSPageSize": true, "displayHeaderFooter": false}),
            true,
        )?;
        let bytes = printed["data"]
            .as_str()
            .and_then(decode_base64)
            .filter(|b| b.starts_with(b"%PDF-"))
            .ok_or_else(|| self.failed("did not give a PDF"))?;
        let mut part = super::partial_file(folder, &pdf_abs)
            .map_err(|e| Failure::io("write in", folder, &e))?;
        part.write_all(&bytes)
            .map_err(|e| Failure::io("write", part.path(), &e))?;
        part.persist(&pdf_abs)
            .map_err(|e| Failure::new(format!("cannot move the PDF into place: {}", e.error)))?;
        Ok(())
    }

    /// Close the browser, waiting a moment for it to end before stopping it.
    pub fn close(mut self) {
        let _ = self.send("Browser.close", json!({}), false);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Send a command (to the tab when `in_tab`); its id.
    fn send(&mut self, method: &str, params: Value, in_tab: bool) -> Result<u64, Failure> {
        self.next_id += 1;
        let mut message = json!({"id": self.next_id, "method": method, "params": params});
        if in_tab {
            message["sessionId"] = Value::from(self.session.as_str());
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        if self.commands.write_all(&bytes).is_err() {
            return Err(self.failed("stopped taking commands"));
        }
        Ok(self.next_id)
    }

    /// Send a command and wait for its answer: its result, or a failure with the error.
    fn call(&mut self, method: &str, params: Value, in_tab: bool) -> Result<Value, Failure> {
        let id = self.send(method, params, in_tab)?;
        let start = Instant::now();
        loop {
            let message = self.next(start)?;
            if message["id"].as_u64() == Some(id) {
                if let Some(error) = message["error"]["message"].as_str() {
                    return Err(self.failed(&format!("refused {method}: {error}")));
                }
                return Ok(message["result"].clone());
            }
        }
    }

    /// The next message, waiting at most `STEP` from `start`.
    fn next(&mut self, start: Instant) -> Result<Value, Failure> {
        let left = STEP.saturating_sub(start.elapsed());
        match self.messages.recv_timeout(left) {
            Ok(message) => Ok(message),
            Err(RecvTimeoutError::Timeout) => {
                Err(self.failed(&format!("did not answer within {} seconds", STEP.as_secs())))
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.failed("ended")),
        }
    }

    /// "chromium <what> (<the last line it printed>)".
    fn failed(&self, what: &str) -> Failure {
        let said = std::fs::read(self.errors.path()).unwrap_or_default();
        Failure::new(format!("the browser {what} ({})", super::last_line(&said)))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Give the child `commands` as its file descriptor 3 and `answers` as 4, where
/// `--remote-debugging-pipe` looks for them.
#[cfg(unix)]
fn give_pipes(
    command: &mut Command,
    commands: &std::io::PipeReader,
    answers: &std::io::PipeWriter,
) {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    let (from, to) = (commands.as_raw_fd(), answers.as_raw_fd());
    // SAFETY: between fork and exec only async-signal-safe calls are made (fcntl, dup2),
    // on descriptors this process owns; nothing is allocated.
    unsafe {
        command.pre_exec(move || {
            // Both are first copied above 4, so that placing one cannot close the other.
            let high_from = libc::fcntl(from, libc::F_DUPFD, 10);
            let high_to = libc::fcntl(to, libc::F_DUPFD, 10);
            if high_from < 0
                || high_to < 0
                || libc::dup2(high_from, 3) < 0
                || libc::dup2(high_to, 4) < 0
            {
                return Err(std::io::Error::last_os_error());
            }
            libc::close(high_from);
            libc::close(high_to);
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn give_pipes(_: &mut Command, _: &std::io::PipeReader, _: &std::io::PipeWriter) {}

/// Decode standard base64 (with `=` padding), as the protocol sends binary data.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let bytes = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let got = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => return None,
        };
        out.extend_from_slice(&n.to_be_bytes()[1..1 + got]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(decode_base64("JVBERi0=").unwrap(), b"%PDF-");
        assert_eq!(decode_base64("TWFu").unwrap(), b"Man");
        assert_eq!(decode_base64("TWE=").unwrap(), b"Ma");
        assert_eq!(decode_base64("TQ==").unwrap(), b"M");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert!(decode_base64("T").is_none());
        assert!(decode_base64("TW!u").is_none());
    }
}
