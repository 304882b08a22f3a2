//! Rules that let a static web server answer the feed's API paths.
//!
//! In: the names of the feed's list resources. Out: three files, for Apache
//! (`oruk/.htaccess`), nginx (`oruk/nginx.conf`, to include in a `server` block) and
//! Netlify-style hosts (`_redirects` at the site's root). Each maps what an Open Referral UK
//! client asks for to the file that holds it:
//!
//! - `/oruk/` to `oruk/index.json` (the API root);
//! - `/oruk/services` to `oruk/services/index.json` (the first page), and
//!   `/oruk/services?page=N` to `oruk/services/page/N/index.json`;
//! - `/oruk/services/{id}` to `oruk/services/{id}.json`;
//!
//! and the same for every resource. A static host cannot read a query string without such a
//! rule: without one, `?page=2` is the first page again.

/// The list resources of the feed, each with its pages and records.
pub const RESOURCES: &[&str] = &["services", "organizations", "taxonomies"];

/// The first line of each file, by which a later export knows the file is its own.
pub const MARKER: &str = "# Written by scopemap for its Open Referral UK feed";

/// The Apache rules, for `oruk/.htaccess` (mod_rewrite, relative to the folder, so they
/// work wherever the site is published).
pub fn apache() -> String {
    let alternatives = RESOURCES.join("|");
    format!(
        "{MARKER} (Apache, mod_rewrite).
# Maps the API's paths to the files: ?page=N to a page's file, an id to its record.
RewriteEngine On
RewriteRule ^$ index.json [L]
RewriteCond %{{QUERY_STRING}} (?:^|&)page=([1-9][0-9]*)(?:&|$)
RewriteRule ^({alternatives})/?$ $1/page/%1/index.json [L]
RewriteRule ^({alternatives})/?$ $1/index.json [L]
RewriteRule ^({alternatives})/([0-9a-f-]{{36}})/?$ $1/$2.json [L]
<IfModule mod_headers.c>
  <FilesMatch \"\\.json$\">
    Header set Access-Control-Allow-Origin \"*\"
  </FilesMatch>
</IfModule>
"
    )
}

/// The nginx rules, for `include` in the `server` block of a site published at the root of
/// its host (edit `/oruk/` for a site published under a path).
pub fn nginx() -> String {
    let alternatives = RESOURCES.join("|");
    format!(
        "{MARKER} (nginx).
# Include this file in the server block that serves the site. It maps the API's paths to
# the files: ?page=N to a page's file, an id to its record.
location = /oruk {{
    rewrite ^ /oruk/index.json last;
}}
location = /oruk/ {{
    rewrite ^ /oruk/index.json last;
}}
location ~ ^/oruk/(?<oruk_resource>{alternatives})/?$ {{
    if ($arg_page ~ \"^[1-9][0-9]*$\") {{
        rewrite ^ /oruk/$oruk_resource/page/$arg_page/index.json last;
    }}
    rewrite ^ /oruk/$oruk_resource/index.json last;
}}
location ~ ^/oruk/(?<oruk_resource>{alternatives})/(?<oruk_id>[0-9a-f-]{{36}})/?$ {{
    rewrite ^ /oruk/$oruk_resource/$oruk_id.json last;
}}
location ~ ^/oruk/.*\\.json$ {{
    add_header Access-Control-Allow-Origin \"*\";
}}
"
    )
}

/// The rules for hosts that read a `_redirects` file at the site's root (Netlify,
/// Cloudflare Pages and others; query matching as Netlify does it). Status 200 serves the
/// file at the same address.
pub fn redirects() -> String {
    let mut out = format!(
        "{MARKER} (Netlify-style _redirects).
# Maps the API's paths to the files: ?page=N to a page's file, an id to its record.
/oruk /oruk/index.json 200
/oruk/ /oruk/index.json 200
"
    );
    for r in RESOURCES {
        out.push_str(&format!(
            "/oruk/{r} page=:page /oruk/{r}/page/:page/index.json 200\n/oruk/{r} /oruk/{r}/index.json 200\n/oruk/{r}/:id /oruk/{r}/:id.json 200\n"
        ));
    }
    out
}
