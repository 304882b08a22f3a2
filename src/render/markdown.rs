//! Markdown to safe HTML: pulldown-cmark with tables, footnotes and heading anchors, then
//! ammonia so raw HTML and unsafe links in content or data can never run.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;

/// Render markdown to sanitised HTML. Headings get ids made from their text.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let events = with_heading_ids(events);
    let mut raw = String::new();
    html::push_html(&mut raw, events.into_iter());
    scrolling_tables(&sanitise(&raw))
}

/// Put each table of sanitised HTML in a box that scrolls sideways, so a wide table never
/// makes the page wider than a phone's screen. The box can take focus, for scrolling with
/// the keyboard, and is named by the heading above the table.
fn scrolling_tables(html: &str) -> String {
    if !html.contains("<table") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 128);
    let mut heading: Option<&str> = None;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let (before, tag) = rest.split_at(at);
        out.push_str(before);
        if let Some(id) = heading_id(tag) {
            heading = Some(id);
        }
        if tag.starts_with("<table>") || tag.starts_with("<table ") {
            match heading {
                Some(id) => out.push_str(&format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}\">"
                )),
                None => out.push_str(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">",
                ),
            }
        }
        if let Some(after) = tag.strip_prefix("</table>") {
            out.push_str("</table></div>");
            rest = after;
            continue;
        }
        out.push('<');
        rest = &tag[1..];
    }
    out.push_str(rest);
    out
}

/// The id of a heading's opening tag at the start of `tag`, as `with_heading_ids` wrote it.
fn heading_id(tag: &str) -> Option<&str> {
    let b = tag.as_bytes();
    if b.len() < 4 || b[1] != b'h' || !(b'1'..=b'6').contains(&b[2]) || b[3] != b' ' {
        return None;
    }
    let end = tag.find('>')?;
    let attrs = &tag[..end];
    let start = attrs.find(" id=\"")? + 5;
    let len = attrs[start..].find('"')?;
    Some(&attrs[start..start + len])
}

/// Markdown for one short field (a note, a description): no headings above level 3.
pub fn inline_to_html(markdown: &str) -> String {
    to_html(markdown)
}

fn with_heading_ids(events: Vec<Event>) -> Vec<Event> {
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            id: None,
            classes,
            attrs,
        }) = &events[i]
        {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let mut slug = crate::model::id::slug(&text);
            if slug.is_empty() {
                slug = "section".into();
            }
            let mut unique = slug.clone();
            let mut n = 2;
            while !used.insert(unique.clone()) {
                unique = format!("{slug}-{n}");
                n += 1;
            }
            out.push(Event::Start(Tag::Heading {
                level: *level,
                id: Some(unique.into()),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }));
        } else if let Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) = &events[i]
        {
            out.push(Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: with_index(dest_url).into(),
                title: title.clone(),
                id: id.clone(),
            }));
        } else {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i] {
                used.insert(id.to_string());
            }
            out.push(events[i].clone());
        }
        i += 1;
    }
    out
}

/// Relative links to folders get `index.html`, so the site also works opened from disk.
fn with_index(url: &str) -> String {
    if url.contains(':') || url.starts_with('#') || url.is_empty() {
        return url.to_string();
    }
    let (path, fragment) = url
        .split_once('#')
        .map(|(p, f)| (p, format!("#{f}")))
        .unwrap_or((url, String::new()));
    if path.ends_with('/') {
        format!("{path}index.html{fragment}")
    } else {
        url.to_string()
    }
}

/// Keep ordinary formatting, ids for anchors and footnotes; drop scripts, styles, event
/// handlers and any link that is not http, https, mailto, tel or relative.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

// Setting up the allow-lists costs more than cleaning a short description: do it once.
static SANITISER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .attribute_filter(|element, attribute, value| {
            if attribute == "style" && matches!(element, "td" | "th") {
                // pulldown-cmark writes `text-align` for aligned table columns; nothing else.
                return [
                    "text-align: left",
                    "text-align: center",
                    "text-align: right",
                ]
                .contains(&value)
                .then_some(value.into());
            }
            Some(value.into())
        })
        .link_rel(Some("noopener noreferrer"));
    builder
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_anchor_ids() {
        let html = to_html("## Findings\n\n## Findings\n");
        assert!(html.contains(r#"<h2 id="findings">"#), "{html}");
        assert!(html.contains(r#"<h2 id="findings-2">"#), "{html}");
    }

    #[test]
    fn relative_folder_links_point_at_index_files() {
        let html = to_html("[a](../method/) [b](https://x.org/y/) [c](../m/#s)");
        assert!(html.contains(r#"href="../method/index.html""#), "{html}");
        assert!(html.contains(r#"href="https://x.org/y/""#), "{html}");
        assert!(html.contains(r#"href="../m/index.html#s""#), "{html}");
    }

    #[test]
    fn tables_scroll_in_a_box_named_by_the_heading_above() {
        let html =
            to_html("## Table 4\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |\n");
        assert_eq!(
            html.matches("<div class=\"table-scroll\"").count(),
            2,
            "{html}"
        );
        assert!(
            html.contains(r#"<div class="table-scroll" role="region" tabindex="0" aria-labelledby="table-4"><table>"#),
            "{html}"
        );
        assert_eq!(html.matches("</table></div>").count(), 2, "{html}");
        let untitled = to_html("| a |\n|---|\n| 1 |\n");
        assert!(
            untitled.contains(r#"aria-label="Table"><table>"#),
            "{untitled}"
        );
        // Text that only looks like a table is escaped, never wrapped.
        let text = to_html("Write `<table>` or &lt;table&gt; in text.");
        assert!(!text.contains("table-scroll"), "{text}");
    }

    #[test]
    fn tables_and_footnotes_render() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: A note.\n");
        assert!(html.contains("<table>"));
        assert!(html.contains("<td>1</td>"));
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
