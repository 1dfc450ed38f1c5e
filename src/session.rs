//! A build that remembers: after a change to a few files, a [`Session`] reloads only
//! those files and re-renders only the pages that show them.
//!
//! 1. Reload the changed content files (each file's parsing and quote finding is its
//!    own, so the other files' results are kept).
//! 2. Resolve the whole model again: that is cheap, cross-file work.
//! 3. Work out which pages show what changed, comparing the old and new models.
//! 4. Render those pages, and the data files, into the previous output.
//!
//! `remiss serve` keeps a session for as long as it runs; `remiss build` uses one once.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, Overrides};
use crate::diagnostic::{Diagnostic, has_errors};
use crate::load::{self, Entry, Sources, Theme, Unreadable};
use crate::model::{self, AreaPositionIx, Ix, PositionIx, Site, StatementIx};
use crate::render::{self, PageKey, Rendered, Templates};

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
}

/// What a (re)build did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Pages rendered through templates.
    pub rendered: usize,
    /// Output files added or changed.
    pub changed: Vec<String>,
    /// Output files removed.
    pub removed: Vec<String>,
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
        let mut rendered = render::render(&site, &templates)?;
        if let Some(index) = &self.search_index {
            rendered.files.extend(index.files.iter().cloned());
        }
        let pages = render::all_pages(&site).len();
        let outcome = Outcome { rendered: pages, changed: rendered.files.keys().cloned().collect(), removed: Vec::new() };
        self.last = Some(Built { site, templates, rendered });
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
    /// was added: indexing every page again would cost more than all the rest of a
    /// rebuild (`serve` makes it again in the background when edits pause).
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
        // The pages an edit touches are worked out on paths as a single site has them.
        let content: Vec<PathBuf> =
            content.iter().map(|path| Path::new("content").join(path.strip_prefix(&self.content).unwrap_or(path))).collect();
        let content: Vec<&PathBuf> = content.iter().collect();
        let keys = if templates_changed { None } else { affected_pages(&last.site, &site, &content) };
        let templates = if keys.is_none() { Some(Templates::compile(&site)?) } else { None };
        let keys = keys.unwrap_or_else(|| render::all_pages(&site));

        let mut fresh = Rendered::default();
        let data = if render::same_data(&last.site, &site) { render::Data::Keep } else { render::Data::Render };
        render::render_pages(&site, templates.as_ref().unwrap_or(&last.templates), &keys, data, &mut fresh)?;
        let mut outcome = Outcome { rendered: keys.len(), ..Outcome::default() };
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

