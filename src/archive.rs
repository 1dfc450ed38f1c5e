//! An archive: many consultations in one site, laid over the single-consultation
//! pipeline rather than built into it.
//!
//! 1. A site whose `content/` has a `remisser/` folder is an archive; each
//!    `content/remisser/<slug>/` is laid out as a single consultation's `content/`.
//! 2. Each consultation is loaded, checked and rendered by a [`Session`] of its own,
//!    whose config puts its URLs below [`routes::consultation`]; its files are written
//!    below that prefix.
//! 3. The archive's own pages (hub, organisations across consultations, site-wide feed,
//!    data and catalogue) are rendered over the consultations' models
//!    ([`crate::render::render_archive`]).
//! 4. `remiss build` makes one search index over every consultation's written pages.
//!
//! An archive's URLs, its own and its consultations' prefixes, are [`crate::routes`]'s.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Deserialize;

use crate::config::{Config, Overrides};
use crate::diagnostic::{Diagnostic, has_errors};
use crate::load::meta::Date;
use crate::load::{self, Entry};
use crate::model::Site;
use crate::render::{self, ArchiveConsultation, Hub, Input, Record, Rendered, Templates};
use crate::session::Session;
use crate::{BuildError, output, routes, search};

/// The folder of an archive's consultations, below `content/`.
const CONSULTATIONS: &str = "remisser";

/// Whether the site at `root` is an archive.
pub fn is_archive(root: &Path) -> bool {
    root.join("content").join(CONSULTATIONS).is_dir()
}

/// A consultation's folder, relative to the root.
pub fn consultation_folder(slug: &str) -> PathBuf {
    Path::new("content").join(CONSULTATIONS).join(slug)
}

/// Where a consultation stands against the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Sent, its deadline not passed.
    Open,
    /// Not sent yet (its `sent` date lies ahead).
    Coming,
    Closed,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Coming => "coming",
            Status::Closed => "closed",
        }
    }
}

/// The day of the build: `SOURCE_DATE_EPOCH` when set (reproducible builds, tests),
/// else the system's clock, in UTC.
pub fn today() -> Date {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|epoch| epoch.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs() as i64)
        });
    civil_date(seconds.div_euclid(86_400))
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date { year: year.clamp(0, 9999) as u16, month: month as u8, day: day as u8 }
}

/// `content/_index.md` of an archive.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HubMeta {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// An archive loaded and checked: its hub and each consultation's model and templates.
pub struct Archive {
    pub hub: Hub,
    pub consultations: Vec<(String, Site, Templates)>,
    /// Every consultation's warnings, and the hub's.
    pub warnings: Vec<Diagnostic>,
}

impl Archive {
    fn parts(&self) -> Vec<ArchiveConsultation<'_>> {
        self.consultations.iter().map(|(slug, site, _)| ArchiveConsultation { slug, site }).collect()
    }

    pub fn proposals(&self) -> usize {
        self.consultations.iter().map(|(_, site, _)| site.proposals.len()).sum()
    }

    pub fn statements(&self) -> usize {
        self.consultations.iter().map(|(_, site, _)| site.statements.len()).sum()
    }

    pub fn positions(&self) -> usize {
        self.consultations.iter().map(|(_, site, _)| site.positions.len()).sum()
    }
}

/// A consultation loaded and checked, or its problems.
type Loaded = Result<(Site, Templates), Vec<Diagnostic>>;

/// Loads and checks the archive at `root`; on failure, every problem of every
/// consultation and of the hub.
pub fn load(root: &Path, overrides: &Overrides) -> Result<Archive, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let (hub, slugs) = open_hub(root, overrides, &mut problems)?;
    let loaded: Vec<(String, Loaded)> = slugs
        .par_iter()
        .map(|slug| (slug.clone(), Session::open_in_archive(root, overrides.clone(), slug).load()))
        .collect();
    let mut consultations = Vec::new();
    for (slug, result) in loaded {
        match result {
            Ok((mut site, templates)) => {
                problems.append(&mut site.warnings);
                consultations.push((slug, site, templates));
            }
            Err(more) => problems.extend(more),
        }
    }
    match hub {
        Some(hub) if !has_errors(&problems) => Ok(Archive { hub, consultations, warnings: problems }),
        _ => Err(problems),
    }
}

