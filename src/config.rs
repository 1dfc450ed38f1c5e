//! The site's settings: `config.toml`, with the command line's overrides applied.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::parse::parse_toml_reporting_all;

/// The language of the site's UI strings (the content is whatever the editors wrote).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Sv,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: toml::Spanned<String>,
    #[serde(default = "default_language")]
    default_language: Language,
    #[serde(default = "default_theme")]
    theme: toml::Spanned<String>,
    #[serde(default)]
    minify_html: bool,
    #[serde(default = "yes")]
    build_search_index: bool,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    trust_html_in_pages: bool,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    contact_email: Option<String>,
    #[serde(default = "default_data_license", deserialize_with = "crate::vocabulary::link")]
    data_license: String,
}

/// The open data is the public record: CC0 unless the publisher says otherwise.
fn default_data_license() -> String {
    "http://creativecommons.org/publicdomain/zero/1.0/".to_owned()
}

fn yes() -> bool {
    true
}

fn default_language() -> Language {
    Language::Sv
}

fn default_theme() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "default".to_owned())
}

/// What the command line may change for one run.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// The validated settings of one site.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site's folder: where `config.toml` and `content/` are.
    pub root: PathBuf,
    pub title: String,
    /// Without a trailing slash: `https://example.org/tillit`.
    pub base_url: String,
    /// The path part of `base_url` without a trailing slash: `/tillit`, or empty.
    /// Links inside the site start with it, so the site works under a sub-path.
    pub base_path: String,
    pub language: Language,
    pub theme: String,
    pub minify_html: bool,
    /// Make the search index and the search page (by far the costliest step of a build;
    /// an archive of many consultations may search elsewhere).
    pub build_search_index: bool,
    pub description: Option<String>,
    /// Raw HTML in the site's free pages (content/*.md) is kept as written; everywhere
    /// else, and by default here too, it is sanitised.
    pub trust_html_in_pages: bool,
    /// Who publishes the site and its data (for the DCAT-AP-SE description).
    pub publisher: Option<String>,
    pub contact_email: Option<String>,
    /// The licence of the open data, as a URL.
    pub data_license: String,
    pub drafts: bool,
    /// Set when this is one consultation of an archive (`content/remisser/<slug>/`).
    pub archive: Option<Archived>,
}

/// Where a consultation of an archive stands in it.
#[derive(Debug, Clone)]
pub struct Archived {
    /// The consultation's folder name below `content/remisser/`.
    pub slug: String,
    /// The archive's own title and base path (the consultation's path is below it).
    pub title: String,
    pub base_path: String,
}

impl Config {
    /// Reads `<root>/config.toml`, reporting every problem it has.
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("config.toml");
        let text = std::fs::read_to_string(&path).map_err(|error| {
            Diagnostic::in_file("config.toml", format!("cannot read the site's config: {error}"))
                .with_help(format!(
                    "run remiss in a site's folder (one with config.toml), pass --root, \
                     or create a site with `remiss init` (looked in {})",
                    root.display()
                ))
        });
        let file = SourceFile::new("config.toml", text.map_err(|problem| vec![problem])?);
        let raw: RawConfig = parse_toml_reporting_all(&file, 0..file.text.len())?;
        let mut problems = Vec::new();
        let problem = |value: &toml::Spanned<String>, message: String, help: &str| {
            Diagnostic::at(&file, value.span(), message).with_help(help)
        };
        let base_url = match &overrides.base_url {
            Some(base_url) => base_url.clone(),
            None => raw.base_url.get_ref().clone(),
        };
        let base_url = base_url.trim_end_matches('/').to_owned();
        let help = "the base URL is where the site will be published, such as https://example.org/remiss";
        let base_path = base_path(&base_url).unwrap_or_else(|message| {
            problems.push(match overrides.base_url {
                // The value came from the command line: config.toml is not to blame.
                Some(_) => Diagnostic::in_file("--base-url", message).with_help(help),
                None => problem(&raw.base_url, message, help),
            });
            String::new()
        });
        let theme = raw.theme.get_ref();
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            let message = format!("theme `{theme}` is not a folder name in themes/");
            problems.push(problem(&raw.theme, message, "write the name of a folder in themes/, or \"default\" for the built-in theme"));
        } else if theme != "default" && !root.join("themes").join(theme).is_dir() {
            let message = format!("theme `{theme}` not found in themes/");
            problems.push(problem(&raw.theme, message, "set `theme = \"default\"` or copy the theme into themes/"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            base_url,
            base_path,
            language: raw.default_language,
            theme: raw.theme.into_inner(),
            minify_html: raw.minify_html,
            build_search_index: raw.build_search_index,
            description: raw.description,
            trust_html_in_pages: raw.trust_html_in_pages,
            publisher: raw.publisher,
            contact_email: raw.contact_email,
            data_license: raw.data_license,
            drafts: overrides.drafts,
            archive: None,
        })
    }

    /// The config of one consultation of an archive: the archive's, with its URLs moved
    /// below `prefix` (the consultation's path in the archive, `remisser/<slug>`), so that
    /// every link the consultation's pages make lands there.
    pub fn within_archive(&self, slug: &str, prefix: &str) -> Config {
        let mut config = self.clone();
        config.archive = Some(Archived {
            slug: slug.to_owned(),
            title: self.title.clone(),
            base_path: self.base_path.clone(),
        });
        config.base_url = crate::routes::permalink(&self.base_url, prefix);
        config.base_path = crate::routes::link(&self.base_path, prefix);
        config
    }

    /// The absolute URL of a path inside the site (`forslag/x/` → `https://…/forslag/x/`).
    pub fn permalink(&self, path: &str) -> String {
        crate::routes::permalink(&self.base_url, path)
    }

    /// The root-relative link to a path inside the site (`forslag/x/` → `/tillit/forslag/x/`).
    pub fn link(&self, path: &str) -> String {
        crate::routes::link(&self.base_path, path)
    }
}

fn base_path(base_url: &str) -> Result<String, String> {
    let Some((scheme, rest)) = base_url.split_once("://") else {
        return Err(format!(
            "base_url `{base_url}` is not an absolute URL: write it as https://example.org or http://127.0.0.1:1111"
        ));
    };
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return Err(format!("base_url `{base_url}` must start with http:// or https:// and name a host"));
    }
    Ok(rest.find('/').map_or(String::new(), |slash| rest[slash..].to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_url_path_without_trailing_slash() {
        assert_eq!(base_path("https://example.org").unwrap(), "");
        assert_eq!(base_path("https://example.org/tillit").unwrap(), "/tillit");
        assert!(base_path("example.org").is_err());
        assert!(base_path("ftp://example.org").is_err());
    }
}
