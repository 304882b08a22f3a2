//! One built page read in one pass, for `check`.
//!
//! In: a page's HTML text. Out: its `lang`, its title, the set of its ids, and its links
//! (`href` of `a` and `link`, `src` of `script`, `img` and `source`) with the line and
//! column where each is written. Only the HTML tokenizer runs, never a tree builder: the
//! tree builder looks through the open elements for many tags, which made a page of
//! deeply nested elements take quadratic time. The text is fed to the tokenizer one tag
//! at a time (cut after each `>`), so the place of each link is looked for only in the
//! stretch of text its tag came from, and every byte is looked at a bounded number of
//! times.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, EndTag, StartTag, TagToken, Token, TokenSink, TokenSinkResult,
    Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;
use std::collections::HashSet;

/// A link as written in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The attribute's value, with character references decoded.
    pub target: String,
    /// Where the value starts (1-based; the column counts characters).
    pub line: usize,
    pub column: usize,
}

/// What `check` needs to know about one page.
#[derive(Debug, Default)]
pub struct PageScan {
    /// The first `lang` given on an `<html>` tag.
    pub lang: Option<String>,
    /// The line of the first `<html>` tag, or 0 when there is none.
    pub html_line: usize,
    /// The text of the first `<title>` element, if there is one.
    pub title: Option<String>,
    pub ids: HashSet<String>,
    pub links: Vec<Link>,
}

