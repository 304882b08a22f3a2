//! Checks shared by every file type: text, ids, dates, links and fixed vocabularies.

use crate::diag::{Diagnostic, nearest};
use crate::model::Spanned;
use crate::model::vocab::Vocabulary;

/// Ids become parts of URLs and file names: lowercase letters, digits and single hyphens.
pub fn check_id(file: &str, id: &Spanned<String>, what: &str, out: &mut Vec<Diagnostic>) {
    let v = id.value.as_str();
    let ok = !v.is_empty()
        && v.len() <= crate::model::id::MAX_ID_CHARS
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !v.starts_with('-')
        && !v.ends_with('-')
        && !v.contains("--");
    if !ok {
        let suggestion = crate::model::id::slug(v);
        let mut d = Diagnostic::error("E040", file, format!("the {what} id `{v}` is not a valid id"))
            .at_value(id, v.chars().count())
            .expected("lowercase letters, digits and single hyphens, at most 80 characters (it becomes part of a web address)");
        d = if suggestion.is_empty() {
            d.help("choose a short id such as `halton-ccg`")
        } else {
            d.help(format!("write it as `{suggestion}`"))
        };
        out.push(d);
    }
}

/// Required text must say something.
pub fn check_text(file: &str, text: &Spanned<String>, field: &str, out: &mut Vec<Diagnostic>) {
    if text.value.trim().is_empty() {
        out.push(
            Diagnostic::error("E025", file, format!("`{field}` is empty"))
                .at_value(text, 1)
                .help(format!("write the {field}; it is shown on the site")),
        );
    }
}

pub fn check_optional_text(
    file: &str,
    text: &Option<Spanned<String>>,
    field: &str,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(t) = text {
        check_text(file, t, field, out);
    }
}

/// A value from a fixed list; suggests the nearest allowed value.
/// A value from a controlled list (E027, naming the allowed codes); the value it is, or
/// `None` when it is none of them.
pub fn check_value<V: Vocabulary>(
    file: &str,
    value: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) -> Option<V> {
    if let Some(known) = V::from_code(&value.value) {
        return Some(known);
    }
    let allowed = V::codes();
    let field = V::NAME;
    let mut d = Diagnostic::error(
        "E027",
        file,
        format!("`{}` is not a valid {field}", value.value),
    )
    .at_value(value, value.value.chars().count())
    .expected(format!("one of {}", allowed.join(", ")));
    d = match nearest(&value.value, allowed.iter().copied()) {
        Some(near) => d.help(format!("did you mean `{near}`?")),
        None => d.help(format!("use one of the {field} values listed above")),
    };
    out.push(d);
    None
}

/// A calendar date written `YYYY-MM-DD`.
pub fn check_date(
    file: &str,
    value: &Spanned<String>,
    field: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<chrono::NaiveDate> {
    match chrono::NaiveDate::parse_from_str(&value.value, "%Y-%m-%d") {
        Ok(date) if value.value.len() == 10 => Some(date),
        _ => {
            out.push(
                Diagnostic::error(
                    "E028",
                    file,
                    format!("`{}` is not a valid date for `{field}`", value.value),
                )
                .at_value(value, value.value.chars().count())
                .expected("a date written YYYY-MM-DD, e.g. 2022-05-01")
                .help("write the year, month and day with hyphens, in quotes"),
            );
            None
        }
    }
}

/// A web address people can follow: http or https with a host.
pub fn check_url(file: &str, value: &Spanned<String>, field: &str, out: &mut Vec<Diagnostic>) {
    let ok = url::Url::parse(&value.value)
        .map(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.'))
        })
        .unwrap_or(false);
    if !ok {
        let help = if !value.value.contains("://") && value.value.contains('.') {
            format!("add the scheme: `https://{}`", value.value)
        } else {
            "write the full address, starting with https://".to_string()
        };
        out.push(
            Diagnostic::error(
                "E022",
                file,
                format!("`{}` is not a valid web address for `{field}`", value.value),
            )
            .at_value(value, value.value.chars().count())
            .expected("an http:// or https:// address with a domain name")
            .help(help),
        );
    }
}

/// An e-mail address people can write to, and nothing else: it is published as a
/// `mailto:` link, so a value that is not plainly an address is refused rather than
/// trusted to escaping.
pub fn check_email(file: &str, value: &Spanned<String>, field: &str, out: &mut Vec<Diagnostic>) {
    let v = value.value.as_str();
    if let Some(problem) = email_problem(v) {
        let help = match v.split_once(':') {
            Some((scheme, rest)) if !scheme.contains('@') && rest.contains('@') => {
                format!("remove `{scheme}:`; write only the address")
            }
            _ => {
                "write one address, such as team@example.nhs.uk, with nothing around it".to_string()
            }
        };
        out.push(
            Diagnostic::error(
                "E023",
                file,
                format!("`{v}` is not a valid e-mail address for `{field}`: {problem}"),
            )
            .at_value(value, v.chars().count())
            .expected("one address: letters, digits and . _ % + - before a single @, then a domain of letters, digits and hyphens with a dot, e.g. team@example.nhs.uk")
            .help(help),
        );
    }
}

