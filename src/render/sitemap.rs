//! `sitemap.xml`: every page of the site under the configured base URL. It is made last,
//! once every page's path is known.

use super::{OutputFile, SiteInput};

/// `sitemap.xml` listing every HTML page under the configured base URL.
pub fn sitemap(input: &SiteInput, paths: &[String]) -> OutputFile {
    let base = input.config.base_url.value.trim_end_matches('/');
    let mut pages: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with("index.html"))
        .collect();
    pages.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        let loc = format!("{base}/{}", p.trim_end_matches("index.html"));
        let loc = super::escape::element_text(&loc);
        xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
