//! Every path of the output: where each page, feed and data file lies, the anchors that
//! other pages link to, and how a path becomes a link. Nothing else builds a URL string,
//! so that a URL rule is changed in one place and an archive can move a consultation's
//! URLs below its own prefix without any page noticing.
//!
//! A *path* is relative to the site's root and written with `/`: a page's path is its
//! folder (`forslag/x/`, the home page's is empty), a file's path is the file
//! (`sitemap.xml`). [`page_file`] names the file a page is written to.
//!
//! This module lies below `model`, `render`, `search` and `archive`: it knows ids and
//! stances, never the model.

use crate::vocabulary::Stance;

/// A page of the site, named by what it shows (ids, not positions in lists, so that a
/// key still means the same page after a rebuild).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKey {
    Home,
    ProposalsIndex,
    Proposal(String),
    StatementsIndex,
    Statement(String),
    UpdatesIndex,
    Update(String),
    Free(String),
    NotFound,
    /// The ways to narrow the overview down.
    Filters,
    Search,
    AreaOverview(String),
    /// An organisation's bodies across all proposals, by the organisation's slug.
    Organisation(String),
    Stance(Stance),
    /// One area's positions of a stance, when they are too many for one page.
    StanceArea(Stance, String),
    Dossier,
    AreaDossier(String),
    UpdatesFeed,
    StatementsFeed,
    Sitemap,
    Robots,
    Catalog,
}

const PROPOSALS: &str = "forslag";
const STATEMENTS: &str = "remissvar";
const UPDATES: &str = "aktuellt";
const OVERVIEW: &str = "oversikt";
const ORGANISATIONS: &str = "organisationer";
const STANCES: &str = "stallningstaganden";
const DOSSIER: &str = "remissammanstallning";
const SEARCH: &str = "sok";
const DATA: &str = "data";
const FEED: &str = "atom.xml";
/// The folder of an archive's consultations, and of its pages by year and by issuer.
const CONSULTATIONS: &str = "remisser";

/// The hub's pages by year and by issuer lie beside an archive's consultations
/// (`remisser/ar/`, `remisser/utfardare/`): no consultation may take these names.
pub const BY_YEAR: &str = "ar";
pub const BY_ISSUER: &str = "utfardare";

pub const NOT_FOUND: &str = "404.html";
const SITEMAP: &str = "sitemap.xml";
const ROBOTS: &str = "robots.txt";
pub const DATA_JSON: &str = "data/positions.json";
pub const DATA_CSV: &str = "data/positions.csv";
const CATALOG: &str = "data/katalog.rdf";
pub const SYNTAX_CSS: &str = "syntax.css";
/// An archive's feed of every consultation's statements.
pub const ARCHIVE_FEED: &str = FEED;
/// The folder of the search index. Render keeps it free (no static file may take it);
/// the search stage fills it.
pub const SEARCH_FOLDER: &str = "pagefind";

/// Top-level paths of the output that remiss writes itself: a free page may not take
/// them. `index`, `404`, `sitemap` and `robots` are the stems of root files, and
/// `static` the theme's folder, kept free so that a page's name never reads as one.
pub const RESERVED_PATHS: &[&str] = &[
    PROPOSALS, STATEMENTS, UPDATES, DATA, "404", "index", "sitemap", "robots", "static",
    OVERVIEW, ORGANISATIONS, STANCES, DOSSIER, "syntax", SEARCH, SEARCH_FOLDER,
];

pub fn proposals() -> String {
    format!("{PROPOSALS}/")
}

pub fn proposal(id: &str) -> String {
    format!("{PROPOSALS}/{id}/")
}

pub fn statements() -> String {
    format!("{STATEMENTS}/")
}

pub fn statement(id: &str) -> String {
    format!("{STATEMENTS}/{id}/")
}

pub fn updates() -> String {
    format!("{UPDATES}/")
}

pub fn update(id: &str) -> String {
    format!("{UPDATES}/{id}/")
}