/// The archive's config, theme, hub and free pages (`None` when they have errors, which
/// are added to `problems`), and its consultations' slugs.
fn open_hub(root: &Path, overrides: &Overrides, problems: &mut Vec<Diagnostic>) -> Result<(Option<Hub>, Vec<String>), Vec<Diagnostic>> {
    let config = Config::load(root, overrides)?;
    let (theme, theme_problems) = load::load_theme(&config);
    problems.extend(theme_problems);
    let (slugs, scan_problems) = consultation_slugs(root);
    problems.extend(scan_problems);
    Ok((load_hub(root, config, Arc::new(theme), overrides.drafts, problems), slugs))
}

/// The consultations' folder names, sorted, and what is wrong with the others.
pub fn consultation_slugs(root: &Path) -> (Vec<String>, Vec<Diagnostic>) {
    let folder = Path::new("content").join(CONSULTATIONS);
    let mut slugs = Vec::new();
    let mut problems = Vec::new();
    let entries = match std::fs::read_dir(root.join(&folder)) {
        Ok(entries) => entries,
        Err(error) => return (slugs, vec![Diagnostic::in_file(&folder, format!("cannot read this folder: {error}"))]),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let relative = folder.join(&name);
        let is_folder = entry.file_type().is_ok_and(|kind| kind.is_dir());
        let valid = !name.is_empty()
            && name.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
            && !name.starts_with('-');
        if !is_folder {
            problems.push(Diagnostic::in_file(&relative, "content/remisser/ holds one folder per consultation, nothing else")
                .with_help("move this file into a consultation's folder, content/remisser/<slug>/"));
        } else if name == routes::BY_YEAR || name == routes::BY_ISSUER {
            problems.push(Diagnostic::in_file(&relative, format!("`{name}` cannot name a consultation: the archive's pages by year and by issuer lie at {} and {}", routes::year_folder(), routes::issuer_folder()))
                .with_help("rename the folder"));
        } else if !valid {
            problems.push(Diagnostic::in_file(&relative, format!("`{name}` cannot name a consultation: it becomes part of a URL"))
                .with_help(format!("rename the folder to `{}` (lower-case letters a–z, digits and hyphens)", crate::slug::slugify(&name))));
        } else {
            slugs.push(name);
        }
    }
    slugs.sort();
    if slugs.is_empty() && problems.is_empty() {
        problems.push(Diagnostic::in_file(&folder, "the archive has no consultation")
            .with_help("add a folder content/remisser/<slug>/ laid out as a consultation's content/ (see docs/content-model.md)"));
    }
    (slugs, problems)
}

