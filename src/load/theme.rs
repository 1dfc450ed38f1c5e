//! The look of a site: the theme's templates, static files and UI strings, with the
//! site's own `templates/` and `static/` laid over them, as in Zola.
//!
//! The `default` theme is compiled into remiss, so a site made by `remiss init` builds
//! without a copy of it; a `themes/default/` folder in the site replaces it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::load::front_matter::parse_toml;
use crate::load::{leads_inside, leads_out, read_text};

static BUILT_IN_DEFAULT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A Tera template, named by its path below `templates/` (`proposal.html`).
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub file: SourceFile,
}

/// A file copied to the output as it is, at `path` (`style.css`).
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub path: String,
    pub bytes: Arc<[u8]>,
    /// Where it comes from, relative to the site's root, for diagnostics.
    pub origin: PathBuf,
}

#[derive(Debug, Default)]
pub struct Theme {
    /// Later entries override earlier ones of the same name.
    pub templates: Vec<Template>,
    pub static_files: Vec<StaticFile>,
    /// The UI strings for the site's language (`i18n/sv.toml`).
    pub strings: toml::Table,
}

pub fn load(config: &Config) -> (Theme, Vec<Diagnostic>) {
    let mut theme = Theme::default();
    let mut problems = Vec::new();
    let strings_name = format!("i18n/{}.toml", config.language.code());
    let theme_folder = config.root.join("themes").join(&config.theme);
    let strings = if theme_folder.is_dir() {
        read_folder(config, &theme_folder, &mut theme, &mut problems);
        let path = theme_folder.join(&strings_name);
        read_text(&path, &relative(config, &path)).map(Some).unwrap_or_else(|problem| {
            problems.push(problem);
            None
        })
    } else {
        // The config lets a theme without a folder through only when it is `default`.
        read_built_in(&mut theme);
        BUILT_IN_DEFAULT.get_file(&strings_name).and_then(|file| {
            Some(SourceFile::new(Path::new("themes/default").join(&strings_name), file.contents_utf8()?))
        })
    };
    match strings.map(|file| parse_toml::<toml::Table>(&file, 0..file.text.len())) {
        Some(Ok(table)) => theme.strings = table,
        Some(Err(problem)) => problems.push(problem),
        None if problems.is_empty() => problems.push(Diagnostic::in_file(
            theme_folder.join(&strings_name),
            format!("the theme has no UI strings for the language `{}`", config.language.code()),
        )),
        None => {}
    }
    // The site's own files come last, so they win.
    read_folder(config, &config.root, &mut theme, &mut problems);
    (theme, problems)
}

/// Reads `templates/` and `static/` below a theme's or the site's folder.
fn read_folder(config: &Config, folder: &Path, theme: &mut Theme, problems: &mut Vec<Diagnostic>) {
    for (name, path) in files_below(config, &folder.join("templates"), problems) {
        match read_text(&path, &relative(config, &path)) {
            Ok(file) => theme.templates.push(Template { name, file }),
            Err(problem) => problems.push(problem),
        }
    }
    for (name, path) in files_below(config, &folder.join("static"), problems) {
        match std::fs::read(&path) {
            Ok(bytes) => theme.static_files.push(StaticFile { path: name, bytes: bytes.into(), origin: relative(config, &path) }),
            Err(error) => problems.push(
                Diagnostic::in_file(relative(config, &path), format!("cannot read this file: {error}"))
                    .with_help("check that it is a file you may read (its permissions), not a link to nowhere"),
            ),
        }
    }
}

fn read_built_in(theme: &mut Theme) {
    let mut pending = vec![&BUILT_IN_DEFAULT];
    while let Some(folder) = pending.pop() {
        pending.extend(folder.dirs());
        for file in folder.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                let source = SourceFile::new(Path::new("themes/default").join(&path), text);
                theme.templates.push(Template { name: name.to_owned(), file: source });
            } else if let Some(name) = path.strip_prefix("static/") {
                let origin = Path::new("themes/default").join(&path);
                theme.static_files.push(StaticFile { path: name.to_owned(), bytes: file.contents().into(), origin });
            }
        }
    }
    theme.templates.sort_by(|a, b| a.name.cmp(&b.name));
    theme.static_files.sort_by(|a, b| a.path.cmp(&b.path));
}

/// Files below a folder, as (path with `/` separators relative to it, full path), sorted.
/// A missing folder has no files. A symbolic link that leads out of the site is
/// reported, never followed: its target could be any file of the machine.
fn files_below(config: &Config, folder: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    if folder.is_symlink() && !leads_inside(&config.root, folder) {
        problems.push(leads_out(&config.root, &relative(config, folder)));
        pending.clear();
    }
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let Ok(file_type) = entry.file_type() else { continue };
            if hidden {
                continue;
            } else if file_type.is_symlink() && !leads_inside(&config.root, &path) {
                problems.push(leads_out(&config.root, &relative(config, &path)));
                continue;
            } else if file_type.is_dir() {
                pending.push(path);
            } else if path.is_file() {
                let name = path.strip_prefix(folder).unwrap_or(&path);
                let name = name.iter().map(|part| part.to_string_lossy()).collect::<Vec<_>>().join("/");
                found.push((name, path));
            }
        }
    }
    found.sort();
    found
}

fn relative(config: &Config, path: &Path) -> PathBuf {
    path.strip_prefix(&config.root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dotted paths of every string in a table: `stance.supports`, `months`, …
    fn keys(table: &toml::Table, prefix: &str, into: &mut Vec<String>) {
        for (key, value) in table {
            let path = format!("{prefix}{key}");
            match value {
                toml::Value::Table(inner) => keys(inner, &format!("{path}."), into),
                _ => into.push(path),
            }
        }
    }

    #[test]
    fn every_swedish_ui_string_has_an_english_translation() {
        let strings = |language: &str| {
            let file = BUILT_IN_DEFAULT.get_file(format!("i18n/{language}.toml")).expect("the strings");
            let table: toml::Table = toml::from_str(file.contents_utf8().expect("UTF-8")).expect("TOML");
            let mut found = Vec::new();
            keys(&table, "", &mut found);
            found.sort();
            found
        };
        let (swedish, english) = (strings("sv"), strings("en"));
        // Swedish alone needs the neuter form of an adjective.
        let swedish: Vec<String> = swedish.into_iter().filter(|key| !key.ends_with("one_neuter")).collect();
        assert_eq!(swedish, english);
    }
}
