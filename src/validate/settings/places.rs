//! The two settings that name a place: `base_url` (where the site is published) and `theme`
//! (which folder under `themes/` renders it).
//!
//! In: their values as read from `scopemap.yaml`. Out: diagnostics E100 and E101. Both
//! values end up in built pages or in paths that are opened, so each is held to a form
//! that cannot lead to another host or out of `themes/`.

use crate::diag::Diagnostic;
use crate::model::{CONFIG_FILE, Spanned, is_plain_name};

/// Check `base_url`; E100 when it is unusable.
pub fn check_base_url(value: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let v = value.value.as_str();
    let Some(problem) = base_url_problem(v) else {
        return;
    };
    out.push(
        Diagnostic::error(
            "E100",
            CONFIG_FILE,
            format!("`{v}` cannot be used as `base_url`: {problem}"),
        )
        .at_value(value, v.chars().count())
        .expected("an http:// or https:// address with a host, such as https://example.org/scoping/, or a path that starts with a single `/`, such as /scoping/")
        .help(base_url_help(v)),
    );
}

/// Why `base_url` cannot be used, or `None` when it can. A browser reads `//host/` and
/// `/\host/` (backslashes count as slashes) as the address of another host, and the 404
/// page loads its stylesheet from this path.
fn base_url_problem(v: &str) -> Option<&'static str> {
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it holds a space or a control character");
    }
    if v.contains('\\') {
        return Some("it holds a backslash, which browsers read as `/`");
    }
    if v.contains(['?', '#']) {
        return Some("it holds a query (`?`) or a fragment (`#`)");
    }
    let path = if v.starts_with('/') {
        v
    } else if let Some(rest) = strip_prefix_ignoring_case(v, "https://")
        .or_else(|| strip_prefix_ignoring_case(v, "http://"))
    {
        match url::Url::parse(v) {
            Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => {
                if !u.username().is_empty() || u.password().is_some() {
                    return Some("it holds a user name or password before the host");
                }
            }
            _ => return Some("the host is missing or not valid"),
        }
        rest.find('/').map_or("/", |at| &rest[at..])
    } else if strip_prefix_ignoring_case(v, "http:").is_some()
        || strip_prefix_ignoring_case(v, "https:").is_some()
    {
        return Some("the scheme must be followed by `//` and the host");
    } else if v.contains(':') {
        return Some("only http:// and https:// addresses are allowed");
    } else {
        return Some("it is neither a full address nor a path starting with `/`");
    };
    if path.contains("//") {
        return Some("its path holds `//`, which browsers read as the start of another host");
    }
    None
}

fn strip_prefix_ignoring_case<'a>(v: &'a str, prefix: &str) -> Option<&'a str> {
    v.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .map(|_| &v[prefix.len()..])
}

fn base_url_help(v: &str) -> String {
    if let Some(host) = v.strip_prefix("//") {
        format!("write the full address, `https://{host}`, or a path with a single leading `/`")
    } else if v.contains('\\') {
        "use forward slashes only, and start a path with a single `/`".to_string()
    } else if !v.contains(':') && !v.starts_with('/') && v.contains('.') {
        format!("add the scheme: `https://{v}`")
    } else {
        "write the address the site is published at, such as `https://example.org/scoping/`, or its path, such as `/scoping/`".to_string()
    }
}

/// Check that `theme` is a plain folder name; E101 and `false` when it is not, in which
/// case no folder is looked for.
pub fn check_theme_name(value: &Spanned<String>, out: &mut Vec<Diagnostic>) -> bool {
    let v = value.value.as_str();
    if is_plain_name(v) {
        return true;
    }
    let last = v
        .rsplit(['/', '\\'])
        .find(|part| !part.is_empty())
        .unwrap_or("");
    let help = if is_plain_name(last) {
        format!("put the theme in themes/{last}/ and write `theme: {last}`")
    } else {
        "put the theme in a folder under themes/ and write that folder's name, such as `theme: default`".to_string()
    };
    out.push(
        Diagnostic::error(
            "E101",
            CONFIG_FILE,
            format!("the theme `{v}` is not the name of a folder under themes/"),
        )
        .at_value(value, v.chars().count())
        .expected("a folder name: letters, digits, `-`, `_` and `.`, not starting with `.`, with no `/` or `\\`")
        .help(help),
    );
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_takes_full_addresses_and_single_slash_paths_only() {
        for good in [
            "/",
            "/scoping/",
            "/a/b",
            "https://example.org/scoping/",
            "http://example.org",
            "HTTPS://example.org/",
            "https://localhost:8000/",
        ] {
            assert_eq!(base_url_problem(good), None, "{good}");
        }
        for bad in [
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example\\",
            "https:\\\\evil.example/",
            "https:/evil.example/",
            "https://example.org//evil.example/",
            "/scoping//evil.example/",
            "https://",
            "https://good.example@evil.example/",
            "javascript:alert(1)",
            "ftp://example.org/",
            "scoping/",
            "example.org/scoping/",
            "/scoping/?x=1",
            "/sco ping/",
            "/scoping\n/",
            "",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn theme_is_a_plain_folder_name() {
        for good in ["default", "network-2024", "my_theme", "v1.2", "thème"] {
            assert!(is_plain_name(good), "{good}");
        }
        for bad in [
            "", ".", "..", "../x", "../../x", "a/b", "a\\b", "/etc", "C:x", ".hidden", "a b",
        ] {
            assert!(!is_plain_name(bad), "{bad:?} was accepted");
        }
    }
}
