//! Request addresses for `scopemap serve`: strict decoding and redirects that stay on the
//! server.
//!
//! In: the request target as sent (`/regions/north?x=1`). Out: its path decoded from
//! percent-escapes, or a refusal when an escape is not `%` and two hex digits or the bytes
//! are not UTF-8; and, for a folder asked for without its final `/`, a `Location` that is
//! relative to the request, so it can never name another host (`//host/dir` would).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Why a request path was refused; answered with 400 Bad Request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPath {
    /// A `%` not followed by two hex digits, such as `%+1` or `%zz`.
    Escape,
    /// Escapes that decode to bytes that are not UTF-8 text.
    NotUtf8,
}

impl BadPath {
    pub fn message(self) -> &'static str {
        match self {
            BadPath::Escape => {
                "Bad request: a % in the address is not followed by two hex digits\n"
            }
            BadPath::NotUtf8 => "Bad request: the address does not decode to UTF-8 text\n",
        }
    }
}

/// The path part of a request target, before any query or fragment, still encoded.
pub fn raw_path(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or("/")
}

/// Decode a path's percent-escapes, refusing malformed ones. `percent_decode_str` alone
/// would pass a bad escape through as text, so each `%` is checked first.
pub fn decode_path(path: &str) -> Result<String, BadPath> {
    let bytes = path.as_bytes();
    for (at, _) in path.match_indices('%') {
        let digits = bytes.get(at + 1..at + 3).ok_or(BadPath::Escape)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(BadPath::Escape);
        }
    }
    percent_decode_str(path)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| BadPath::NotUtf8)
}

/// Everything but letters, digits and `-._~` is escaped in a redirect's folder name, so the
/// header is plain ASCII and the name cannot be read as a scheme, a host or a query.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Where to send a request for a folder without its final `/`: `./name/`, relative to
/// the request (whose last segment is `name`), with the query kept. `None` for a path that
/// does not end in a name.
pub fn folder_redirect(target: &str) -> Option<String> {
    let path = raw_path(target);
    let last = decode_path(path.rsplit('/').next()?).ok()?;
    if last.is_empty() {
        return None;
    }
    let query = target[path.len()..]
        .split('#')
        .next()
        .filter(|q| q.len() > 1)
        .unwrap_or("");
    let query: String = query.chars().filter(|c| c.is_ascii_graphic()).collect();
    Some(format!("./{}/{query}", utf8_percent_encode(&last, SEGMENT)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_must_be_two_hex_digits_and_decode_to_text() {
        assert_eq!(decode_path("/a%20b/%C3%A9"), Ok("/a b/é".to_string()));
        assert_eq!(decode_path("/plain"), Ok("/plain".to_string()));
        for bad in ["/%+1", "/%zz", "/%", "/%4", "/a%-1b", "/%%41", "/% 1"] {
            assert_eq!(decode_path(bad), Err(BadPath::Escape), "{bad}");
        }
        assert_eq!(decode_path("/%C3%28"), Err(BadPath::NotUtf8));
        assert_eq!(decode_path("/%FF"), Err(BadPath::NotUtf8));
    }

    #[test]
    fn redirects_name_the_last_segment_relatively() {
        assert_eq!(
            folder_redirect("/directory").as_deref(),
            Some("./directory/")
        );
        assert_eq!(
            folder_redirect("//directory").as_deref(),
            Some("./directory/")
        );
        assert_eq!(
            folder_redirect("/regions/north?year=2022").as_deref(),
            Some("./north/?year=2022")
        );
        assert_eq!(
            folder_redirect("//evil.example:80").as_deref(),
            Some("./evil.example%3A80/")
        );
        assert_eq!(folder_redirect("/a%20b").as_deref(), Some("./a%20b/"));
        assert_eq!(folder_redirect("/directory/"), None);
    }

    /// The server at 127.0.0.1:8000 is asked for `path`; the browser follows `location`.
    fn followed(path: &str, location: &str) -> url::Url {
        let mut page = url::Url::parse("http://127.0.0.1:8000/").unwrap();
        page.set_path(path);
        page.join(location).unwrap()
    }

    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("directory".to_string()),
            Just("evil.example".to_string()),
            Just("evil.example:8000".to_string()),
            Just("\\evil.example".to_string()),
            Just("%2F%2Fevil.example".to_string()),
            Just("%5Cevil.example".to_string()),
            Just("..".to_string()),
            Just("javascript:alert(1)".to_string()),
            "[a-zA-Z0-9:@.%\\\\-]{1,12}",
        ]
    }

    proptest! {
        #[test]
        fn no_redirect_leaves_the_server(
            parts in proptest::collection::vec(segment(), 1..6),
            query in proptest::option::of("[a-z=&/:]{0,12}"),
        ) {
            let path = format!("/{}", parts.join("/"));
            let target = match &query {
                Some(q) => format!("{path}?{q}"),
                None => path.clone(),
            };
            if let Some(location) = folder_redirect(&target) {
                prop_assert!(location.starts_with("./"), "{location}");
                prop_assert!(location.is_ascii());
                let to = followed(&path, &location);
                prop_assert_eq!(to.host_str(), Some("127.0.0.1"), "{} -> {}", target, location);
                prop_assert_eq!(to.port(), Some(8000));
                prop_assert_eq!(to.scheme(), "http");
            }
        }
    }
}