/// The pages that show what changed in the given content files, or `None` when the
/// change reaches every page (the consultation, an area, a free page in the footer).
fn affected_pages(old: &Site, new: &Site, changed: &[&PathBuf]) -> Option<Vec<PageKey>> {
    let mut keys: BTreeSet<PageKey> = BTreeSet::new();
    let sites = [old, new];
    for path in changed {
        let parts: Vec<String> = path.iter().map(|part| part.to_string_lossy().into_owned()).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let id = |file: &str| file.strip_suffix(".md").unwrap_or(file).to_owned();
        match parts.as_slice() {
            ["content", "statements", file] => {
                let id = id(file);
                keys.insert(PageKey::Statement(id.clone()));
                // The most common edit, to a statement's text, shows on its own page only.
                let shown = sites.map(|site| shown_elsewhere(site, &id));
                if shown[0] == shown[1] {
                    continue;
                }
                // A position shown as before needs none of its pages again, while the
                // statement is listed as before (its name goes with each position).
                let kept: HashSet<&ShownPosition> = match &shown {
                    [Some(before), Some(after)] if before.listing == after.listing => {
                        before.positions.iter().filter(|position| after.positions.contains(position)).collect()
                    }
                    _ => HashSet::new(),
                };
                let kept_areas: HashSet<&ShownAreaPosition> = match &shown {
                    [Some(before), Some(after)] if before.listing == after.listing => {
                        before.area_positions.iter().filter(|position| after.area_positions.contains(position)).collect()
                    }
                    _ => HashSet::new(),
                };
                keys.extend(PageKey::summaries());
                // The body's name shows on every proposal page (among the positions or
                // among the bodies that have not stated one) and heads a column of every
                // area's table.
                let listed_differently = match &shown {
                    [Some(before), Some(after)] => before.listing.name() != after.listing.name(),
                    _ => true,
                };
                for site in sites {
                    if listed_differently {
                        keys.extend(site.proposals.iter().map(|proposal| PageKey::Proposal(proposal.id.clone())));
                        keys.extend(site.areas.iter().map(|area| PageKey::AreaOverview(area.id.clone())));
                        keys.extend(site.areas.iter().map(|area| PageKey::AreaDossier(area.id.clone())));
                    }
                    let Some(statement) = site.statements.iter().find(|statement| statement.id == id) else { continue };
                    keys.extend(site.organisations.iter().filter(|organisation| organisation.name == statement.organisation).map(|organisation| PageKey::Organisation(organisation.slug.clone())));
                    for &position in &statement.positions {
                        if kept.contains(&shown_position(site, position)) {
                            continue;
                        }
                        let proposal = &site.proposals[site.positions[position].proposal];
                        keys.insert(PageKey::StanceArea(site.positions[position].stance, site.areas[proposal.area].id.clone()));
                        keys.insert(PageKey::Proposal(proposal.id.clone()));
                        keys.insert(PageKey::AreaOverview(site.areas[proposal.area].id.clone()));
                        keys.insert(PageKey::AreaDossier(site.areas[proposal.area].id.clone()));
                    }
                    // A position on an area shows on each of the area's proposal pages.
                    for &position in &statement.area_positions {
                        if kept_areas.contains(&shown_area_position(site, position)) {
                            continue;
                        }
                        let area = &site.areas[site.area_positions[position].area];
                        keys.extend(area.proposals.iter().map(|&proposal| PageKey::Proposal(site.proposals[proposal].id.clone())));
                        keys.insert(PageKey::AreaOverview(area.id.clone()));
                        keys.insert(PageKey::AreaDossier(area.id.clone()));
                    }
                    keys.extend(statement.part_of.iter().chain(&statement.parts).map(|&other| PageKey::Statement(site.statements[other].id.clone())));
                }
            }
            ["content", "proposals", _, file] if *file != "_index.md" => {
                let id = id(file);
                keys.extend(PageKey::summaries());
                // Its change notes are entries of the updates feed.
                keys.insert(PageKey::UpdatesFeed);
                keys.insert(PageKey::Proposal(id.clone()));
                let added_or_removed = sites.map(|site| site.proposals.iter().any(|proposal| proposal.id == id)) != [true, true];
                for site in sites {
                    // Organisation pages count the proposals their bodies did not answer.
                    if added_or_removed {
                        keys.extend(site.organisations.iter().map(|organisation| PageKey::Organisation(organisation.slug.clone())));
                    }
                    let Some((index, proposal)) = site.proposals.enumerated().find(|(_, proposal)| proposal.id == id) else { continue };
                    // The tables of the organisations whose bodies answered it have a row for it.
                    keys.extend(
                        site.organisations
                            .iter()
                            .filter(|organisation| {
                                proposal.positions.iter().any(|&position| organisation.statements.contains(&site.positions[position].statement))
                            })
                            .map(|organisation| PageKey::Organisation(organisation.slug.clone())),
                    );
                    keys.insert(PageKey::AreaOverview(site.areas[proposal.area].id.clone()));
                    keys.insert(PageKey::AreaDossier(site.areas[proposal.area].id.clone()));
                    // Its neighbours name it in their "previous" and "next" links.
                    for neighbour in [index.index().checked_sub(1), Some(index.index() + 1)].into_iter().flatten() {
                        keys.extend(site.proposals.get(neighbour).map(|proposal| PageKey::Proposal(proposal.id.clone())));
                    }
                    // Statements name it next to each quoted passage.
                    keys.extend(proposal.positions.iter().map(|&position| {
                        PageKey::Statement(site.statements[site.positions[position].statement].id.clone())
                    }));
                }
            }
            ["content", "updates", file] => {
                keys.extend([PageKey::Home, PageKey::UpdatesIndex, PageKey::UpdatesFeed, PageKey::Sitemap, PageKey::Update(id(file))]);
            }
            _ => return None,
        }
    }
    Some(keys.into_iter().collect())
}