/// The hub's `content/_index.md` and the free pages at the top of `content/`.
fn load_hub(root: &Path, config: Config, theme: Arc<load::Theme>, drafts: bool, problems: &mut Vec<Diagnostic>) -> Option<Hub> {
    let index = Path::new("content").join("_index.md");
    let mut hub = None;
    match load::read_text(&root.join(&index), &index) {
        Ok(file) => match load::front_matter::split(&file) {
            Ok(parts) => match load::front_matter::parse_toml_reporting_all::<HubMeta>(&file, parts.front_matter.clone()) {
                Ok(meta) => hub = Some((meta, file.text[parts.body].to_owned())),
                Err(more) => problems.extend(more),
            },
            Err(problem) => problems.push(problem),
        },
        Err(problem) => problems.push(problem.with_help("an archive's content/_index.md gives the hub's title and intro")),
    }
    let mut pages = Vec::new();
    let mut entries: Vec<(String, bool)> = std::fs::read_dir(root.join("content"))
        .map(|entries| {
            entries.flatten().map(|entry| (entry.file_name().to_string_lossy().into_owned(), entry.path().is_dir())).collect()
        })
        .unwrap_or_default();
    entries.sort();
    for (name, is_folder) in entries {
        let relative = Path::new("content").join(&name);
        if name.starts_with('.') || name.ends_with('~') || name == "_index.md" || name == CONSULTATIONS {
            continue;
        }
        if is_folder || !name.ends_with(".md") {
            problems.push(Diagnostic::in_file(&relative, "an archive's content/ holds _index.md, free pages (*.md) and remisser/, nothing else")
                .with_help("move a consultation's files into content/remisser/<slug>/"));
            continue;
        }
        match load::load_file(root, &relative) {
            Ok(Entry::Page(page)) if page.meta.draft && !drafts => {}
            Ok(Entry::Page(page)) => {
                problems.extend_from_slice(&page.warnings);
                pages.push(page);
            }
            Ok(_) => {}
            Err(unreadable) => problems.extend(unreadable.problems),
        }
    }
    pages.sort_by(|a, b| (a.meta.weight, &a.id).cmp(&(b.meta.weight, &b.id)));
    let (meta, intro) = hub?;
    Some(Hub { config, theme, title: meta.title, description: meta.description, intro, pages, today: today() })
}

/// Renders the whole archive in memory (`check`, `serve`).
pub fn render(archive: &Archive) -> Result<Rendered, Vec<Diagnostic>> {
    let files = Mutex::new(Vec::new());
    let sink = |path: String, bytes: Arc<[u8]>| files.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((path, bytes));
    render_each(archive, sink)?;
    let mut rendered = Rendered::default();
    rendered.files.extend(files.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()));
    Ok(rendered)
}

