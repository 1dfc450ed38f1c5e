//! A build that remembers: after a change to a few files, a [`Session`] reloads only
//! those files and re-renders only the pages that read what changed.
//!
//! 1. Reload the changed content files (each file's parsing and quote finding is its
//!    own, so the other files' results are kept).
//! 2. Resolve the whole model again: that is cheap, cross-file work.
//! 3. Compare the old and new models input by input ([`render::inputs`]), and look up
//!    in the record of the last render which pages read the inputs that changed. A
//!    change to the templates, the theme or what every page sees (the site's globals)
//!    renders every page.
//! 4. Render those pages and the pages new to the site, noting what they read, and the
//!    data files, into the previous output.
//!
//! `remiss serve` keeps a session for as long as it runs; `remiss build` uses one once.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, Overrides};
use crate::diagnostic::{Diagnostic, has_errors};
use crate::load::{self, Entry, Sources, Theme, Unreadable};
use crate::model::{self, Site};
use crate::render::{self, PageKey, Record, Rendered, Templates};

pub struct Session {
    root: PathBuf,
    overrides: Overrides,
    /// The consultation's folder relative to the root: `content`, or in an archive
    /// `content/remisser/<slug>`.
    content: PathBuf,
    /// In an archive, the consultation's slug.
    slug: Option<String>,
    /// Every content file, by its path relative to the root.
    files: BTreeMap<PathBuf, Result<Entry, Unreadable>>,
    scan_problems: Vec<Diagnostic>,
    theme: Option<(Arc<Theme>, Vec<Diagnostic>)>,
    /// The search index, once made: kept through rebuilds (see [`Session::rebuild`]).
    search_index: Option<crate::search::SearchIndex>,
    last: Option<Built>,
}

/// The last site that built, with what rendered it.
struct Built {
    site: Site,
    templates: Templates,
    rendered: Rendered,
    /// What each page read.
    record: Record,
}

/// What a (re)build did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The pages rendered through templates.
    pub rendered: Vec<PageKey>,
    /// Output files added or changed.
    pub changed: Vec<String>,
    /// Output files removed.
    pub removed: Vec<String>,
    /// The inputs that changed ([`render::inputs`]); `None` when every page was
    /// rendered. An archive's own pages read some of them.
    pub inputs: Option<HashSet<render::Input>>,
}

impl Session {
    pub fn open(root: &Path, overrides: Overrides) -> Session {
        Session {
            root: root.to_path_buf(),
            overrides,
            content: PathBuf::from("content"),
            slug: None,
            files: BTreeMap::new(),
            scan_problems: Vec::new(),
            theme: None,
            search_index: None,
            last: None,
        }
    }

    /// A session on one consultation of an archive, `content/remisser/<slug>/`: its
    /// pages' URLs lie below [`crate::routes::consultation`].
    pub fn open_in_archive(root: &Path, overrides: Overrides, slug: &str) -> Session {
        let mut session = Session::open(root, overrides);
        session.content = crate::archive::consultation_folder(slug);
        session.slug = Some(slug.to_owned());
        session
    }

    fn config(&self) -> Result<Config, Vec<Diagnostic>> {
        let config = Config::load(&self.root, &self.overrides)?;
        Ok(match &self.slug {
            Some(slug) => config.within_archive(slug, &crate::routes::consultation(slug)),
            None => config,
        })
    }

    pub fn site(&self) -> Option<&Site> {
        self.last.as_ref().map(|built| &built.site)
    }

    pub fn rendered(&self) -> Option<&Rendered> {
        self.last.as_ref().map(|built| &built.rendered)
    }

    /// The last good build's model and output.
    pub fn into_build(self) -> Option<crate::Build> {
        self.last.map(|built| crate::Build { site: built.site, rendered: built.rendered })
    }

    /// Loads every file, resolves and checks the model, and compiles the templates: all
    /// but rendering.
    pub fn load(&mut self) -> Result<(Site, Templates), Vec<Diagnostic>> {
        let config = self.config()?;
        self.files.clear();
        self.rescan();
        self.theme = Some(load_theme(&config));
        let site = self.resolve(config)?;
        let templates = Templates::compile(&site)?;
        Ok((site, templates))
    }