/// A free page (accessibility statement, about) lies at the top, by its id.
pub fn free_page(id: &str) -> String {
    format!("{id}/")
}

pub fn filters() -> String {
    format!("{OVERVIEW}/")
}

pub fn area_overview(area: &str) -> String {
    format!("{OVERVIEW}/{area}/")
}

/// An organisation's page: in a consultation its bodies' positions, in an archive its
/// statements across consultations.
pub fn organisation(slug: &str) -> String {
    format!("{ORGANISATIONS}/{slug}/")
}

pub fn stance(stance: Stance) -> String {
    format!("{STANCES}/{}/", stance.slug())
}

pub fn stance_area(stance: Stance, area: &str) -> String {
    format!("{STANCES}/{}/{area}/", stance.slug())
}

pub fn dossier() -> String {
    format!("{DOSSIER}/")
}

pub fn area_dossier(area: &str) -> String {
    format!("{DOSSIER}/{area}/")
}

pub fn search() -> String {
    format!("{SEARCH}/")
}

/// The path of a page: a folder, or for the few pages that are files, the file.
pub fn page_path(key: &PageKey) -> String {
    match key {
        PageKey::Home => String::new(),
        PageKey::ProposalsIndex => proposals(),
        PageKey::Proposal(id) => proposal(id),
        PageKey::StatementsIndex => statements(),
        PageKey::Statement(id) => statement(id),
        PageKey::UpdatesIndex => updates(),
        PageKey::Update(id) => update(id),
        PageKey::Free(id) => free_page(id),
        PageKey::NotFound => NOT_FOUND.to_owned(),
        PageKey::Filters => filters(),
        PageKey::Search => search(),
        PageKey::AreaOverview(id) => area_overview(id),
        PageKey::Organisation(slug) => organisation(slug),
        PageKey::Stance(stance) => self::stance(*stance),
        PageKey::StanceArea(stance, area) => stance_area(*stance, area),
        PageKey::Dossier => dossier(),
        PageKey::AreaDossier(id) => area_dossier(id),
        PageKey::UpdatesFeed => format!("{UPDATES}/{FEED}"),
        PageKey::StatementsFeed => format!("{STATEMENTS}/{FEED}"),
        PageKey::Sitemap => SITEMAP.to_owned(),
        PageKey::Robots => ROBOTS.to_owned(),
        PageKey::Catalog => CATALOG.to_owned(),
    }
}

/// The output file of a page.
pub fn page_file(key: &PageKey) -> String {
    file(&page_path(key))
}

/// The file a path is written to and served from: a folder's `index.html`, else the
/// path itself.
pub fn file(path: &str) -> String {
    if is_folder(path) { format!("{path}index.html") } else { path.to_owned() }
}

/// A folder named without its trailing slash (`forslag/x`), as a static host takes it.
pub fn folder(path: &str) -> String {
    format!("{path}/")
}

/// Whether a path is a page's folder (an HTML page), not a file.
pub fn is_folder(path: &str) -> bool {
    path.is_empty() || path.ends_with('/')
}

/// A place on a page.
pub fn at(path: &str, anchor: &str) -> String {
    format!("{path}#{anchor}")
}

/// A statement's passage that holds its position on a proposal.
pub fn position_anchor(proposal: &str) -> String {
    format!("svar-{proposal}")
}

/// A statement's passage that holds its position on an area as a whole.
pub fn area_position_anchor(area: &str) -> String {
    format!("svar-omradet-{area}")
}

/// The passage of a suggested position: apart from a confirmed one's, which may stand
/// beside it on the same proposal.
pub fn suggested_position_anchor(proposal: &str) -> String {
    format!("forslag-svar-{proposal}")
}

pub fn suggested_area_position_anchor(area: &str) -> String {
    format!("forslag-svar-omradet-{area}")
}

/// An area's section on the proposals page (the themes' `proposals.html` writes the id).
pub fn area_section(area: &str) -> String {
    at(&proposals(), &format!("omrade_{area}"))
}

