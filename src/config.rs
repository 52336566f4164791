//! Site configuration: `site.toml`, parsed strictly (unknown keys are errors) with defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, unknown_field_hint};
use crate::nesting::TooDeep;

pub const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Absolute URL of the published site, e.g. `https://example.org/guide`; used for the feed,
    /// the sitemap and canonical links. Page links stay root-relative to [`Config::base_path`].
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub feed: FeedConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    pub output_dir: PathBuf,
    /// Include pages marked `draft: true` (also `--drafts`).
    pub drafts: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig { output_dir: PathBuf::from("public"), drafts: false }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    pub smart_punctuation: bool,
    /// Put a `#` link beside every heading.
    pub heading_anchors: bool,
    /// Show a table of contents on pages with at least this many headings (0: never).
    pub toc_min_headings: usize,
    /// Highlight fenced code that names its language, at build time.
    pub highlight: bool,
    /// Turn `$…$` and `$$…$$` into MathML.
    pub math: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            heading_anchors: true,
            toc_min_headings: 3,
            highlight: true,
            math: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    /// The most guides `atom.xml` lists, newest first (0: all of them). Feed readers fetch the
    /// whole feed every time they look, and a feed of every guide of a 10,000-page site is 4 MB;
    /// like Hugo's `services.rss.limit` and Zola's `feed_limit`, but on by default.
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { limit: 50 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Write the full-text index under `search/` (docs/search.md) and show the default theme's
    /// search box. Off, like Zola's `build_search_index = false`: a site searched some other way
    /// (or not at all) saves the index's build time and its files; templates see
    /// `config.search.enabled`, and the dev server keeps no index.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

fn default_language() -> String {
    "en".into()
}

fn default_theme() -> String {
    "default".into()
}

impl Config {
    /// Reads `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let source = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(CONFIG_FILE, format!("cannot read {}: {e}", path.display()))
                .with_hint("run tandem in a site folder (one with site.toml), pass --root DIR, or create one with `tandem init DIR`")
        })?;
        Config::parse(&source)
    }

    pub fn parse(source: &str) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(source).map_err(|e| {
            let message = e.message().to_string();
            if crate::nesting::is_toml_depth_error(&message) {
                let d = Diagnostic::error(CONFIG_FILE, TooDeep::toml_message()).with_hint(TooDeep::HINT);
                return match e.span().map(|s| s.start).or_else(|| crate::nesting::deepest_toml_key(source)) {
                    Some(at) => d.at_offset(source, at, 1),
                    None => d,
                };
            }
            let mut d = Diagnostic::error(CONFIG_FILE, format!("invalid site.toml: {message}"));
            if let Some(span) = e.span() {
                d = d.at_offset(source, span.start, span.end.saturating_sub(span.start));
            }
            match unknown_field_hint(&message) {
                Some(hint) => d.with_hint(hint),
                None => d.with_hint("see docs/configuration.md for every key and its type"),
            }
        })?;
        if let Err(why) = check_base_url(&config.base_url) {
            let d = Diagnostic::error(CONFIG_FILE, why).with_hint(BASE_URL_HINT);
            return Err(match key_line(source, "base_url") {
                Some(at) => d.at_offset(source, at, "base_url".len()),
                None => d,
            });
        }
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        Ok(config)
    }

    /// The path part of `base_url` (e.g. `/guide` for `https://example.org/guide`), or "".
    /// Every URL tandem writes into a page starts with it, so a site can live in a subfolder.
    pub fn base_path(&self) -> &str {
        // The first `://`, found from its `:` (a memchr) rather than by split_once's Two-Way
        // search, which cost more than the rest of a link's URL: this runs for every link.
        let url = self.base_url.as_str();
        let scheme_end = url.match_indices(':').map(|(i, _)| i).find(|&i| url[i..].starts_with("://"));
        let after_scheme = scheme_end.map_or(url, |i| &url[i + 3..]);
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    }

    /// `base_url` plus a site path such as `/guides/x/`, for feeds and sitemaps.
    pub fn absolute_url(&self, site_path: &str) -> String {
        let origin_len = self.base_url.len() - self.base_path().len();
        format!("{}{}", &self.base_url[..origin_len], site_path)
    }
}

pub const BASE_URL_HINT: &str = "write an absolute http(s) address such as https://example.org/guide, or only a path such as /guide (see docs/configuration.md)";