    /// Loads and renders everything.
    pub fn build(&mut self) -> Result<Outcome, Vec<Diagnostic>> {
        let (site, templates) = self.load()?;
        let (mut rendered, mut record) = (Rendered::default(), Record::default());
        let pages = render::all_pages(&site);
        render::render_pages(&site, &templates, &pages, render::Data::Render, &mut rendered, &mut record)?;
        if let Some(index) = &self.search_index {
            rendered.files.extend(index.files.iter().cloned());
        }
        let outcome = Outcome { changed: rendered.files.keys().cloned().collect(), rendered: pages, removed: Vec::new(), inputs: None };
        self.last = Some(Built { site, templates, rendered, record });
        Ok(outcome)
    }

    /// Adds a search index made from this session's pages ([`crate::search`]), in
    /// place of the one before.
    pub fn add_search_index(&mut self, index: crate::search::SearchIndex) {
        if let Some(last) = self.last.as_mut() {
            for (path, _) in self.search_index.iter().flat_map(|previous| &previous.files) {
                last.rendered.files.remove(path);
            }
            last.rendered.files.extend(index.files.iter().cloned());
        }
        self.search_index = Some(index);
    }

    /// Brings the build up to date after changes to the given paths (relative to the
    /// root). On failure the last good build is kept. The search index is left as it
    /// was added: `serve` updates it in the background after each rebuild, from what
    /// changed ([`crate::search::Indexer`]).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome, Vec<Diagnostic>> {
        let touches = |top: &str| changed.iter().any(|path| path.starts_with(top));
        if self.last.is_none() || touches("config.toml") {
            return self.build();
        }
        let config = self.config()?;
        let content: Vec<&PathBuf> = changed.iter().filter(|path| path.starts_with(&self.content)).collect();
        // A folder renamed or removed is seen as the folder, not its files: look again.
        if content.iter().any(|path| path.extension().is_none_or(|extension| extension != "md")) {
            self.rescan();
        }
        for path in &content {
            if path.extension().is_some_and(|extension| extension == "md") {
                if std::fs::symlink_metadata(self.root.join(path)).is_ok() {
                    self.files.insert((*path).clone(), load::load_file_in(&self.root, &self.content, path));
                } else {
                    self.files.remove(*path);
                }
            }
        }
        let theme_changed = touches("templates") || touches("themes") || touches("static");
        let templates_changed = changed.iter().any(|path| {
            (path.starts_with("templates") || path.starts_with("themes")) && !path.iter().any(|part| part == "static")
        });
        if theme_changed {
            self.theme = Some(load_theme(&config));
        }
        let site = self.resolve(config)?;
        let Some(last) = self.last.as_mut() else { return Err(Vec::new()) };
        let everything = templates_changed || render::globals(&last.site) != render::globals(&site);
        let templates = if everything { Some(Templates::compile(&site)?) } else { None };
        let pages = render::all_pages(&site);
        let (keys, inputs): (Vec<PageKey>, _) = if everything {
            (pages.clone(), None)
        } else {
            let inputs = render::inputs::changed(&last.site, &site);
            let mut keys = last.record.readers(&inputs);
            keys.extend(pages.iter().filter(|key| !last.record.has(key)).cloned());
            (keys.into_iter().collect(), Some(inputs))
        };

