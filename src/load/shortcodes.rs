//! Reading the shortcodes of a page: `{{ matrix(region="x", year=2022) }}` on a line of its
//! own, or `gaps(...)`, `chart(...)` or `need(...)`.
//!
//! In: a page's Markdown body and the line of the file it starts on. Out: each shortcode
//! with its place in the file, and an E112 for every `{{` outside code that is not one —
//! never left to be published as text. Whether the region and year have data is decided
//! when the page is rendered (E053).

use crate::diag::{Diagnostic, nearest};
use crate::model::{KINDS, Shortcode, Spanned};
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::ops::Range;

/// The arguments a shortcode takes.
const ARGUMENTS: &[&str] = &["region", "year"];

/// Why text is not a shortcode, and where (a byte offset in the body).
struct Problem {
    at: usize,
    width: usize,
    message: String,
    expected: Option<String>,
    help: String,
}

impl Problem {
    fn new(at: usize, width: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            at,
            width,
            message: message.into(),
            expected: None,
            help: help.into(),
        }
    }
}

const ESCAPE_HELP: &str = "to show `{{` as text, write `\\{{` or put it in `code`";

/// The shortcodes of a page body starting on line `first_line` of `file`; problems go to
/// `diagnostics`. In a report section (`in_report`) no shortcode is expanded, so any is one.
pub fn scan(
    file: &str,
    body: &str,
    first_line: usize,
    in_report: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Shortcode> {
    let mut found = Vec::new();
    if !body.contains("{{") {
        return found;
    }
    let code = code_ranges(body);
    let position = |at: usize| {
        let before = &body[..at];
        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
        (
            first_line + before.matches('\n').count(),
            before[line_start..].chars().count() + 1,
        )
    };
    let mut from = 0;
    while let Some(offset) = body[from..].find("{{") {
        let at = from + offset;
        if code.iter().any(|r| r.contains(&at)) || body[..at].ends_with('\\') {
            from = at + 1;
            continue;
        }
        let line_end = body[at..].find('\n').map_or(body.len(), |p| at + p);
        let result = match body[at + 2..line_end].find("}}") {
            None => Err(Problem::new(
                at,
                2,
                "the shortcode is not closed: `{{` has no `}}` on its line",
                format!("end it on the same line with `}}}}`; {ESCAPE_HELP}"),
            )),
            Some(close) => {
                let close = at + 2 + close;
                from = close + 2;
                parse(body, at, close, in_report)
            }
        };
        match result {
            Ok((kind, (region_at, region), year)) => {
                let (line, column) = position(at);
                let line_start = body[..at].rfind('\n').map_or(0, |p| p + 1);
                found.push(Shortcode {
                    kind,
                    region: spanned(position(region_at), region),
                    year: year.map(|(year_at, year)| spanned(position(year_at), year)),
                    line,
                    column,
                    range: line_start..line_end,
                });
            }
            Err(problem) => {
                let (line, column) = position(problem.at);
                let mut d = Diagnostic::error("E112", file, problem.message)
                    .at(line, column, problem.width)
                    .help(problem.help);
                if let Some(expected) = problem.expected {
                    d = d.expected(expected);
                }
                diagnostics.push(d);
                from = from.max(line_end);
            }
        }
    }
    found
}

fn spanned<T>((line, column): (usize, usize), value: T) -> Spanned<T> {
    Spanned {
        value,
        line,
        column,
    }
}

type Parsed = (String, (usize, String), Option<(usize, u64)>);

/// Read the shortcode between `{{` at `open` and `}}` at `close`.
fn parse(body: &str, open: usize, close: usize, in_report: bool) -> Result<Parsed, Problem> {
    let mut cursor = Cursor {
        body,
        at: open + 2,
        end: close,
    };
    cursor.skip_spaces();
    let name_at = cursor.at;
    let name = cursor.word();
    if !KINDS.contains(&name) {
        let mut p = if name.is_empty() {
            Problem::new(
                open,
                2,
                "`{{` is not followed by the name of a shortcode",
                ESCAPE_HELP,
            )
        } else {
            let help = match nearest(name, KINDS.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? Or, {ESCAPE_HELP}"),
                None => ESCAPE_HELP.to_string(),
            };
            Problem::new(
                name_at,
                name.chars().count(),
                format!("`{name}` is not a shortcode"),
                help,
            )
        };
        p.expected = Some(format!("one of {}", KINDS.join(", ")));
        return Err(p);
    }
    if in_report {
        return Err(Problem::new(
            open,
            2,
            format!("the `{name}` shortcode is not shown in a report section"),
            "list the data blocks the section needs under `includes:` in its front matter",
        ));
    }
    cursor.skip_spaces();
    cursor.expect('(', &format!("`(` after `{name}`"))?;
    let (mut region, mut year) = (None, None);
    loop {
        cursor.skip_spaces();
        if cursor.eat(')') {
            break;
        }
        let arg_at = cursor.at;
        let arg = cursor.word();
        if !ARGUMENTS.contains(&arg) {
            let mut p = Problem::new(
                arg_at,
                arg.chars().count().max(1),
                format!("`{name}` takes no argument `{arg}`"),
                "write `region=\"…\"` and, if needed, `year=2022`, separated by a comma",
            );
            p.expected = Some(ARGUMENTS.join(", "));
            return Err(p);
        }
        cursor.skip_spaces();
        cursor.expect('=', &format!("`=` after `{arg}`"))?;
        cursor.skip_spaces();
        let value_at = cursor.at;
        let already = if arg == "region" {
            let value = cursor.quoted(arg)?;
            // The place of the id, inside the quotes.
            region.replace((value_at + 1, value)).is_some()
        } else {
            let value = cursor.number(arg)?;
            year.replace((value_at, value)).is_some()
        };
        if already {
            return Err(Problem::new(
                arg_at,
                arg.len(),
                format!("`{arg}` is given twice"),
                "keep one of them",
            ));
        }
        cursor.skip_spaces();
        if !cursor.eat(',') {
            cursor.expect(')', "`,` or `)`")?;
            break;
        }
    }
    cursor.skip_spaces();
    if cursor.at < close {
        return Err(Problem::new(
            cursor.at,
            close - cursor.at,
            format!(
                "unexpected `{}` after the shortcode's `)`",
                &body[cursor.at..close]
            ),
            "end the shortcode with `) }}`",
        ));
    }
    let Some(region) = region else {
        return Err(Problem::new(
            open,
            close + 2 - open,
            format!("the `{name}` shortcode needs a region"),
            format!("write `{{{{ {name}(region=\"region-id\") }}}}`"),
        ));
    };
    let line_start = body[..open].rfind('\n').map_or(0, |p| p + 1);
    let line_end = body[close..].find('\n').map_or(body.len(), |p| close + p);
    if !body[line_start..open].trim().is_empty() || !body[close + 2..line_end].trim().is_empty() {
        return Err(Problem::new(
            open,
            close + 2 - open,
            "a shortcode must stand on a line of its own",
            "put the shortcode on its own line, with a blank line before and after it",
        ));
    }
    Ok((name.to_string(), region, year))
}

/// Reading the inside of one shortcode.
struct Cursor<'a> {
    body: &'a str,
    at: usize,
    end: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.body[self.at..self.end]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.rest().starts_with(c);
        if found {
            self.at += c.len_utf8();
        }
        found
    }

    fn word(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    fn problem_here(&self, message: String, help: &str) -> Problem {
        Problem::new(self.at, 1, message, help)
    }

    fn expect(&mut self, c: char, what: &str) -> Result<(), Problem> {
        if self.eat(c) {
            return Ok(());
        }
        let seen = match self.rest().chars().next() {
            Some(found) => format!("`{found}`"),
            None => "the end of the shortcode".to_string(),
        };
        Err(self.problem_here(
            format!("expected {what}, found {seen}"),
            "write the shortcode as `{{ matrix(region=\"region-id\", year=2022) }}`",
        ))
    }

    /// A region id in double quotes.
    fn quoted(&mut self, arg: &str) -> Result<String, Problem> {
        let start = self.at;
        if !self.eat('"') {
            return Err(self.problem_here(
                format!("the value of `{arg}` must be in double quotes"),
                "write it as `region=\"region-id\"`",
            ));
        }
        let Some(len) = self.rest().find('"') else {
            return Err(Problem::new(
                start,
                1,
                format!("the value of `{arg}` has no closing `\"`"),
                "close the quotes",
            ));
        };
        let value = self.rest()[..len].to_string();
        self.at += len + 1;
        let is_id = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !is_id {
            return Err(Problem::new(
                start + 1,
                value.chars().count().max(1),
                format!("`{value}` is not a region id"),
                "use a region id from scoping-data/regions/: lowercase letters, digits and hyphens",
            ));
        }
        Ok(value)
    }

    /// A whole number written in digits, without quotes.
    fn number(&mut self, arg: &str) -> Result<u64, Problem> {
        let start = self.at;
        let rest = self.rest();
        let len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let digits = &rest[..len];
        let value = digits.parse::<u64>().ok().filter(|_| len <= 8);
        match value {
            Some(value) => {
                self.at += len;
                Ok(value)
            }
            None => {
                let token: String = rest
                    .chars()
                    .take_while(|c| !matches!(c, ',' | ')' | ' '))
                    .collect();
                Err(Problem::new(
                    start,
                    token.chars().count().max(1),
                    format!("`{arg}={token}` is not a year"),
                    "write the year in digits without quotes, e.g. `year=2022`, or leave it out for the latest",
                ))
            }
        }
    }
}