/// Renders every consultation below its prefix, then the archive's own pages, handing
/// each file to `sink` as it is made.
fn render_each(archive: &Archive, sink: impl Fn(String, Arc<[u8]>) + Sync) -> Result<(), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    for (slug, site, templates) in &archive.consultations {
        let prefix = routes::consultation(slug);
        let result = render::render_each(
            site,
            templates,
            &render::all_pages(site),
            render::Data::Render,
            |path, bytes| sink(routes::within(&prefix, &path), bytes),
            |_, _| {},
        );
        if let Err(more) = result {
            problems.extend(more);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    render::render_archive(&archive.hub, &archive.parts(), |_| true, sink, |_, _| {}).map(drop)
}

/// An archive kept in memory between rebuilds (`remiss serve`): an edit inside one
/// consultation's folder rebuilds that consultation as a single site's [`Session`]
/// does (the pages that read what changed), then the archive's own pages that read
/// what changed in it ([`render::inputs`], a record per consultation); any other change
/// (config, theme, hub, a consultation added or removed) rebuilds everything.
pub struct ArchiveSession {
    root: PathBuf,
    overrides: Overrides,
    hub: Option<Hub>,
    sessions: Vec<(String, Session)>,
    /// Every file of the archive, each consultation's below its prefix: updated in
    /// place with what a rebuild changed, since copying every consultation's files
    /// would cost more than the rest of a rebuild.
    rendered: Rendered,
    /// What each of the archive's own pages read from each consultation, by its slug.
    records: HashMap<String, Record<String>>,
    /// The archive's own files.
    own: HashSet<String>,
}

impl ArchiveSession {
    pub fn open(root: &Path, overrides: Overrides) -> ArchiveSession {
        ArchiveSession {
            root: root.to_path_buf(),
            overrides,
            hub: None,
            sessions: Vec::new(),
            rendered: Rendered::default(),
            records: HashMap::new(),
            own: HashSet::new(),
        }
    }

    /// Loads and renders the whole archive.
    pub fn build(&mut self) -> Result<Rendered, Vec<Diagnostic>> {
        self.hub = None;
        let mut problems = Vec::new();
        let (hub, slugs) = open_hub(&self.root, &self.overrides, &mut problems)?;
        let mut sessions: Vec<(String, Session)> =
            slugs.iter().map(|slug| (slug.clone(), Session::open_in_archive(&self.root, self.overrides.clone(), slug))).collect();
        for (_, session) in &mut sessions {
            if let Err(more) = session.build() {
                problems.extend(more);
            }
        }
        let hub = match hub {
            Some(hub) if !has_errors(&problems) => hub,
            _ => return Err(problems),
        };
        let mut rendered = Rendered::default();
        for (slug, session) in &sessions {
            let Some(files) = session.rendered() else { return Err(Vec::new()) };
            let prefix = routes::consultation(slug);
            rendered.files.extend(files.files.iter().map(|(path, bytes)| (routes::within(&prefix, path), bytes.clone())));
        }
        self.records = slugs.into_iter().map(|slug| (slug, Record::default())).collect();
        self.own.clear();
        self.hub = Some(hub);
        self.sessions = sessions;
        self.rendered = rendered;
        self.render_own(|_| true)?;
        Ok(self.rendered.clone())
    }

    /// Brings the archive up to date after changes to the given paths (relative to the
    /// root). On failure the last good build is kept.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rendered, Vec<Diagnostic>> {
        let slug_of = |path: &PathBuf| {
            let slug = path.strip_prefix(Path::new("content").join(CONSULTATIONS)).ok()?.iter().next()?.to_str()?;
            // A consultation's folder itself (added, removed, renamed) changes the hub's list.
            let inside = path.iter().count() > 3;
            self.sessions.iter().position(|(known, _)| known == slug).filter(|_| inside)
        };
        let owners: Option<Vec<usize>> = changed.iter().map(slug_of).collect();
        let Some(owners) = owners.filter(|_| self.hub.is_some()) else { return self.build() };
        let mut problems = Vec::new();
        let mut pages = HashSet::new();
        for (index, (slug, session)) in self.sessions.iter_mut().enumerate() {
            let paths: Vec<PathBuf> = changed.iter().zip(&owners).filter(|(_, owner)| **owner == index).map(|(path, _)| path.clone()).collect();
            if paths.is_empty() {
                continue;
            }
            let outcome = match session.rebuild(&paths) {
                Ok(outcome) => outcome,
                Err(more) => {
                    problems.extend(more);
                    continue;
                }
            };
            let Some(files) = session.rendered() else { continue };
            let prefix = routes::consultation(slug);
            for path in &outcome.removed {
                self.rendered.files.remove(&routes::within(&prefix, path));
            }
            for path in &outcome.changed {
                if let Some(bytes) = files.files.get(path) {
                    self.rendered.files.insert(routes::within(&prefix, path), bytes.clone());
                }
            }
            let Some(record) = self.records.get(slug) else { continue };
            match &outcome.inputs {
                Some(inputs) => pages.extend(record.readers(inputs)),
                None => pages.extend(record.pages().cloned()),
            }
        }
        let own = self.own.clone();
        let rendered = self.render_own(|page| pages.contains(page) || !own.contains(page));
        if !problems.is_empty() {
            return Err(problems);
        }
        rendered.map(|()| self.rendered.clone())
    }

    /// Renders the archive's own files for which `wanted` holds, noting what each
    /// page read, and removes those it no longer has.
    fn render_own(&mut self, wanted: impl Fn(&str) -> bool) -> Result<(), Vec<Diagnostic>> {
        let ArchiveSession { hub, sessions, rendered, records, own, .. } = self;
        let Some(hub) = hub.as_ref() else { return Err(Vec::new()) };
        let parts: Option<Vec<ArchiveConsultation>> =
            sessions.iter().map(|(slug, session)| Some(ArchiveConsultation { slug, site: session.site()? })).collect();
        let parts = parts.ok_or_else(Vec::new)?;
        let files = Mutex::new(Vec::new());
        let mut reads = Vec::new();
        let outputs = render::render_archive(
            hub,
            &parts,
            wanted,
            |path, bytes| files.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((path, bytes)),
            |page, from| reads.push((page, from)),
        )?;
        for (page, from) in reads {
            let mut from: HashMap<String, Vec<Input>> = from.into_iter().collect();
            for (slug, record) in records.iter_mut() {
                match from.remove(slug) {
                    Some(inputs) => record.note(page.clone(), inputs),
                    None => record.forget(&page),
                }
            }
        }
        let present: HashSet<String> = outputs.into_iter().collect();
        for gone in own.difference(&present) {
            rendered.files.remove(gone);
            for record in records.values_mut() {
                record.forget(gone);
            }
        }
        *own = present;
        rendered.files.extend(files.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()));
        Ok(())
    }
}