        let mut fresh = Rendered::default();
        let data = if render::same_data(&last.site, &site) { render::Data::Keep } else { render::Data::Render };
        render::render_pages(&site, templates.as_ref().unwrap_or(&last.templates), &keys, data, &mut fresh, &mut last.record)?;
        let present: HashSet<&PageKey> = pages.iter().collect();
        let gone: Vec<PageKey> = last.record.pages().filter(|key| !present.contains(key)).cloned().collect();
        for key in &gone {
            last.record.forget(key);
        }
        let mut outcome = Outcome { rendered: keys, inputs, ..Outcome::default() };
        let stale = stale_outputs(&last.site, &site, &last.rendered, &fresh);
        for path in stale {
            last.rendered.files.remove(&path);
            outcome.removed.push(path);
        }
        for (path, bytes) in fresh.files {
            if last.rendered.files.get(&path) != Some(&bytes) {
                outcome.changed.push(path.clone());
                last.rendered.files.insert(path, bytes);
            }
        }
        last.site = site;
        if let Some(templates) = templates {
            last.templates = templates;
        }
        Ok(outcome)
    }

    /// Finds the content files again, loading those not loaded yet.
    fn rescan(&mut self) {
        let (paths, problems) = load::content_files_in(&self.root, &self.content);
        self.scan_problems = problems;
        let present: HashSet<&PathBuf> = paths.iter().collect();
        self.files.retain(|path, _| present.contains(path));
        let missing: Vec<&PathBuf> = paths.iter().filter(|path| !self.files.contains_key(*path)).collect();
        let loaded: Vec<(PathBuf, Result<Entry, Unreadable>)> =
            missing.par_iter().map(|path| ((*path).clone(), load::load_file_in(&self.root, &self.content, path))).collect();
        self.files.extend(loaded);
    }

    fn resolve(&self, config: Config) -> Result<Site, Vec<Diagnostic>> {
        let (theme, theme_problems) = self.theme.clone().unwrap_or_default();
        let (sources, mut problems) = Sources::assemble(self.files.values(), theme);
        problems.extend(self.scan_problems.iter().cloned());
        problems.extend(theme_problems);
        if self.files.is_empty() && self.scan_problems.is_empty() {
            // Everything else would be reported missing: say the one thing that matters.
            problems.push(Diagnostic::in_file(&self.content, format!("there is no content: {}/ holds no Markdown files", self.content.display()))
                .with_help("start from a scaffold with `remiss init`, or see docs/content-model.md"));
            return Err(problems);
        }
        match model::resolve(config, sources) {
            Ok(mut site) if !has_errors(&problems) => {
                problems.append(&mut site.warnings);
                site.warnings = problems;
                Ok(site)
            }
            Ok(_) => Err(problems),
            Err(more) => {
                problems.extend(more);
                Err(problems)
            }
        }
    }
}

fn load_theme(config: &Config) -> (Arc<Theme>, Vec<Diagnostic>) {
    let (theme, problems) = load::load_theme(config);
    (Arc::new(theme), problems)
}