/// The byte ranges of code spans and code blocks, where `{{` is text.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut ranges = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_body(body: &str) -> (Vec<Shortcode>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let codes = scan("content/x.md", body, 5, false, &mut d);
        (codes, d)
    }

    fn problem(body: &str) -> Diagnostic {
        let (codes, d) = scan_body(body);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(d.len(), 1, "{d:#?}");
        d[0].clone()
    }

    #[test]
    fn reads_a_shortcode_with_its_place() {
        let (codes, d) = scan_body("Intro\n\n  {{ matrix(region=\"north\", year=2022) }}\n");
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(codes.len(), 1);
        let c = &codes[0];
        assert_eq!((c.kind.as_str(), c.line, c.column), ("matrix", 7, 3));
        assert_eq!(
            (c.region.value.as_str(), c.region.line, c.region.column),
            ("north", 7, 21)
        );
        let year = c.year.as_ref().unwrap();
        assert_eq!((year.value, year.line, year.column), (2022, 7, 34));
        assert_eq!(c.range, 7..48);
    }

    #[test]
    fn code_and_escaped_braces_stay_text() {
        let (codes, d) = scan_body(
            "`{{ nope }}`\n\n```\n{{ matrix(region=\"north\") }}\n```\n\n\\{{ gaps(region=\"north\") }}\n",
        );
        assert!(codes.is_empty(), "{codes:?}");
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn malformed_shortcodes_are_errors_at_their_place() {
        let d = problem("text\n{{ matrix(region=\"north\")\n");
        assert_eq!((d.code, d.line, d.column), ("E112", 6, 1));
        assert!(d.message.contains("not closed"), "{}", d.message);

        let d = problem("{{ matrx(region=\"north\") }}");
        assert_eq!((d.line, d.column), (5, 4));
        assert_eq!(d.message, "`matrx` is not a shortcode");
        assert_eq!(
            d.help.as_deref(),
            Some(
                "did you mean `matrix`? Or, to show `{{` as text, write `\\{{` or put it in `code`"
            )
        );

        let d = problem("{{ site.title }}");
        assert_eq!(d.message, "`site` is not a shortcode");

        let d = problem("{{ gaps(region=north) }}");
        assert_eq!((d.line, d.column), (5, 16));
        assert_eq!(d.message, "the value of `region` must be in double quotes");

        let d = problem("{{ gaps(region=\"north\" year=2022) }}");
        assert_eq!(d.message, "expected `,` or `)`, found `y`");
        assert_eq!(d.column, 24);

        let d = problem("{{ gaps(region=\"north\", colour=\"red\") }}");
        assert_eq!(d.message, "`gaps` takes no argument `colour`");
        assert_eq!(d.column, 25);

        let d = problem("{{ gaps(year=2022) }}");
        assert_eq!(d.message, "the `gaps` shortcode needs a region");

        let d = problem("See {{ chart(region=\"north\") }} here");
        assert_eq!(d.message, "a shortcode must stand on a line of its own");
        assert_eq!(d.column, 5);
    }

    #[test]
    fn a_year_must_be_digits_of_a_sensible_length() {
        let d = problem("{{ chart(region=\"north\", year=\"2022\") }}");
        assert_eq!(d.message, "`year=\"2022\"` is not a year");
        assert_eq!(d.column, 31);
        let d = problem("{{ chart(region=\"north\", year=99999999999999999999) }}");
        assert_eq!(d.message, "`year=99999999999999999999` is not a year");
        let (codes, d) = scan_body("{{ chart(region=\"north\", year=65535) }}");
        assert!(d.is_empty());
        assert_eq!(
            codes[0].year.as_ref().unwrap().value,
            65535,
            "checked at render"
        );
    }

    #[test]
    fn report_sections_take_no_shortcodes() {
        let mut d = Vec::new();
        let codes = scan(
            "content/reports/2022/north/intro.md",
            "{{ matrix(region=\"north\") }}",
            4,
            true,
            &mut d,
        );
        assert!(codes.is_empty());
        assert_eq!((d[0].code, d[0].line, d[0].column), ("E112", 4, 1));
        assert!(d[0].message.contains("report section"), "{}", d[0].message);
    }
}
