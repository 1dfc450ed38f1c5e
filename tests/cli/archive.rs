//! An archive: many consultations in one site (`content/remisser/<slug>/`), with a hub,
//! organisations across consultations, and site-wide feed, data and search.

use std::collections::BTreeSet;

use crate::support::{Built, Site, copy_folder, has_class, href, repository, select, text};

/// An archive of two consultations: `samverkan`, a copy of the basic fixture's content
/// (closed: its deadline was in 2024), and `tillsyn`, written here (open until 2099).
/// Göteborgs stad answered both.
fn archive() -> Site {
    let site = Site::empty();
    let fixture = repository().join("tests/fixtures/basic");
    std::fs::copy(fixture.join("config.toml"), site.path("config.toml")).expect("the config");
    copy_folder(&fixture.join("content"), &site.path("content/remisser/samverkan"));
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Kommunens remisser\"\ndescription = \"Remisserna kommunen har svarat på.\"\n+++\nAlla remisser som kommunen har fått.\n",
    );
    site.write("content/om-arkivet.md", "+++\ntitle = \"Om arkivet\"\n+++\nHär samlas kommunens remisser.\n");
    site.write(
        "content/remisser/tillsyn/_index.md",
        "+++\ntitle = \"Tillsynsutredningens betänkande\"\nissuer = \"Finansdepartementet\"\nsent = 2025-01-15\ndeadline = 2099-12-31\n+++\nEn remiss om tillsyn.\n",
    );
    site.write("content/remisser/tillsyn/proposals/tillsyn/_index.md", "+++\ntitle = \"Tillsyn\"\nweight = 1\n+++\n");
    site.write(
        "content/remisser/tillsyn/proposals/tillsyn/samlad-tillsyn.md",
        "+++\ntitle = \"En samlad tillsyn\"\nkind = \"forslag\"\naddressees = [\"Regeringen\"]\n+++\nTillsynen ska samlas hos en myndighet.\n",
    );
    site.write(
        "content/remisser/tillsyn/statements/goteborg-ks.md",
        "+++\ntitle = \"Kommunstyrelsen\"\norganisation = \"Göteborgs stad\"\ndate = 2025-03-01\nreference = \"KS 2025/12\"\n\n\
         [[positions]]\nproposal = \"samlad-tillsyn\"\nstance = \"supports\"\nquote = \"Kommunstyrelsen tillstyrker förslaget om en samlad tillsyn.\"\n+++\n\
         Kommunstyrelsen tillstyrker förslaget om en samlad tillsyn.\n",
    );
    site
}

/// The hub's entry of a consultation, found by its link.
fn entry<'a>(hub: &'a crate::support::Page, url: &str) -> scraper::ElementRef<'a> {
    hub.select("li.consultation")
        .into_iter()
        .find(|entry| select(*entry, "a").first().is_some_and(|link| href(*link) == url))
        .unwrap_or_else(|| panic!("the hub lists no consultation at {url}"))
}

/// How many proposals, bodies and positions (on proposals and areas) the site-wide data
/// gives a consultation.
fn counts(built: &Built, slug: &str) -> [usize; 3] {
    let data = built.json("data/positions.json");
    let of = |list: &str, scoped: bool| {
        data[list]
            .as_array()
            .expect("a list")
            .iter()
            .filter(|item| item["consultation"] == slug)
            .filter(|item| !scoped || item["scope"] != "consultation")
            .count()
    };
    [of("proposals", false), of("bodies", false), of("positions", true)]
}