/// Outputs of the old build that the new one no longer has: pages of removed content,
/// static files removed from the theme or the site.
fn stale_outputs(old: &Site, new: &Site, previous: &Rendered, fresh: &Rendered) -> Vec<String> {
    let pages = |site: &Site| -> HashSet<String> { render::all_pages(site).iter().map(crate::routes::page_file).collect() };
    let (old_pages, new_pages) = (pages(old), pages(new));
    let statics = |site: &Site| -> HashSet<String> { site.theme.static_files.iter().map(|file| file.path.clone()).collect() };
    let (old_statics, new_statics) = (statics(old), statics(new));
    previous
        .files
        .keys()
        .filter(|path| {
            let gone_page = old_pages.contains(*path) && !new_pages.contains(*path);
            let gone_static = old_statics.contains(*path) && !new_statics.contains(*path);
            (gone_page || gone_static) && !fresh.files.contains_key(*path)
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATEMENT: &str = "content/statements/exempelkommun-socialnamnden.md";

    fn scaffold() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        crate::init::init(dir.path()).unwrap();
        let mut session = Session::open(dir.path(), Overrides::default());
        session.build().unwrap();
        (dir, session)
    }

    fn edit(dir: &Path, path: &str, from: &str, to: &str) {
        let file = dir.join(path);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{path} has no `{from}`");
        std::fs::write(file, text.replace(from, to)).unwrap();
    }

    fn assert_same_as_a_full_build(dir: &Path, session: &Session) {
        let mut full = Session::open(dir, Overrides::default());
        full.build().unwrap();
        let (rebuilt, built) = (&session.rendered().unwrap().files, &full.rendered().unwrap().files);
        let differing: Vec<&String> =
            rebuilt.keys().chain(built.keys()).filter(|path| rebuilt.get(*path) != built.get(*path)).collect();
        assert!(differing.is_empty(), "a rebuild and a full build differ in {differing:?}");
    }

    fn page(session: &Session, path: &str) -> String {
        String::from_utf8(session.rendered().unwrap().files[path].to_vec()).unwrap()
    }

    #[test]
    fn a_rebuilds_search_index_is_a_full_builds() {
        let (dir, mut session) = scaffold();
        edit(dir.path(), STATEMENT, "lär sig mest", "lär sig allra mest");
        session.rebuild(&[PathBuf::from(STATEMENT)]).unwrap();
        let rebuilt = crate::search::searchable(session.site().unwrap()).index().unwrap();
        let mut full = Session::open(dir.path(), Overrides::default());
        full.build().unwrap();
        let built = crate::search::index(full.site().unwrap()).unwrap();
        let paths = |index: &crate::search::SearchIndex| index.files.iter().map(|(path, _)| path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&rebuilt), paths(&built));
        assert!(rebuilt.files == built.files, "the same paths, different bytes");
        let fragments = rebuilt.files.iter().filter(|(path, _)| path.contains("/fragment/"));
        let texts = fragments.map(|(_, bytes)| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text).unwrap();
            text
        });
        assert_eq!(texts.filter(|text| text.contains("lär sig allra mest")).count(), 1, "the edit is in the index");
    }

    #[test]
    fn editing_a_statement_renders_only_the_pages_that_show_it() {
        let (dir, mut session) = scaffold();
        let all = render::all_pages(session.site().unwrap()).len();
        edit(dir.path(), STATEMENT, "lär sig mest", "lär sig allra mest");
        let outcome = session.rebuild(&[PathBuf::from(STATEMENT)]).unwrap();
        assert!(outcome.rendered.len() < all, "rendered {} of {all} pages", outcome.rendered.len());
        assert!(outcome.changed.contains(&"remissvar/exempelkommun-socialnamnden/index.html".to_owned()));
        assert!(page(&session, "remissvar/exempelkommun-socialnamnden/index.html").contains("lär sig allra mest"));
        // A page that does not show the statement is not rendered again.
        assert!(!outcome.changed.contains(&"aktuellt/index.html".to_owned()));
    }

    #[test]
    fn an_edit_to_a_statements_text_alone_renders_its_own_page_alone() {
        let (dir, mut session) = scaffold();
        edit(dir.path(), STATEMENT, "lär sig mest", "lär sig allra mest");
        let outcome = session.rebuild(&[PathBuf::from(STATEMENT)]).unwrap();
        assert_eq!(outcome.rendered, [PageKey::Statement("exempelkommun-socialnamnden".to_owned())]);
        assert_same_as_a_full_build(dir.path(), &session);
    }

    #[test]
    fn a_changed_stance_renders_the_pages_of_that_position_and_not_of_the_others() {
        let (dir, mut session) = scaffold();
        let statement = "content/statements/exempelkommun-kommunstyrelsen.md";
        edit(dir.path(), statement, "stance = \"doubtful\"", "stance = \"opposes\"");
        let pages = session.rebuild(&[PathBuf::from(statement)]).unwrap().rendered;
        assert!(pages.contains(&PageKey::Proposal("kollegialt-larande".to_owned())));
        // The other position (on generella-statsbidrag) is shown as before.
        assert!(!pages.contains(&PageKey::Proposal("generella-statsbidrag".to_owned())), "{pages:?}");
        assert_same_as_a_full_build(dir.path(), &session);
    }

    #[test]
    fn a_field_only_the_sites_own_template_shows_is_rebuilt_where_it_shows() {
        // Issue 16: rebuilds compared hand-picked fields, and a site's own template that
        // showed another (the reference of a body that said nothing on a proposal) kept
        // showing the old one in the preview.
        let (dir, mut session) = scaffold();
        let theme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/proposal.html")).unwrap();
        let shown = "{{ body.organisation }}{% if body.overall %}";
        assert!(theme.contains(shown));
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        let own = theme.replace(shown, "{{ body.organisation }} ({{ body.reference }}){% if body.overall %}");
        std::fs::write(dir.path().join("templates/proposal.html"), own).unwrap();
        session.build().unwrap();
        edit(dir.path(), STATEMENT, "reference = \"SN 2026/7\"", "reference = \"SN 2026/8\"");
        session.rebuild(&[PathBuf::from(STATEMENT)]).unwrap();
        assert!(page(&session, "forslag/generella-statsbidrag/index.html").contains("(SN 2026/8)"));
        assert_same_as_a_full_build(dir.path(), &session);
    }

    #[test]
    fn a_changed_stance_renders_every_page_that_counts_stances() {
        // Issue 16: the hand-kept list rendered the page of the statement's own
        // organisation alone, while every organisation's page counts the positions of
        // each stance in its filters.
        let (dir, mut session) = scaffold();
        let other = "content/statements/annankommun-socialnamnden.md";
        std::fs::copy(dir.path().join(STATEMENT), dir.path().join(other)).unwrap();
        edit(dir.path(), other, "organisation = \"Exempelkommun\"", "organisation = \"Annankommun\"");
        session.rebuild(&[PathBuf::from(other)]).unwrap();
        let statement = "content/statements/exempelkommun-kommunstyrelsen.md";
        edit(dir.path(), statement, "stance = \"doubtful\"", "stance = \"opposes\"");
        let outcome = session.rebuild(&[PathBuf::from(statement)]).unwrap();
        assert!(outcome.changed.contains(&"organisationer/annankommun/index.html".to_owned()), "{:?}", outcome.changed);
        assert_same_as_a_full_build(dir.path(), &session);
    }

    #[test]
    fn a_rebuild_gives_the_same_site_as_a_full_build() {
        let (dir, mut session) = scaffold();
        edit(dir.path(), STATEMENT, "title = \"Socialnämnden\"", "title = \"Socialnämnden i Exempelkommun\"");
        edit(dir.path(), "content/proposals/styrning/kollegialt-larande.md", "Kollegialt lärande", "Lärande mellan kollegor");
        session
            .rebuild(&[PathBuf::from(STATEMENT), PathBuf::from("content/proposals/styrning/kollegialt-larande.md")])
            .unwrap();
        assert_same_as_a_full_build(dir.path(), &session);
    }

    #[test]
    fn a_rebuild_after_a_new_position_on_an_area_or_a_change_note_gives_the_same_site_as_a_full_build() {
        let (dir, mut session) = scaffold();
        edit(
            dir.path(),
            STATEMENT,
            "+++\nNämnden ser",
            "\n[[area_positions]]\narea = \"styrning\"\nstance = \"partly\"\nquote = \"medarbetare lär sig mest av varandra\"\n\n\
             [[changes]]\ndate = 2026-04-02\nnote = \"Ett ställningstagande till området lades till.\"\n+++\nNämnden ser",
        );
        let outcome = session.rebuild(&[PathBuf::from(STATEMENT)]).unwrap();
        // Every proposal of the area shows it; the statements feed carries the note.
        assert!(outcome.changed.contains(&"forslag/generella-statsbidrag/index.html".to_owned()), "{:?}", outcome.changed);
        assert!(outcome.changed.contains(&"remissvar/atom.xml".to_owned()));
        assert_same_as_a_full_build(dir.path(), &session);
    }

    #[test]
    fn a_rebuild_after_a_new_proposal_gives_the_same_site_as_a_full_build() {
        let (dir, mut session) = scaffold();
        let (existing, added) = ("content/proposals/styrning/kollegialt-larande.md", "content/proposals/styrning/ny-tillsyn.md");
        std::fs::copy(dir.path().join(existing), dir.path().join(added)).unwrap();
        edit(dir.path(), added, "Kollegialt lärande", "En ny tillsyn");
        session.rebuild(&[PathBuf::from(added)]).unwrap();
        assert_same_as_a_full_build(dir.path(), &session);
    }

    #[test]
    fn a_removed_statement_loses_its_page_and_a_broken_one_keeps_the_last_site() {
        let (dir, mut session) = scaffold();
        std::fs::remove_file(dir.path().join(STATEMENT)).unwrap();
        let outcome = session.rebuild(&[PathBuf::from(STATEMENT)]).unwrap();
        assert_eq!(outcome.removed, ["remissvar/exempelkommun-socialnamnden/index.html"]);

        let other = "content/statements/exempelkommun-kommunstyrelsen.md";
        edit(dir.path(), other, "title = \"Kommunstyrelsen\"", "title = Kommunstyrelsen\"");
        let problems = session.rebuild(&[PathBuf::from(other)]).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().starts_with("content/statements/exempelkommun-kommunstyrelsen.md:2:9:"));
        assert!(session.rendered().unwrap().files.contains_key("remissvar/exempelkommun-kommunstyrelsen/index.html"));
    }

    #[test]
    fn deleting_a_proposal_that_statements_point_to_is_an_error() {
        let (dir, mut session) = scaffold();
        let proposal = "content/proposals/styrning/kollegialt-larande.md";
        std::fs::remove_file(dir.path().join(proposal)).unwrap();
        let problems = session.rebuild(&[PathBuf::from(proposal)]).unwrap_err();
        assert!(problems.iter().all(|problem| problem.message().starts_with("unknown proposal `kollegialt-larande`")), "{problems:?}");
        assert_eq!(problems.len(), 2);
    }
}