/// What pages other than its own show of a statement: how it is listed, and its
/// positions (quotes, not the text around them).
#[derive(PartialEq)]
struct Shown<'a> {
    listing: Listing<'a>,
    positions: Vec<ShownPosition<'a>>,
    area_positions: Vec<ShownAreaPosition<'a>>,
}

#[derive(PartialEq)]
struct Listing<'a> {
    title: &'a str,
    organisation: &'a str,
    dates: [Option<crate::load::meta::Date>; 2],
    reference: &'a str,
    part_of: Option<&'a str>,
    parts: Vec<&'a str>,
    overall: Option<crate::load::meta::Stance>,
    published: Option<crate::load::meta::Date>,
    changes: &'a [crate::load::meta::ChangeMeta],
}

type Name<'a> = (&'a str, &'a str, Option<crate::load::meta::Date>, Option<&'a str>, Option<crate::load::meta::Stance>);

impl<'a> Listing<'a> {
    /// How every proposal page and area table names the body (with its stance on the
    /// whole consultation, told where it said nothing on a proposal).
    fn name(&self) -> Name<'a> {
        (self.title, self.organisation, self.dates[0], self.part_of, self.overall)
    }
}

/// A position's proposal, stance, quote and anchor.
type ShownPosition<'a> = (&'a str, crate::load::meta::Stance, &'a str, &'a str);
/// A position's area, stance, quote and anchor.
type ShownAreaPosition<'a> = (&'a str, crate::load::meta::Stance, &'a str, &'a str);

fn shown_elsewhere<'a>(site: &'a Site, id: &str) -> Option<Shown<'a>> {
    let statement = site.statements.iter().find(|statement| statement.id == id)?;
    let id_of = |index: StatementIx| site.statements[index].id.as_str();
    Some(Shown {
        listing: Listing {
            title: &statement.title,
            organisation: &statement.organisation,
            dates: [statement.date, statement.updated],
            reference: &statement.reference,
            part_of: statement.part_of.map(id_of),
            parts: statement.parts.iter().copied().map(id_of).collect(),
            overall: statement.overall,
            published: statement.published,
            changes: &statement.changes,
        },
        positions: statement.positions.iter().map(|&position| shown_position(site, position)).collect(),
        area_positions: statement.area_positions.iter().map(|&position| shown_area_position(site, position)).collect(),
    })
}

fn shown_area_position(site: &Site, position: AreaPositionIx) -> ShownAreaPosition<'_> {
    let position = &site.area_positions[position];
    (site.areas[position.area].id.as_str(), position.stance, position.quote.as_str(), position.anchor.as_str())
}

fn shown_position(site: &Site, position: PositionIx) -> ShownPosition<'_> {
    let position = &site.positions[position];
    (site.proposals[position.proposal].id.as_str(), position.stance, position.quote.as_str(), position.anchor.as_str())
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
        assert!(outcome.rendered < all, "rendered {} of {all} pages", outcome.rendered);
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
        assert_eq!(outcome.rendered, 1);
        assert_same_as_a_full_build(dir.path(), &session);
    }

    #[test]
    fn a_changed_stance_renders_the_pages_of_that_position_and_not_of_the_others() {
        let (dir, mut session) = scaffold();
        let statement = "content/statements/exempelkommun-kommunstyrelsen.md";
        edit(dir.path(), statement, "stance = \"doubtful\"", "stance = \"opposes\"");
        let mut after = Session::open(dir.path(), Overrides::default());
        after.build().unwrap();
        let path = PathBuf::from(statement);
        let pages = affected_pages(session.site().unwrap(), after.site().unwrap(), &[&path]).unwrap();
        assert!(pages.contains(&PageKey::Proposal("kollegialt-larande".to_owned())));
        // The other position (on generella-statsbidrag) is shown as before.
        assert!(!pages.contains(&PageKey::Proposal("generella-statsbidrag".to_owned())), "{pages:?}");
        session.rebuild(&[path]).unwrap();
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