/// Read `text` once.
pub fn scan(text: &str) -> PageScan {
    let tokenizer = Tokenizer::new(Collect::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    let mut places = Places::new(text);
    // Where the text of the tag that comes next starts: just after the last tag's `>`.
    let mut window_start = 0;
    let mut at = 0;
    while at < text.len() {
        let end = text[at..].find('>').map_or(text.len(), |i| at + i + 1);
        queue.push_back(StrTendril::from_slice(&text[at..end]));
        let _ = tokenizer.feed(&queue);
        at = end;
        let mut guard = tokenizer.sink.state.borrow_mut();
        let state = &mut *guard;
        for target in state.pending.drain(..) {
            let (line, column) = places.find(&target, window_start, end);
            state.page.links.push(Link {
                target,
                line,
                column,
            });
        }
        if std::mem::take(&mut state.saw_tag) {
            window_start = end;
        }
    }
    tokenizer.end();
    let mut state = tokenizer.sink.state.into_inner();
    if let Some(open) = state.open_title.take()
        && state.page.title.is_none()
    {
        state.page.title = Some(open);
    }
    state.page
}

/// The tokens a page is made of, reduced to what `check` needs as they go by.
#[derive(Default)]
struct Collect {
    state: RefCell<CollectState>,
}

#[derive(Default)]
struct CollectState {
    page: PageScan,
    /// Link targets whose place is still to be found.
    pending: Vec<String>,
    /// Whether a tag was read since the driver last looked.
    saw_tag: bool,
    /// The text of the first `<title>` so far, while it is open.
    open_title: Option<String>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            TagToken(tag) => {
                state.saw_tag = true;
                let attr = |name: &str| {
                    tag.attrs
                        .iter()
                        .find(|a| a.name.ns.is_empty() && &*a.name.local == name)
                        .map(|a| a.value.to_string())
                };
                let name = &*tag.name;
                if tag.kind == EndTag {
                    if name == "title"
                        && let Some(text) = state.open_title.take()
                    {
                        state.page.title.get_or_insert(text);
                    }
                    return TokenSinkResult::Continue;
                }
                debug_assert_eq!(tag.kind, StartTag);
                if let Some(id) = attr("id") {
                    state.page.ids.insert(id);
                }
                if name == "html" && state.page.html_line == 0 {
                    state.page.html_line = usize::try_from(line_number).unwrap_or(usize::MAX);
                }
                if name == "html" && state.page.lang.is_none() {
                    state.page.lang = attr("lang");
                }
                let link = match name {
                    "a" | "link" => attr("href"),
                    "script" | "img" | "source" => attr("src"),
                    _ => None,
                };
                if let Some(target) = link {
                    state.pending.push(target);
                }
                if name == "title" && state.page.title.is_none() && !tag.self_closing {
                    state.open_title = Some(String::new());
                }
                match raw_text_kind(name) {
                    Some(_) if tag.self_closing => TokenSinkResult::Continue,
                    Some(None) => TokenSinkResult::Plaintext,
                    Some(Some(kind)) => TokenSinkResult::RawData(kind),
                    None => TokenSinkResult::Continue,
                }
            }
            CharacterTokens(text) => {
                if let Some(title) = state.open_title.as_mut() {
                    title.push_str(&text);
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// The elements whose content is text, not markup, as the HTML tree builder tells the
/// tokenizer (with scripting on, as browsers have it); `Some(None)` for `plaintext`.
fn raw_text_kind(name: &str) -> Option<Option<RawKind>> {
    match name {
        "title" | "textarea" => Some(Some(RawKind::Rcdata)),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            Some(Some(RawKind::Rawtext))
        }
        "script" => Some(Some(RawKind::ScriptData)),
        "plaintext" => Some(None),
        _ => None,
    }
}

/// Line and column of places in the text, found in order: the count goes on from the
/// last place found, so the whole text is counted once.
struct Places<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Places<'a> {
    fn new(text: &'a str) -> Self {
        Places {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// Where the attribute value `target` starts in `text[from..to]`, the stretch that
    /// holds its tag: the last occurrence in quotes or after `=`, as written or with `&`
    /// escaped as templates write it; else the tag's `<`.
    fn find(&mut self, target: &str, from: usize, to: usize) -> (usize, usize) {
        let from = from.max(self.offset);
        let stretch = &self.text[from..to];
        let escaped = crate::render::escape::html(target);
        // An unquoted value follows its `=`; it ends at a space or `>`, which `target` lacks.
        let found = ["\"", "'", "="]
            .iter()
            .flat_map(|q| {
                let close = if *q == "=" { "" } else { q };
                [
                    format!("{q}{target}{close}"),
                    format!("{q}{escaped}{close}"),
                ]
            })
            .filter_map(|needle| stretch.rfind(&needle))
            .max()
            .map(|i| from + i + 1)
            .or_else(|| stretch.rfind('<').map(|i| from + i))
            .unwrap_or(from);
        self.advance_to(found)
    }

    fn advance_to(&mut self, to: usize) -> (usize, usize) {
        for c in self.text[self.offset..to].chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.offset = to;
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lang_title_ids_and_links_with_their_places() {
        let page = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head><title>A &amp; B</title>\n\
            <link rel=stylesheet href=\"assets/style.css\"></head>\n<body>\n\
            <h1 id=\"top\">x</h1><p id='second'>\n  <a href=\"a.html?x=1&amp;y=2#top\">a</a> <a href='b.html'>b</a>\n\
            <script>let s = '<a href=\"nope.html\">';</script>\n<!-- <a href=\"comment.html\"> -->\n\
            <img alt=\"x > y\" src=\"i.png\"></body></html>";
        let s = scan(page);
        assert_eq!(s.lang.as_deref(), Some("en-GB"));
        assert_eq!(s.html_line, 2);
        assert_eq!(s.title.as_deref(), Some("A & B"));
        let mut ids: Vec<&str> = s.ids.iter().map(String::as_str).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["second", "top"]);
        let links: Vec<(&str, usize, usize)> = s
            .links
            .iter()
            .map(|l| (l.target.as_str(), l.line, l.column))
            .collect();
        assert_eq!(
            links,
            [
                ("assets/style.css", 4, 28),
                ("a.html?x=1&y=2#top", 7, 12),
                ("b.html", 7, 51),
                ("i.png", 10, 23),
            ]
        );
    }

    #[test]
    fn unquoted_values_are_placed_too() {
        let s = scan("<p>\n <img alt=x src=pic.png> <a href=a.html#x>a</a>");
        let places: Vec<(usize, usize)> = s.links.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(places, [(2, 17), (2, 34)]);
    }

    #[test]
    fn the_same_link_twice_is_placed_twice() {
        let s = scan("<a href=\"x\">1</a>\n<a href=\"x\">2</a>");
        let places: Vec<(usize, usize)> = s.links.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(places, [(1, 10), (2, 10)]);
    }

    #[test]
    fn a_page_without_html_or_title_says_so() {
        let s = scan("<p>no head");
        assert_eq!((s.lang, s.html_line, s.title), (None, 0, None));
    }
}
