//! Live data inside narrative pages. A line holding only `{{ matrix(region="x", year=2022) }}`,
//! `{{ gaps(...) }}` or `{{ chart(...) }}` is replaced by that view, rendered from the data.
//! Shortcodes are expanded after the markdown is sanitised, from our own templates, so a
//! page's text is never run as a template.

use crate::diag::Diagnostic;
use regex::Regex;
use std::sync::LazyLock;

static SHORTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[ \t]*\{\{\s*(matrix|gaps|chart)\s*\(\s*region\s*=\s*"([a-z0-9-]+)"\s*(?:,\s*year\s*=\s*(\d{4})\s*)?\)\s*\}\}[ \t]*$"#).expect("shortcode pattern")
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub kind: String,
    pub region: String,
    pub year: Option<u16>,
}

/// Swap each shortcode line for a placeholder paragraph; returns the text and the codes.
pub fn extract(markdown: &str) -> (String, Vec<Shortcode>) {
    let mut codes = Vec::new();
    let text = SHORTCODE
        .replace_all(markdown, |caps: &regex::Captures| {
            codes.push(Shortcode {
                kind: caps[1].to_string(),
                region: caps[2].to_string(),
                year: caps.get(3).and_then(|y| y.as_str().parse().ok()),
            });
            format!("\n\nSCOPEMAP-SHORTCODE-{}\n\n", codes.len() - 1)
        })
        .into_owned();
    (text, codes)
}

/// Put rendered views where the placeholders ended up in the sanitised HTML.
pub fn insert(html: &str, rendered: &[String]) -> String {
    let mut out = html.to_string();
    for (i, fragment) in rendered.iter().enumerate() {
        out = out.replace(&format!("<p>SCOPEMAP-SHORTCODE-{i}</p>"), fragment);
    }
    out
}

/// A shortcode naming a region or year with no data.
pub fn unknown(file: &str, code: &Shortcode, what: &str) -> Diagnostic {
    Diagnostic::error(
        "E053",
        file,
        format!("the `{}` shortcode names {what}", code.kind),
    )
    .help("use a region id from scoping-data/regions/ and a year that has returns")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_shortcodes_on_their_own_line() {
        let (text, codes) = extract(
            "Intro\n{{ matrix(region=\"north\", year=2022) }}\nmore {{ gaps(region=\"x\") }} inline\n",
        );
        assert_eq!(
            codes,
            vec![Shortcode {
                kind: "matrix".into(),
                region: "north".into(),
                year: Some(2022)
            }]
        );
        assert!(text.contains("SCOPEMAP-SHORTCODE-0"));
        assert!(
            text.contains("{{ gaps(region=\"x\") }} inline"),
            "inline use is left as text"
        );
    }
}