/// `base_url` lands in every link, the feed and the sitemap, so only two forms are allowed: an
/// absolute `http(s)://host[:port][/path]` URL, or a path alone (`/guide`, for a site whose
/// address is not known yet). Empty means the site lives at the root of whatever serves it.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    let refuse = |why: &str| Err(format!("`{url}` cannot be the base_url: {why}"));
    let path = if url.starts_with('/') {
        if url.starts_with("//") {
            return refuse("an address starting with // is another host's, not a path");
        }
        url
    } else {
        let Some((scheme, rest)) = url.split_once("://") else {
            return refuse("it is neither an http(s) URL nor a path starting with /");
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return refuse("only http:// and https:// addresses can be published");
        }
        let host_end = rest.find('/').unwrap_or(rest.len());
        let host = &rest[..host_end];
        let host_char = |c: char| c.is_ascii_alphanumeric() || "-._:[]".contains(c);
        if host.is_empty() || !host.chars().all(host_char) {
            return refuse("the host must be a name or an address, with an optional :port");
        }
        &rest[host_end..]
    };
    if path.chars().any(|c| c.is_whitespace() || c.is_control() || "?#\\\"'<>`".contains(c)) {
        return refuse("the path may not hold spaces, quotes, `<`, `>`, `\\`, a query or a fragment");
    }
    if path.split('/').any(|segment| segment == "." || segment == "..") {
        return refuse("the path may not hold `.` or `..` segments");
    }
    Ok(())
}

/// The byte offset of the line where `key = …` is set at the top of a TOML file.
fn key_line(source: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let rest = line.trim_start();
        if let Some(after) = rest.strip_prefix(key)
            && after.trim_start().starts_with('=')
        {
            return Some(offset + line.len() - rest.len());
        }
        if rest.starts_with('[') {
            return None; // past the top-level keys
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_missing() {
        let c = Config::parse("title = \"T\"").unwrap();
        assert_eq!(c.theme, "default");
        assert_eq!(c.build.output_dir, PathBuf::from("public"));
        assert!(c.markdown.smart_punctuation);
        assert!(c.search.enabled, "search is on unless turned off");
        let off = Config::parse("title = \"T\"\n[search]\nenabled = false\n").unwrap();
        assert!(!off.search.enabled);
        let typo = Config::parse("title = \"T\"\n[search]\nenable = false\n").unwrap_err();
        assert!(typo.hint.unwrap().contains("did you mean `enabled`"));
    }

    #[test]
    fn unknown_key_is_an_error_with_a_suggestion_and_a_line() {
        let d = Config::parse("title = \"T\"\ndescripton = \"x\"\n").unwrap_err();
        let loc = d.location.clone().unwrap();
        assert_eq!(loc.line, 2);
        assert!(d.hint.unwrap().contains("did you mean `description`"));
    }

    #[test]
    fn wrong_type_names_the_line() {
        let d = Config::parse("title = \"T\"\n[build]\ndrafts = \"yes\"\n").unwrap_err();
        assert_eq!(d.location.unwrap().line, 3);
    }

    #[test]
    fn base_url_is_an_http_url_or_a_path() {
        for ok in [
            "",
            "https://e.org",
            "http://e.org/guide/",
            "HTTPS://e.org:8443/a/b",
            "http://[::1]:1111",
            "/guide",
        ] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "//evil.example/x",
            "ftp://e.org",
            "e.org",
            "https://",
            "https://user@e.org",
            "https://e.org/a b",
            "https://e.org/\"><script>",
            "https://e.org/?q=1",
            "https://e.org/#x",
            "/../up",
            "data:text/html,hi",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_bad_base_url_is_reported_on_its_line() {
        let d = Config::parse("title = \"T\"\n\nbase_url = \"javascript:alert(1)\"\n").unwrap_err();
        assert_eq!(d.location.as_ref().unwrap().line, 3);
        assert!(d.message.contains("javascript:alert(1)"), "{}", d.message);
        let path_only = Config::parse("title = \"T\"\nbase_url = \"/guide/\"").unwrap();
        assert_eq!(
            (path_only.base_path(), path_only.absolute_url("/guide/a/").as_str()),
            ("/guide", "/guide/a/")
        );
    }

    #[test]
    fn base_path_and_absolute_urls() {
        let c = Config::parse("title = \"T\"\nbase_url = \"https://e.org/guide/\"").unwrap();
        assert_eq!(c.base_path(), "/guide");
        assert_eq!(c.absolute_url("/guide/a/"), "https://e.org/guide/a/");
        let c = Config::parse("title = \"T\"\nbase_url = \"https://e.org\"").unwrap();
        assert_eq!(c.base_path(), "");
        for (base_url, path) in
            [("/guide", "/guide"), ("http://h:8080/a", "/a"), ("https://e.org:1/", "/"), ("", "")]
        {
            let c = Config { base_url: base_url.to_string(), ..c.clone() };
            assert_eq!(c.base_path(), path, "{base_url}");
        }
        assert_eq!(c.absolute_url("/a/"), "https://e.org/a/");
    }
}
