//! Link checking for `remiss check`: every internal link and anchor in the rendered
//! pages must resolve. External links are listed, never fetched.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use scraper::{Html, Selector};

use crate::diagnostic::Diagnostic;
use crate::render::Rendered;
use crate::routes;

#[derive(Debug, Default)]
pub struct LinkReport {
    pub broken: Vec<Diagnostic>,
    /// (page, URL) of every link that leaves the site.
    pub external: Vec<(String, String)>,
    pub checked: usize,
}

struct PageLinks {
    ids: HashSet<String>,
    /// Ids that stand more than once: a link to them cannot say which it means.
    duplicate_ids: Vec<String>,
    links: Vec<String>,
}

fn page_links(html: &str) -> PageLinks {
    let document = Html::parse_document(html);
    let with_id = Selector::parse("[id]").expect("a valid selector");
    let linking = Selector::parse("a[href], link[href], img[src], script[src], source[src]").expect("a valid selector");
    let mut ids = HashSet::new();
    let mut duplicate_ids = Vec::new();
    for id in document.select(&with_id).filter_map(|element| element.value().id()) {
        if !ids.insert(id.to_owned()) {
            duplicate_ids.push(id.to_owned());
        }
    }
    let links = document
        .select(&linking)
        .filter_map(|element| element.value().attr("href").or_else(|| element.value().attr("src")))
        .map(str::to_owned)
        .collect();
    PageLinks { ids, duplicate_ids, links }
}

/// Checks the links of every HTML page of a rendered site. Links into the site start
/// with `base_path` (root-relative) or with `base_url` (absolute, as canonical links are).
/// Links into `unbuilt` folders (made by `build`, not by `check`) are taken as found.
pub fn check(rendered: &Rendered, base_url: &str, base_path: &str, unbuilt: &[&str]) -> LinkReport {
    let pages: HashMap<&str, PageLinks> = rendered
        .files
        .par_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), page_links(&String::from_utf8_lossy(bytes))))
        .collect();
    let mut report = LinkReport::default();
    let mut sorted: Vec<(&&str, &PageLinks)> = pages.iter().collect();
    sorted.sort_by_key(|(path, _)| **path);
    for (page, links) in sorted {
        for id in &links.duplicate_ids {
            report.broken.push(
                Diagnostic::in_file(PathBuf::from(page), format!("the id `{id}` stands more than once on this page"))
                    .with_help("rename a heading (ids come from heading text) or a template's id"),
            );
        }
        for link in &links.links {
            report.checked += 1;
            let inside = link.strip_prefix(base_url).filter(|rest| rest.is_empty() || rest.starts_with(['/', '#']));
            let target = match inside {
                Some(rest) => routes::link(base_path, rest.trim_start_matches('/')),
                None => link.clone(),
            };
            if !crate::markdown::is_safe_url(&target) {
                report.broken.push(
                    Diagnostic::in_file(PathBuf::from(page), format!("the link `{link}` {}", crate::load::meta::UNSAFE_LINK))
                        .with_help(format!("{}; fix the template or the page's HTML that makes it", crate::load::meta::LINK_HELP)),
                );
                continue;
            }
            if is_external(&target) {
                report.external.push((page.to_string(), link.clone()));
                continue;
            }
            let into_unbuilt = unbuilt.iter().any(|folder| target.starts_with(&routes::link(base_path, &routes::folder(folder))));
            if into_unbuilt {
                continue;
            }
            if let Err(problem) = resolve(rendered, &pages, page, &target, base_path) {
                report.broken.push(
                    Diagnostic::in_file(PathBuf::from(page), format!("broken link `{link}`: {problem}"))
                        .with_help("fix the link in the content or the template that makes it"),
                );
            }
        }
    }
    report
}

fn is_external(link: &str) -> bool {
    link.starts_with("//") || link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Finds the file (and anchor) a link from `page` points to.
fn resolve(
    rendered: &Rendered,
    pages: &HashMap<&str, PageLinks>,
    page: &str,
    link: &str,
    base_path: &str,
) -> Result<(), String> {
    let (path, fragment) = link.split_once('#').map_or((link, None), |(path, fragment)| (path, Some(fragment)));
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_owned()
    } else if let Some(absolute) = path.strip_prefix('/') {
        let inside = format!("/{absolute}");
        let Some(inside) = inside.strip_prefix(base_path) else {
            return Err(format!("it points outside the site's base path `{base_path}`"));
        };
        file_for(rendered, &normalise(inside.trim_start_matches('/')))?
    } else {
        let folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
        file_for(rendered, &normalise(&format!("{folder}/{path}")))?
    };
    match fragment {
        Some(fragment) if !fragment.is_empty() && target.ends_with(".html") => {
            let ids = &pages.get(target.as_str()).map(|page| &page.ids);
            match ids {
                Some(ids) if ids.contains(fragment) => Ok(()),
                _ => Err(format!("{target} has no element with id `{fragment}`")),
            }
        }
        _ => Ok(()),
    }
}

/// The output file a path inside the site is served from.
fn file_for(rendered: &Rendered, path: &str) -> Result<String, String> {
    let candidates = if routes::is_folder(path) { vec![routes::file(path)] } else { vec![path.to_owned(), routes::file(&routes::folder(path))] };
    candidates
        .into_iter()
        .find(|candidate| rendered.files.contains_key(candidate))
        .ok_or_else(|| format!("no page or file at `{path}`"))
}

/// Resolves `.` and `..` segments (keeping a trailing slash).
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let mut normal = parts.join("/");
    if path.ends_with('/') && !normal.is_empty() {
        normal.push('/');
    }
    normal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> Rendered {
        let mut rendered = Rendered::default();
        for (path, html) in pages {
            rendered.files.insert((*path).to_owned(), html.as_bytes().into());
        }
        rendered
    }

    #[test]
    fn finds_broken_pages_and_anchors_only() {
        let rendered = site(&[
            ("index.html", r##"<link rel="canonical" href="https://example.org/x/"><a href="https://example.org/x/forslag/a/#nej">absolute</a><a href="/x/forslag/a/#svar">ok</a><a href="/x/forslag/a/#nej">bad anchor</a><a href="/x/saknas/">bad page</a><a href="https://example.org/">external</a><a href="#top">top</a><p id="top"></p>"##),
            ("forslag/a/index.html", r#"<p id="svar"></p><h2 id="x"></h2><h2 id="x"></h2><a href="../../style.css">css</a>"#),
            ("style.css", ""),
        ]);
        let report = check(&rendered, "https://example.org/x", "/x", &[]);
        let broken: Vec<String> = report.broken.iter().map(ToString::to_string).collect();
        assert_eq!(broken, [
            "forslag/a/index.html: the id `x` stands more than once on this page",
            "index.html: broken link `https://example.org/x/forslag/a/#nej`: forslag/a/index.html has no element with id `nej`",
            "index.html: broken link `/x/forslag/a/#nej`: forslag/a/index.html has no element with id `nej`",
            "index.html: broken link `/x/saknas/`: no page or file at `saknas/`",
        ]);
        assert_eq!(report.external, [("index.html".to_owned(), "https://example.org/".to_owned())]);
    }
}