/// What is wrong with an e-mail address, if anything.
pub fn email_problem(v: &str) -> Option<String> {
    let local_char = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if v.chars().any(char::is_whitespace) {
        return Some("it holds a space".into());
    }
    if v.contains(['"', '\'', '`']) {
        return Some("it holds a quote".into());
    }
    if v.contains(['<', '>']) {
        return Some("it holds an angle bracket".into());
    }
    if v.contains(':') {
        return Some("it holds a `:`, as in `mailto:` or `javascript:`".into());
    }
    let ats = v.matches('@').count();
    if ats != 1 {
        return Some(if ats == 0 {
            "it has no `@`".into()
        } else {
            "it has more than one `@`".into()
        });
    }
    let (local, domain) = v.split_once('@')?;
    if local.is_empty() || local.len() > 64 {
        return Some("the part before `@` must be 1 to 64 characters".into());
    }
    if let Some(c) = local.chars().find(|c| !local_char(*c)) {
        return Some(format!("`{c}` is not allowed before `@`"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("a dot before `@` must sit between other characters".into());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some(format!("the domain `{domain}` has no dot"));
    }
    if !labels.iter().all(|l| label_ok(l)) || domain.len() > 253 {
        return Some(format!(
            "the domain `{domain}` must be letters, digits and hyphens between single dots"
        ));
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Some(format!("the domain `{domain}` ends in a number"));
    }
    None
}

/// Report ids used more than once among `ids` (file path, id).
pub fn check_unique<'a>(
    ids: impl IntoIterator<Item = (&'a str, &'a Spanned<String>)>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: std::collections::HashMap<&str, (&str, &Spanned<String>)> =
        std::collections::HashMap::new();
    for (file, id) in ids {
        if let Some((first_file, first)) = seen.get(id.value.as_str()) {
            out.push(
                Diagnostic::error(
                    "E024",
                    file,
                    format!("the {what} id `{}` is used twice", id.value),
                )
                .at_value(id, id.value.chars().count())
                .help(format!(
                    "ids must be unique; the first use is {first_file}:{}:{} — rename one of them",
                    first.line, first.column
                )),
            );
        } else {
            seen.insert(id.value.as_str(), (file, id));
        }
    }
}

/// Internal contact details: checked like public ones, though they are never published.
pub fn check_internal(
    file: &str,
    internal: &Option<crate::model::InternalDetails>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(i) = internal else { return };
    check_optional_text(file, &i.contact_name, "internal.contact_name", out);
    check_optional_text(file, &i.notes, "internal.notes", out);
    if let Some(e) = &i.contact_email {
        check_email(file, e, "internal.contact_email", out);
    }
    if let Some(p) = &i.contact_phone {
        check_text(file, p, "internal.contact_phone", out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_pass() {
        for ok in [
            "team@example.org",
            "first.last+tag@mail.example.nhs.uk",
            "a_b%c-d@x-y.co",
        ] {
            assert_eq!(email_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn anything_but_a_plain_address_is_refused() {
        let cases = [
            ("team.example.org", "it has no `@`"),
            ("a b@example.org", "it holds a space"),
            ("\"x\"@example.org", "it holds a quote"),
            ("o'neill@example.org", "it holds a quote"),
            ("<team@example.org>", "it holds an angle bracket"),
            (
                "javascript:alert(1)//@example.org",
                "it holds a `:`, as in `mailto:` or `javascript:`",
            ),
            ("a@b@example.org", "it has more than one `@`"),
            (
                "@example.org",
                "the part before `@` must be 1 to 64 characters",
            ),
            ("a(b)@example.org", "`(` is not allowed before `@`"),
            (
                ".a@example.org",
                "a dot before `@` must sit between other characters",
            ),
            ("team@localhost", "the domain `localhost` has no dot"),
            (
                "team@exa_mple.org",
                "the domain `exa_mple.org` must be letters, digits and hyphens between single dots",
            ),
            (
                "team@example..org",
                "the domain `example..org` must be letters, digits and hyphens between single dots",
            ),
            ("team@10.0.0.1", "the domain `10.0.0.1` ends in a number"),
        ];
        for (value, problem) in cases {
            assert_eq!(email_problem(value).as_deref(), Some(problem), "{value}");
        }
    }
}
