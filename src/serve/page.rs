//! What `scopemap serve` adds to the HTML it sends: the live-reload script and, after a
//! failed rebuild, an overlay with the build's diagnostics.
//!
//! In: a page's HTML as built, the current build number and, when the last build failed,
//! its log. Out: the HTML to send, with a small snippet before `</body>`. Only responses
//! of the development server pass through here; the built files on disk never change.

use crate::render::escape::html as escape_html;

/// Where the reload script asks for the current build number.
pub const STATUS_PATH: &str = "/__scopemap/status";

/// Remove terminal colour codes and other control characters (keeping newlines and tabs)
/// so a build log reads cleanly in a page.
pub fn plain_log(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut chars = log.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ … final byte: skip the whole sequence (bounded by the text's length).
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            continue;
        }
        if c.is_control() && c != '\n' && c != '\t' {
            continue;
        }
        out.push(c);
    }
    out
}

/// The script that polls the status endpoint and reloads when the build number changes,
/// and wires up the overlay's close button.
fn script(build: u64) -> String {
    format!(
        r#"<script>
(function () {{
  var build = "{build}";
  var overlay = document.getElementById("scopemap-overlay");
  if (overlay) {{
    var opener = document.activeElement;
    var hide = function () {{
      if (overlay.parentNode) {{ overlay.parentNode.removeChild(overlay); }}
      if (opener && opener.focus) {{ opener.focus(); }}
    }};
    var close = document.getElementById("scopemap-overlay-close");
    if (close) {{ close.addEventListener("click", hide); }}
    document.addEventListener("keydown", function (e) {{
      if (e.key === "Escape") {{ hide(); }}
    }});
    overlay.focus();
  }}
  var wait = 1000;
  var poll = function () {{
    fetch("{STATUS_PATH}", {{ cache: "no-store" }})
      .then(function (r) {{ return r.json(); }})
      .then(function (s) {{
        if (String(s.build) !== build && !s.building) {{ location.reload(); return; }}
        wait = 1000;
        setTimeout(poll, wait);
      }})
      .catch(function () {{
        wait = Math.min(wait * 2, 10000);
        setTimeout(poll, wait);
      }});
  }};
  setTimeout(poll, wait);
}})();
</script>"#
    )
}

/// The overlay shown while the last rebuild has failed: a dialog-like alert with the
/// escaped build log and a close button. Colours: dark text on white (about 14:1) and
/// white on dark blue for the button (above 6:1).
fn overlay(log: &str) -> String {
    format!(
        r#"<style>
#scopemap-overlay{{position:fixed;top:0;left:0;right:0;max-height:85vh;overflow:auto;z-index:2147483647;box-sizing:border-box;background:#ffffff;color:#212b32;border-bottom:6px solid #d5281b;box-shadow:0 4px 16px rgba(0,0,0,.35);padding:1rem 1.5rem;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;text-align:left}}
#scopemap-overlay:focus{{outline:3px solid #ffeb3b;outline-offset:-3px}}
#scopemap-overlay h2{{margin:0 0 .5rem;font-size:1.25rem;line-height:1.3;color:#212b32}}
#scopemap-overlay p{{margin:0 0 .75rem;color:#212b32}}
#scopemap-overlay pre{{white-space:pre-wrap;word-break:break-word;background:#f0f4f5;color:#212b32;border:1px solid #aeb7bd;padding:.75rem;margin:0 0 .75rem;max-height:55vh;overflow:auto;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace}}
#scopemap-overlay button{{font:inherit;font-weight:600;padding:.4rem 1.1rem;background:#005eb8;color:#ffffff;border:2px solid #003087;border-radius:4px;cursor:pointer}}
#scopemap-overlay button:focus{{outline:3px solid #ffeb3b;outline-offset:2px;box-shadow:0 0 0 5px #212b32}}
</style>
<div id="scopemap-overlay" role="alert" aria-labelledby="scopemap-overlay-title" tabindex="-1">
<h2 id="scopemap-overlay-title">The site could not be rebuilt</h2>
<p>This page is from the last build that worked. Fix the problems below and save: the page reloads by itself when a build succeeds, and this message goes away.</p>
<pre>{}</pre>
<button type="button" id="scopemap-overlay-close">Close this message</button>
</div>"#,
        escape_html(&plain_log(log))
    )
}

/// The snippet for one response: the overlay when the last build failed, then the script.
pub fn snippet(build: u64, failed_log: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(log) = failed_log {
        s.push_str(&overlay(log));
        s.push('\n');
    }
    s.push_str(&script(build));
    s
}

/// Put `snippet` just before the last `</body>` (any letter case), or at the end.
pub fn inject(html: &str, snippet: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let at = lower.rfind("</body").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + snippet.len() + 1);
    out.push_str(&html[..at]);
    out.push_str(snippet);
    out.push('\n');
    out.push_str(&html[at..]);
    out
}

/// The page served when there is no site yet: the first build is running or has failed.
pub fn placeholder(building: bool) -> String {
    let (title, text) = if building {
        (
            "Building the site…",
            "scopemap is building the site. This page reloads by itself when it is ready.",
        )
    } else {
        (
            "The site has not been built yet",
            "The first build failed, so there is no site to show. Fix the problems listed and save: this page reloads by itself when a build succeeds.",
        )
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n</head>\n<body style=\"font:16px/1.5 system-ui,sans-serif;color:#212b32;background:#ffffff;margin:2rem\">\n<main>\n<h1>{title}</h1>\n<p>{text}</p>\n</main>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_could_open_markup() {
        assert_eq!(
            escape_html(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#x27;y&#x27;&lt;/script&gt;"
        );
    }

    #[test]
    fn strips_colour_codes_and_controls() {
        assert_eq!(
            plain_log("\u{1b}[31merror\u{1b}[0m: x\u{7}\n\ty"),
            "error: x\n\ty"
        );
    }

    #[test]
    fn injects_before_the_last_body_close() {
        let html = "<html><body><p>a</p></BODY></html>";
        let out = inject(html, "<i>s</i>");
        assert_eq!(out, "<html><body><p>a</p><i>s</i>\n</BODY></html>");
        assert_eq!(inject("<p>no body</p>", "S"), "<p>no body</p>S\n");
    }

    #[test]
    fn overlay_is_an_accessible_alert_with_escaped_log() {
        let s = snippet(7, Some("E010 `<b>red</b>` is not a rating"));
        assert!(s.contains(r#"role="alert""#));
        assert!(s.contains("<button type=\"button\""));
        assert!(s.contains("&lt;b&gt;red&lt;/b&gt;"));
        assert!(!s.contains("<b>red</b>"));
        assert!(s.contains("var build = \"7\""));
        assert!(!snippet(7, None).contains("role=\"alert\""));
    }
}
