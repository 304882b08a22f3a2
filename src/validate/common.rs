//! Checks shared by every file type: text, ids, dates, links and fixed vocabularies.

use crate::diag::{Diagnostic, nearest};
use crate::model::Spanned;

/// Ids become parts of URLs and file names: lowercase letters, digits and single hyphens.
pub fn check_id(file: &str, id: &Spanned<String>, what: &str, out: &mut Vec<Diagnostic>) {
    let v = id.value.as_str();
    let ok = !v.is_empty()
        && v.len() <= 80
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !v.starts_with('-')
        && !v.ends_with('-')
        && !v.contains("--");
    if !ok {
        let suggestion = slugify(v);
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

pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(80).collect()
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
pub fn check_one_of(
    file: &str,
    value: &Spanned<String>,
    field: &str,
    allowed: &[&str],
    out: &mut Vec<Diagnostic>,
) -> bool {
    if allowed.contains(&value.value.as_str()) {
        return true;
    }
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
    false
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

/// An e-mail address: one `@`, a local part, and a domain with a dot.
pub fn check_email(file: &str, value: &Spanned<String>, field: &str, out: &mut Vec<Diagnostic>) {
    let v = value.value.as_str();
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v
                    .chars()
                    .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',' || c == ';')
        }
        None => false,
    };
    if !ok {
        out.push(
            Diagnostic::error(
                "E023",
                file,
                format!("`{v}` is not a valid e-mail address for `{field}`"),
            )
            .at_value(value, v.chars().count())
            .expected("an address such as team@example.nhs.uk")
            .help("write one address, with no spaces or `mailto:`"),
        );
    }
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
    fn slugify_makes_a_valid_id() {
        assert_eq!(slugify("St. Helen's CCG"), "st-helen-s-ccg");
        assert_eq!(slugify("  BABS!"), "babs");
    }
}