#[test]
fn the_hub_lists_every_consultation_with_its_counts_and_whether_it_is_open() {
    let site = archive();
    // A third, not sent out yet: coming, with no statements.
    site.write(
        "content/remisser/kommande/_index.md",
        "+++\ntitle = \"Kommande betänkande\"\nissuer = \"Finansdepartementet\"\nsent = 2099-01-10\ndeadline = 2099-04-30\n+++\nSkickas ut snart.\n",
    );
    site.write("content/remisser/kommande/proposals/ny/_index.md", "+++\ntitle = \"Nytt\"\nweight = 1\n+++\n");
    site.write(
        "content/remisser/kommande/proposals/ny/nytt-forslag.md",
        "+++\ntitle = \"Ett nytt förslag\"\nkind = \"forslag\"\naddressees = [\"Regeringen\"]\n+++\nEtt förslag.\n",
    );
    let built = site.build(&[]);
    let hub = built.page("");
    assert_eq!(text(hub.one("h1")), "Kommunens remisser");
    assert_eq!(hub.select("li.consultation").len(), 3);
    assert!(has_class(entry(&hub, "/remisser/kommande/"), "consultation-coming"));
    assert_eq!(hub.select("#_remisser-coming").len(), 1);
    for (slug, status) in [("samverkan", "consultation-closed"), ("tillsyn", "consultation-open")] {
        let entry = entry(&hub, &format!("/remisser/{slug}/"));
        assert!(has_class(entry, status), "{slug} should be {status}");
        let [proposals, statements, positions] = counts(&built, slug);
        for (class, count) in [("count-proposals", proposals), ("count-statements", statements), ("count-positions", positions)] {
            let shown = text(select(entry, &format!(".{class}"))[0]);
            assert!(shown.starts_with(&format!("{count} ")), "{slug}: {class} is `{shown}`, not {count}");
        }
    }
    assert_eq!(counts(&built, "tillsyn"), [1, 1, 1]);
    // Open consultations, then coming ones, then closed ones.
    let order: Vec<&str> = hub.select("li.consultation > a").into_iter().map(href).collect();
    assert_eq!(order, ["/remisser/tillsyn/", "/remisser/kommande/", "/remisser/samverkan/"]);
    // The filters by year and by issuer are pages of their own, without JavaScript.
    let by_year = built.page("remisser/ar/2099/");
    assert_eq!(by_year.select("li.consultation").len(), 2);
    let by_issuer = built.page("remisser/utfardare/socialdepartementet/");
    assert_eq!(by_issuer.select("li.consultation > a").into_iter().map(href).collect::<Vec<_>>(), ["/remisser/samverkan/"]);
}

#[test]
fn each_consultation_lives_below_its_prefix_and_every_link_resolves() {
    let site = archive();
    let built = site.build(&[]);
    for page in [
        "remisser/samverkan/index.html",
        "remisser/samverkan/forslag/generella-statsbidrag/index.html",
        "remisser/samverkan/remissvar/goteborg-ks/index.html",
        "remisser/samverkan/data/positions.json",
        "remisser/tillsyn/forslag/samlad-tillsyn/index.html",
        "remisser/tillsyn/remissvar/atom.xml",
    ] {
        assert!(built.has(page), "no {page}");
    }
    // No consultation's pages at the top: the top is the archive's.
    assert!(!built.has("forslag/index.html") && !built.has("remissvar/index.html"));
    let proposal = built.page("remisser/samverkan/forslag/generella-statsbidrag/");
    assert!(proposal.links().iter().any(|link| link.starts_with("/remisser/samverkan/remissvar/")), "{:?}", proposal.links());
    // The free pages at the top are the archive's, in every archive page's footer; a
    // consultation's own stay below its prefix.
    assert!(built.has("om-arkivet/index.html"));
    assert!(built.page("").links().contains(&"/om-arkivet/".to_owned()));
    assert!(!built.has("om-webbplatsen/index.html"));
    assert!(built.has("remisser/samverkan/om-webbplatsen/index.html"));
    let output = site.succeed(&["check"]);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(stdout.contains(": no problems"), "{stdout}");
}

#[test]
fn an_organisation_has_one_page_with_its_statements_in_every_consultation() {
    let built = archive().build(&[]);
    let page = built.page("organisationer/goteborgs-stad/");
    assert_eq!(text(page.one("h1")), "Göteborgs stad");
    let links: BTreeSet<String> = page.links().into_iter().collect();
    for statement in ["/remisser/samverkan/remissvar/goteborg-ks/", "/remisser/tillsyn/remissvar/goteborg-ks/"] {
        assert!(links.contains(statement), "no link to {statement} in {links:?}");
    }
    // Its position in the new consultation, with its stance.
    assert!(links.contains("/remisser/tillsyn/remissvar/goteborg-ks/#svar-samlad-tillsyn"), "{links:?}");
    // Each consultation's page of the organisation links to it.
    let own = built.page("remisser/tillsyn/organisationer/goteborgs-stad/");
    assert!(own.links().contains(&"/organisationer/goteborgs-stad/".to_owned()), "{:?}", own.links());
    // The hub links every organisation's page.
    let hub = built.page("");
    assert!(hub.links().contains(&"/organisationer/goteborgs-stad/".to_owned()), "{:?}", hub.links());
    // An organisation that answered one consultation has its page too.
    assert!(built.has("organisationer/umea-kommun/index.html"));
}