/// An archive written to disk.
pub struct Written {
    pub archive: Archive,
    pub pages: usize,
}

/// `remiss build` for an archive: as [`crate::build_into`], every consultation and the
/// archive's pages written as they are rendered, one search index over them all.
pub fn build_into(
    root: &Path,
    output: &Path,
    overrides: &Overrides,
    replace: output::Replace,
    waiting: impl FnOnce(),
) -> Result<Written, BuildError> {
    let output = output::Output::claim(output, root, replace, waiting).map_err(BuildError::Output)?;
    let archive = load(root, overrides).map_err(BuildError::Site)?;
    let staging = output.stage().map_err(BuildError::Output)?;
    let config = &archive.hub.config;
    let index = || {
        let sites: Vec<(String, &Site)> = archive.consultations.iter().map(|(slug, site, _)| (routes::consultation(slug), site)).collect();
        search::index_archive(&sites, &archive.hub.pages, config.language.code())
    };
    let pages = crate::write_staged(&staging, config.minify_html, |sink| render_each(&archive, sink), config.build_search_index.then_some(index))?;
    staging.commit().map_err(BuildError::Output)?;
    Ok(Written { archive, pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_same_as_a_full_build(root: &Path, rebuilt: &Rendered) {
        let built = ArchiveSession::open(root, Overrides::default()).build().unwrap();
        let differing: Vec<&String> =
            rebuilt.files.keys().chain(built.files.keys()).filter(|path| rebuilt.files.get(*path) != built.files.get(*path)).collect();
        assert!(differing.is_empty(), "a rebuild and a full build differ in {differing:?}");
    }

    fn scaffold() -> (tempfile::TempDir, ArchiveSession, Rendered) {
        let dir = tempfile::tempdir().unwrap();
        crate::init::init_archive(dir.path()).unwrap();
        let mut session = ArchiveSession::open(dir.path(), Overrides::default());
        let built = session.build().unwrap();
        (dir, session, built)
    }

    fn edit(dir: &Path, path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        assert!(text.contains(from), "{} has no `{from}`", path.display());
        std::fs::write(dir.join(path), text.replace(from, to)).unwrap();
    }

    /// The archive's own files that a rebuild made again: the others keep their bytes'
    /// very allocation.
    fn own_files_rendered(before: &Rendered, after: &Rendered) -> Vec<String> {
        let consultations = ["exempelutredningen", "delbetankandet"].map(|slug| format!("{}/", routes::consultation(slug)));
        after
            .files
            .iter()
            .filter(|(path, _)| !consultations.iter().any(|prefix| path.starts_with(prefix.as_str())))
            .filter(|(path, bytes)| before.files.get(*path).is_none_or(|earlier| !Arc::ptr_eq(earlier, bytes)))
            .map(|(path, _)| path.clone())
            .collect()
    }

    const STATEMENT: &str = "statements/exempelkommun-kommunstyrelsen.md";

    #[test]
    fn an_edit_in_one_consultation_rebuilds_to_the_same_archive_as_a_full_build() {
        let (dir, mut session, before) = scaffold();
        let statement = consultation_folder("delbetankandet").join(STATEMENT);
        edit(dir.path(), &statement, "stance = \"doubtful\"", "stance = \"opposes\"");
        let after = session.rebuild(&[statement]).unwrap();
        assert_same_as_a_full_build(dir.path(), &after);
        // The other consultation's pages are the very same bytes, not rendered again.
        let page = "remisser/exempelutredningen/forslag/kollegialt-larande/index.html";
        assert!(Arc::ptr_eq(&before.files[page], &after.files[page]));
        // The organisation's page across consultations shows the new stance.
        assert_ne!(before.files["organisationer/exempelkommun/index.html"], after.files["organisationer/exempelkommun/index.html"]);

        let hub = Path::new("content/_index.md");
        edit(dir.path(), hub, "Remisser och remissvar", "Arkivet");
        let after = session.rebuild(&[hub.to_path_buf()]).unwrap();
        assert!(String::from_utf8_lossy(&after.files["index.html"]).contains("<h1>Arkivet</h1>"));
        assert_same_as_a_full_build(dir.path(), &after);
    }

    #[test]
    fn an_edit_to_a_statements_text_renders_none_of_the_archives_own_pages() {
        let (dir, mut session, before) = scaffold();
        let statement = consultation_folder("delbetankandet").join(STATEMENT);
        edit(dir.path(), &statement, "skapar administration", "skapar mycket administration");
        let after = session.rebuild(&[statement]).unwrap();
        assert_eq!(own_files_rendered(&before, &after), Vec::<String>::new());
        assert_same_as_a_full_build(dir.path(), &after);
    }

    #[test]
    fn a_changed_stance_renders_its_organisations_page_and_not_the_hub_whose_counts_stay() {
        let (dir, mut session, before) = scaffold();
        let statement = consultation_folder("delbetankandet").join(STATEMENT);
        edit(dir.path(), &statement, "stance = \"doubtful\"", "stance = \"opposes\"");
        let after = session.rebuild(&[statement]).unwrap();
        // The sitemap lists the pages of each stance, split by area when they are many.
        assert_eq!(own_files_rendered(&before, &after), ["data/positions.json", "organisationer/exempelkommun/index.html", "sitemap.xml"]);
        assert_same_as_a_full_build(dir.path(), &after);
    }

    #[test]
    fn a_new_statement_renders_the_hub_whose_counts_change_and_its_organisations_new_page() {
        let (dir, mut session, before) = scaffold();
        let folder = consultation_folder("exempelutredningen");
        let added = folder.join("statements/annankommun-kommunstyrelsen.md");
        std::fs::copy(dir.path().join(folder.join(STATEMENT)), dir.path().join(&added)).unwrap();
        edit(dir.path(), &added, "organisation = \"Exempelkommun\"", "organisation = \"Annankommun\"");
        let after = session.rebuild(&[added]).unwrap();
        let rendered = own_files_rendered(&before, &after);
        for page in ["index.html", "organisationer/annankommun/index.html", "atom.xml"] {
            assert!(rendered.contains(&page.to_owned()), "{page} not in {rendered:?}");
        }
        assert!(!rendered.contains(&"organisationer/exempelkommun/index.html".to_owned()), "{rendered:?}");
        assert_same_as_a_full_build(dir.path(), &after);

        // Its only statement removed, the organisation's page goes.
        let added = folder.join("statements/annankommun-kommunstyrelsen.md");
        std::fs::remove_file(dir.path().join(&added)).unwrap();
        let after = session.rebuild(&[added]).unwrap();
        assert!(!after.files.contains_key("organisationer/annankommun/index.html"));
        assert_same_as_a_full_build(dir.path(), &after);
    }

    #[test]
    fn days_since_the_epoch_are_calendar_dates() {
        assert_eq!(civil_date(0), Date { year: 1970, month: 1, day: 1 });
        assert_eq!(civil_date(20_819), Date { year: 2027, month: 1, day: 1 });
        assert_eq!(civil_date(11_016), Date { year: 2000, month: 2, day: 29 });
    }
}