/// The prefix below which an archive's consultation has its pages (`remisser/<slug>`,
/// without a trailing slash: the consultation's own paths follow it after a `/`).
pub fn consultation(slug: &str) -> String {
    format!("{CONSULTATIONS}/{slug}")
}

/// A path below a folder named without its trailing slash: a consultation's site within
/// the archive, a file within the search index's folder.
pub fn within(prefix: &str, path: &str) -> String {
    format!("{prefix}/{path}")
}

pub fn year_folder() -> String {
    format!("{CONSULTATIONS}/{BY_YEAR}/")
}

pub fn year(year: u16) -> String {
    format!("{}{year}/", year_folder())
}

pub fn issuer_folder() -> String {
    format!("{CONSULTATIONS}/{BY_ISSUER}/")
}

pub fn issuer(slug: &str) -> String {
    format!("{}{slug}/", issuer_folder())
}

/// The root-relative link to a path (`forslag/x/` → `/tillit/forslag/x/`), where
/// `base_path` is the site's base URL's path without its trailing slash.
pub fn link(base_path: &str, path: &str) -> String {
    format!("{base_path}/{path}")
}

/// The absolute URL of a path (`forslag/x/` → `https://…/forslag/x/`).
pub fn permalink(base_url: &str, path: &str) -> String {
    format!("{base_url}/{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_page_is_written_to_its_index() {
        assert_eq!(page_file(&PageKey::Home), "index.html");
        assert_eq!(page_file(&PageKey::Proposal("x".to_owned())), "forslag/x/index.html");
        assert_eq!(page_file(&PageKey::StanceArea(Stance::Supports, "a".to_owned())), "stallningstaganden/tillstyrker/a/index.html");
        assert_eq!(page_file(&PageKey::Organisation("malmo-stad".to_owned())), "organisationer/malmo-stad/index.html");
    }

    #[test]
    fn a_file_page_is_its_own_file() {
        assert_eq!(page_file(&PageKey::NotFound), "404.html");
        assert_eq!(page_file(&PageKey::StatementsFeed), "remissvar/atom.xml");
        assert_eq!(page_file(&PageKey::Catalog), "data/katalog.rdf");
        assert_eq!(page_path(&PageKey::NotFound), "404.html");
    }

    #[test]
    fn every_top_level_route_is_reserved() {
        let keys = [
            PageKey::Home, PageKey::ProposalsIndex, PageKey::Proposal("x".to_owned()), PageKey::StatementsIndex,
            PageKey::Statement("x".to_owned()), PageKey::UpdatesIndex, PageKey::Update("x".to_owned()), PageKey::NotFound,
            PageKey::Filters, PageKey::Search, PageKey::AreaOverview("x".to_owned()), PageKey::Organisation("x".to_owned()),
            PageKey::Stance(Stance::Supports), PageKey::StanceArea(Stance::Supports, "x".to_owned()), PageKey::Dossier,
            PageKey::AreaDossier("x".to_owned()), PageKey::UpdatesFeed, PageKey::StatementsFeed, PageKey::Sitemap,
            PageKey::Robots, PageKey::Catalog,
        ];
        let files = keys.iter().map(page_file).chain([DATA_JSON, DATA_CSV, SYNTAX_CSS, SEARCH_FOLDER].map(str::to_owned));
        for file in files {
            let top = file.split('/').next().unwrap();
            let stem = top.split('.').next().unwrap();
            assert!(RESERVED_PATHS.contains(&stem), "`{file}` is not reserved");
        }
    }

    #[test]
    fn an_archive_puts_a_consultation_below_its_prefix() {
        assert_eq!(within(&consultation("tillit"), &proposal("x")), "remisser/tillit/forslag/x/");
        assert_eq!(year(2018), "remisser/ar/2018/");
        assert_eq!(issuer("finansdepartementet"), "remisser/utfardare/finansdepartementet/");
    }
}