#[test]
fn site_wide_data_feed_and_catalogue_name_each_consultation() {
    let built = archive().build(&[]);
    let data = built.json("data/positions.json");
    for list in ["proposals", "bodies", "positions"] {
        let slugs: BTreeSet<&str> =
            data[list].as_array().expect("a list").iter().map(|item| item["consultation"].as_str().expect("a consultation field")).collect();
        assert_eq!(slugs, BTreeSet::from(["samverkan", "tillsyn"]), "{list}");
    }
    let slugs: Vec<&str> = data["consultations"].as_array().expect("a list").iter().filter_map(|item| item["slug"].as_str()).collect();
    assert_eq!(slugs.len(), 2);
    // A consultation's own data stays as a single site's.
    let own = built.json("remisser/tillsyn/data/positions.json");
    assert!(own["positions"][0].get("consultation").is_none());
    assert_eq!(own["positions"][0]["url"], "https://example.org/remisser/tillsyn/remissvar/goteborg-ks/#svar-samlad-tillsyn");

    let feed = built.text("atom.xml");
    for slug in ["samverkan", "tillsyn"] {
        assert!(feed.contains(&format!("<link href=\"https://example.org/remisser/{slug}/remissvar/")), "no entry of {slug}:\n{feed}");
    }
    let catalog = built.text("data/katalog.rdf");
    assert_eq!(catalog.matches("<dcat:Dataset ").count(), 2, "{catalog}");
    assert!(catalog.contains("https://example.org/remisser/tillsyn/data/positions.json"));
}

#[test]
fn one_search_index_covers_every_consultation() {
    let built = archive().build(&[]);
    assert!(built.has("pagefind/pagefind-entry.json"));
    assert!(!built.has("remisser/samverkan/pagefind/pagefind-entry.json"));
    // A consultation's search page searches the archive's index.
    let search = built.text("remisser/tillsyn/sok/index.html");
    assert!(search.contains("src=\"/pagefind/pagefind-ui.js\""), "{search}");
    assert!(built.has("sok/index.html"));
    // The consultation is a filter of the search.
    assert!(built.files().keys().any(|path| path.starts_with("pagefind/filter/")), "no filter in the index");
}

#[test]
fn a_problem_in_a_consultation_names_its_file_and_line() {
    let site = archive();
    site.replace("content/remisser/tillsyn/statements/goteborg-ks.md", "proposal = \"samlad-tillsyn\"", "proposal = \"samlad-tilsyn\"");
    let report = site.fail(&["build"]);
    assert_eq!(report.problems.len(), 1, "{}", report.stderr);
    let headline = &report.problems[0].headline;
    assert!(headline.starts_with("content/remisser/tillsyn/statements/goteborg-ks.md:8:12:"), "{headline}");
}

#[test]
fn a_problem_in_the_hub_names_its_file_and_line() {
    let site = archive();
    site.replace("content/_index.md", "description =", "descripton =");
    let report = site.fail(&["check"]);
    assert_eq!(report.problems.len(), 1, "{}", report.stderr);
    assert!(report.problems[0].headline.starts_with("content/_index.md:3:1: unknown field `descripton`"), "{}", report.stderr);
}

#[test]
fn init_archive_makes_an_archive_that_builds_and_checks() {
    let folder = Site::empty();
    folder.succeed(&["init", "--archive", "arkiv"]);
    let built = folder.build(&["--root", "arkiv", "--output-dir", "arkiv/public"]);
    assert!(built.stdout.starts_with("Built an archive of 2 consultations"), "{}", built.stdout);
    let hub = built.page("");
    assert_eq!(hub.select("li.consultation").len(), 2);
    assert!(built.has("organisationer/exempelkommun/index.html"));
    folder.succeed(&["check", "--root", "arkiv"]);
    // Never over an existing site.
    folder.remiss(&["init", "--archive", "arkiv"]).assert().code(1);
}

#[test]
fn serve_previews_an_archive_and_rebuilds_it_on_a_change() {
    let server = crate::serve::Server::start(archive());
    let get = |path: &str| {
        let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}", server.port);
        crate::serve::request(server.port, &head, "")
    };
    let (status, _, hub) = get("/");
    assert_eq!(status, 200);
    assert!(hub.contains("Kommunens remisser"), "{hub}");
    assert_eq!(get("/remisser/tillsyn/forslag/samlad-tillsyn/").0, 200);
    server.site.replace("content/remisser/tillsyn/_index.md", "Tillsynsutredningens betänkande", "Tillsynsutredningens slutbetänkande");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !get("/").2.contains("Tillsynsutredningens slutbetänkande") {
        assert!(std::time::Instant::now() < deadline, "the hub was not rebuilt: {}", server.stderr.lock().expect("stderr"));
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn a_search_of_the_archive_finds_both_consultations_and_narrows_by_one() {
    let built = archive().build(&[]);
    let port = crate::support::serve_folder(&built.folder);
    let mut browser = crate::browser::Browser::launch();
    browser.open(&format!("http://127.0.0.1:{port}/sok/"));
    browser.wait_for("document.querySelector('.pagefind-ui__search-input') !== null");
    browser.eval(
        "(() => { const input = document.querySelector('.pagefind-ui__search-input');
                  input.value = 'kommunstyrelsen'; input.dispatchEvent(new Event('input')); })()",
    );
    // Results from both consultations, and the consultation offered as a filter.
    browser.wait_for(
        "(() => { const links = [...document.querySelectorAll('.pagefind-ui__result-link')].map(link => link.getAttribute('href'));
                  return links.some(link => link.startsWith('/remisser/samverkan/')) && links.some(link => link.startsWith('/remisser/tillsyn/')); })()",
    );
    browser.wait_for("document.querySelectorAll('.pagefind-ui__filter-checkbox').length >= 2");
    let labels = browser.eval("[...document.querySelectorAll('.pagefind-ui__filter-label')].map(label => label.textContent).join(' | ')");
    let labels = labels.as_str().expect("labels").to_owned();
    for site in ["samverkan", "tillsyn"] {
        let title = built.page(&format!("remisser/{site}/")).one("h1").text().collect::<String>();
        assert!(labels.contains(title.trim()), "{title} is not a filter value: {labels}");
    }
    // Narrowed to one consultation, the other's pages go.
    browser.eval("document.querySelector('.pagefind-ui__filter-checkbox').click()");
    browser.wait_for(
        "(() => { const links = [...document.querySelectorAll('.pagefind-ui__result-link')].map(link => link.getAttribute('href'));
                  const places = new Set(links.map(link => link.split('/')[2]));
                  return links.length > 0 && places.size === 1; })()",
    );
}

#[test]
fn import_into_an_archive_names_the_consultation_and_writes_its_draft_there() {
    let site = archive();
    site.write("in/Lunds kommun.txt", "Kommunstyrelsen\nLunds kommun\n\nKommunstyrelsen tillstyrker förslaget om en samlad tillsyn.\n");

    // Without --consultation, or with an unknown one: a usage error naming the choices.
    for args in [&["import", "in/Lunds kommun.txt"][..], &["import", "in/Lunds kommun.txt", "--consultation", "saknas"]] {
        let output = site.remiss(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("with --consultation (one of: samverkan, tillsyn)"), "{stderr}");
    }
    assert!(!site.path("content/statements").exists(), "nothing is written outside a consultation");

    let output = site.succeed(&["import", "in/Lunds kommun.txt", "--consultation", "tillsyn"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("Wrote content/remisser/tillsyn/statements/lunds-kommun.md (draft)"), "{stdout}");
    // The suggestions come from that consultation's proposals.
    let draft = site.read("content/remisser/tillsyn/statements/lunds-kommun.md");
    assert!(draft.contains("proposal = \"samlad-tillsyn\""), "{draft}");

    let built = site.build(&["--drafts"]);
    assert!(built.has("remisser/tillsyn/remissvar/lunds-kommun/index.html"));
    assert!(!site.build(&[]).has("remisser/tillsyn/remissvar/lunds-kommun/index.html"), "a draft is not published");
}

#[test]
fn import_into_a_single_consultation_refuses_a_consultation_slug() {
    let site = Site::basic();
    site.write("in/svar.txt", "Kommunstyrelsen\nLunds kommun\n\nKommunstyrelsen tillstyrker.\n");
    let output = site.remiss(&["import", "in/svar.txt", "--consultation", "x"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("leave out --consultation"));
}
