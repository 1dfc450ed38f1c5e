//! Content and template errors: exit code 1 and, for each problem, a headline
//! `path:line:column: message` an editor can jump to, with help on what to do.
//!
//! The broken files are written out in full in each test, so that the line and column
//! in the expected headline can be checked by reading the test.

use crate::support::Site;
use crate::support::basic::UMEA;

#[test]
fn toml_syntax_error_in_front_matter() {
    let site = Site::basic();
    site.write("content/om-webbplatsen.md", "+++\ntitle = \"Om webbplatsen\nweight = 1\n+++\nText.\n");
    let report = site.fail(&["build"]);
    let problem = report.problem();
    assert_eq!(problem.headline, "content/om-webbplatsen.md:2:24: invalid basic string, expected `\"`");
    assert!(problem.excerpt.iter().any(|line| line.ends_with("2 │ title = \"Om webbplatsen")), "{}", report.stderr);
    assert_eq!(report.summary, "error: found 1 problem; ./public was left unchanged");
}

#[test]
fn missing_front_matter_fence() {
    let site = Site::basic();
    site.write("content/om-webbplatsen.md", "title = \"Om webbplatsen\"\n+++\nText.\n");
    let report = site.fail(&["build"]);
    let problem = report.problem();
    assert_eq!(problem.headline, "content/om-webbplatsen.md:1:1: missing front matter");
    assert_eq!(
        problem.help.as_deref(),
        Some(
            "a content file starts with a line `+++`, then TOML fields such as `title = \"…\"`, then another `+++` line, then the Markdown text"
        )
    );
}

#[test]
fn unclosed_front_matter() {
    let site = Site::basic();
    site.write("content/om-webbplatsen.md", "+++\ntitle = \"Om webbplatsen\"\n\nText.\n");
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, "content/om-webbplatsen.md:1:1: the front matter is never closed");
    assert_eq!(problem.help.as_deref(), Some("end the front matter with a line holding only `+++`"));
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let site = Site::basic();
    site.write(
        "content/statements/umea-ks.md",
        "+++\ntitle = \"Kommunstyrelsen\"\norganisaton = \"Umeå kommun\"\nreference = \"KS-2024/789\"\n+++\nText.\n",
    );
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(
        problem.headline,
        "content/statements/umea-ks.md:3:1: unknown field `organisaton`, expected one of `title`, `organisation`, `date`, \
         `reference`, `decision`, `updated`, `prepared`, `prepared_by`, `minutes`, `joint_with`, `signed_by`, `part_of`, `source`, \
         `overall`, `draft`, `positions`, `area_positions`, `published`, `changes`"
    );
    assert_eq!(problem.help.as_deref(), Some("did you mean `organisation`?"));
}


#[test]
fn unknown_proposal_in_a_position_suggests_the_right_one() {
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("\"larande-tillsyn\"", "\"larande-tilsyn\""));
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(
        problem.headline,
        "content/statements/umea-ks.md:7:12: unknown proposal `larande-tilsyn`: did you mean `larande-tillsyn`?"
    );
    assert_eq!(
        problem.help.as_deref(),
        Some("a position's `proposal` is the file name (without .md) of a proposal in content/proposals/<area>/")
    );
}

#[test]
fn duplicate_proposal_ids_across_areas() {
    let site = Site::basic();
    site.write(
        "content/proposals/tillsyn/generella-statsbidrag.md",
        "+++\ntitle = \"Dubblett\"\nkind = \"forslag\"\n+++\nText.\n",
    );
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(
        problem.headline,
        "content/proposals/tillsyn/generella-statsbidrag.md: the proposal id `generella-statsbidrag` is already used by \
         content/proposals/styrning/generella-statsbidrag.md"
    );
    assert_eq!(
        problem.help.as_deref(),
        Some("proposal ids are file names and must be unique across areas: rename one of the files")
    );
}

#[test]
fn two_positions_on_one_proposal_in_one_statement() {
    let site = Site::basic();
    // A second position table after the first (lines 6–9), so its `proposal` is line 12.
    let second = "[[positions]]\nproposal = \"larande-tillsyn\"\nstance = \"supports\"\nquote = 'Kommunen tillstyrker däremot rekommendationen.'";
    site.write("content/statements/umea-ks.md", UMEA.replacen("'\n+++\n", &format!("'\n\n{second}\n+++\n"), 1));
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(
        problem.headline,
        "content/statements/umea-ks.md:12:12: a second position on the proposal `larande-tillsyn` (the first is on line 7)"
    );
    assert_eq!(
        problem.help.as_deref(),
        Some("a statement has one position per proposal: merge the two, quoting the passage that shows the stance")
    );
}

#[test]
fn unknown_stance_suggests_the_right_one() {
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("\"opposes\"", "\"oposes\""));
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(
        problem.headline,
        "content/statements/umea-ks.md:8:10: unknown stance `oposes`"
    );
    // The Swedish word and the English code are both accepted, so both are named.
    assert_eq!(problem.help.as_deref(), Some("did you mean `avstyrker` (or `opposes`)? a stance is one of `tillstyrker` (supports), `tillstyrker delvis` (partly), `inga invändningar` (no-objection), `tveksam` (doubtful), `avstyrker` (opposes)"));
}

#[test]
fn quote_not_in_the_statement_explains_where_it_differs() {
    // The longest start of the quote found in the text is “Kommunen tillstyrker ”, in the
    // statement's second sentence: the help shows where the two part there.
    let site = Site::basic();
    site.write(
        "content/statements/umea-ks.md",
        UMEA.replace("'Kommunen avstyrker förslaget.'", "'Kommunen tillstyrker förslaget.'"),
    );
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, "content/statements/umea-ks.md:9:9: the quote is not in the statement's text");
    assert_eq!(
        problem.help.as_deref(),
        Some(
            "a quote must be verbatim (whitespace and Markdown markup aside): the quote follows the statement up to \
             «…Kommunen tillstyrker », then the statement reads «däremot rekommendationen.» where the quote has «förslaget.»"
        )
    );
}

#[test]
fn quote_that_begins_nowhere_in_the_statement() {
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("'Kommunen avstyrker förslaget.'", "'Helt andra ord.'"));
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, "content/statements/umea-ks.md:9:9: the quote is not in the statement's text");
    assert_eq!(
        problem.help.as_deref(),
        Some(
            "a quote must be verbatim (whitespace and Markdown markup aside): no passage of the statement begins like this quote"
        )
    );
}

#[test]
fn part_of_naming_no_statement() {
    let site = Site::basic();
    site.replace(
        "content/statements/goteborg-socialnamnden.md",
        "part_of = \"goteborg-ks\"",
        "part_of = \"goteborg-kf\"",
    );
    let problem = site.fail(&["build"]).problem().clone();
    // Line 6 of the fixture's content/statements/goteborg-socialnamnden.md.
    assert_eq!(
        problem.headline,
        "content/statements/goteborg-socialnamnden.md:6:11: `part_of` names `goteborg-kf`, which is not a statement: did you mean `goteborg-ks`?"
    );
    assert_eq!(
        problem.help.as_deref(),
        Some("`part_of` is the file name (without .md) of the statement this one was submitted inside")
    );
}

#[test]
fn position_on_a_draft_proposal() {
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("\"larande-tillsyn\"", "\"vite-i-skollagen\""));
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(
        problem.headline,
        "content/statements/umea-ks.md:7:12: the proposal `vite-i-skollagen` is a draft: it is not published, so no position can point to it"
    );
    // With the draft built, the position is fine.
    site.build(&["--drafts"]);
}

#[test]
fn template_extending_a_missing_parent() {
    let site = Site::basic();
    site.write(
        "templates/page.html",
        "{% extends \"grund.html\" %}\n{% block content %}{{ content | safe }}{% endblock content %}\n",
    );
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, "templates/page.html: this template extends `grund.html`, which does not exist");
    assert_eq!(problem.help.as_deref(), Some("add the parent template, or extend one the theme has (`base.html`)"));
}

#[test]
fn template_including_a_missing_template() {
    // Bug: Tera reports unknown includes while compiling, as a plain message; remiss
    // printed it at `templates` (a folder) with Tera's own multi-line report inside the
    // headline, instead of pointing at the line of the `{% include %}`.
    let site = Site::basic();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% include \"partials/saknas.html\" %}\n{% endblock content %}\n",
    );
    let report = site.fail(&["build"]);
    let problem = report.problem();
    assert!(problem.headline.starts_with("templates/page.html:3:12: "), "{}", report.stderr);
    assert!(problem.headline.contains("`partials/saknas.html`"), "{}", report.stderr);
    assert!(!problem.headline.contains("-->"), "the headline is one message, not Tera's report:\n{}", report.stderr);
}

#[test]
fn template_syntax_error_shows_its_line() {
    let site = Site::basic();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page_title }</h1>\n{% endblock content %}\n",
    );
    let report = site.fail(&["build"]);
    let problem = report.problem();
    assert_eq!(problem.headline, "templates/page.html:3:19: Found `}` but expected }}.");
    assert!(problem.excerpt.iter().any(|line| line.ends_with("3 │ <h1>{{ page_title }</h1>")), "{}", report.stderr);
    assert_eq!(
        problem.help.as_deref(),
        Some("fix the template; Tera's syntax is described at https://keats.github.io/tera/")
    );
}

#[test]
fn template_using_an_undefined_variable() {
    let site = Site::basic();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page_titel }}</h1>\n{% endblock content %}\n",
    );
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(
        problem.headline,
        "templates/page.html:3:8: Variable `page_titel` is not defined. Available variables: changes, content, description, has_code, page_title, path, site, t"
    );
}

#[test]
fn invalid_utf8_in_a_content_file() {
    let site = Site::basic();
    // “å” in Latin-1: one byte, 0xE5, that is not UTF-8.
    site.write("content/om-webbplatsen.md", b"+++\ntitle = \"Om webbplatsen\"\n+++\nVi har \xe5 skrivit i Latin-1.\n");
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, "content/om-webbplatsen.md:4:8: this file is not valid UTF-8 text");
    assert_eq!(
        problem.help.as_deref(),
        Some("save the file as UTF-8 (most editors offer it under \"Save with encoding\")")
    );
}

#[test]
fn invalid_utf8_column_counts_characters() {
    // Bug: the column of an encoding error counted bytes, not characters as every other
    // diagnostic does: “Vår text är ” is 12 characters but 14 bytes, and the column was 15.
    let site = Site::basic();
    // A UTF-8 file with one Windows-1252 dash (0x96) pasted into it.
    site.write(
        "content/om-webbplatsen.md",
        b"+++\ntitle = \"Om webbplatsen\"\n+++\nV\xc3\xa5r text \xc3\xa4r \x96 ett tankstreck.\n",
    );
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, "content/om-webbplatsen.md:4:13: this file is not valid UTF-8 text");
}

#[test]
fn empty_content_folder() {
    let site = Site::empty();
    site.write("config.toml", Site::basic().read("config.toml"));
    std::fs::create_dir(site.path("content")).expect("an empty content folder");
    let report = site.fail(&["build"]);
    assert_eq!(
        report.headlines(),
        ["content: there is no content: content/ holds no Markdown files"]
    );
    assert_eq!(
        report.problems[0].help.as_deref(),
        Some("start from a scaffold with `remiss init`, or see docs/content-model.md")
    );
    assert_eq!(report.summary, "error: found 1 problem; ./public was left unchanged");
    assert!(!site.path("public").exists());
}

#[test]
fn missing_config() {
    let site = Site::basic();
    site.remove("config.toml");
    // The operating system's own words for a missing file.
    let not_found = std::fs::read_to_string(site.path("config.toml")).expect_err("no config.toml").to_string();
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, format!("config.toml: cannot read the site's config: {not_found}"));
    assert_eq!(
        problem.help.as_deref(),
        Some(
            "run remiss in a site's folder (one with config.toml), pass --root, or create a site with `remiss init` (looked in .)"
        )
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let site = Site::basic();
    // A front-matter error in one file, a wrong reference in another.
    site.replace("content/statements/umea-ks.md", "organisation = \"Umeå kommun\"", "organisaton = \"Umeå kommun\"");
    site.replace(
        "content/statements/goteborg-socialnamnden.md",
        "proposal = \"larande-tillsyn\"",
        "proposal = \"larande-tilsyn\"",
    );
    let report = site.fail(&["build"]);
    let locations: Vec<&str> =
        report.headlines().into_iter().map(|headline| headline.split(": ").next().expect("a location")).collect();
    assert_eq!(locations, ["content/statements/umea-ks.md:3:1", "content/statements/goteborg-socialnamnden.md:15:12"]);
    assert_eq!(report.summary, "error: found 2 problems; ./public was left unchanged");

    // `check` reports the same problems.
    let checked = site.fail(&["check"]);
    assert_eq!(checked.problems, report.problems);
    assert_eq!(checked.summary, "error: found 2 problems; nothing was written");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::basic();
    for args in [&["build", "--fast"][..], &["bygg"], &[]] {
        let output = site.remiss(args).output().expect("remiss runs");
        assert_eq!(output.status.code(), Some(2), "remiss {}", args.join(" "));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Usage: remiss"), "remiss {}: {stderr}", args.join(" "));
    }
    let output = site.remiss(&["build", "--fast"]).output().expect("remiss runs");
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: unexpected argument '--fast' found"));
    assert!(!site.path("public").exists());
}

#[test]
fn a_warning_is_printed_by_build_and_check_and_the_site_is_built() {
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("'Kommunen avstyrker förslaget.'", "'avstyrker förslaget.'"));
    for command in ["build", "check"] {
        let output = site.succeed(&[command]);
        let report = crate::support::Report::parse(&String::from_utf8_lossy(&output.stderr));
        assert_eq!(report.problems.len(), 1, "{}", report.stderr);
        let problem = &report.problems[0];
        assert_eq!(problem.headline, "content/statements/umea-ks.md:9:9: warning: this quote is very short");
        assert_eq!(
            problem.help.as_deref(),
            Some("a reader sees the quote as the body's words on the proposal; quote at least 3 words, a whole clause where you can")
        );
        assert_eq!(report.summary, "warning: 1 warning; the site was built all the same");
    }
    assert!(site.path("public/remissvar/umea-ks/index.html").is_file());

    // Beside an error, a warning is listed and counted apart; the build fails.
    site.replace("content/statements/goteborg-socialnamnden.md", "proposal = \"larande-tillsyn\"", "proposal = \"larande-tilsyn\"");
    let report = site.fail(&["build"]);
    assert_eq!(report.headlines().len(), 2, "{}", report.stderr);
    assert!(report.headlines()[1].starts_with("content/statements/goteborg-socialnamnden.md:15:12: unknown proposal"), "{}", report.stderr);
    assert_eq!(report.summary, "error: found 1 problem and 1 warning; ./public was left unchanged");
}

#[test]
fn check_calls_a_script_link_broken_not_external() {
    // Issue 11 §2: `check` listed a `javascript:` link as an external link.
    let site = Site::basic();
    site.write("config.toml", site.read("config.toml") + "trust_html_in_pages = true\n");
    site.write("content/om-webbplatsen.md", "+++\ntitle = \"Om webbplatsen\"\n+++\n<a href=\" JavaScript:alert(1)\">Om</a>\n");
    let report = site.fail(&["check"]);
    let problem = report.problem();
    assert_eq!(problem.headline, "om-webbplatsen/index.html: the link ` JavaScript:alert(1)` is not a link remiss publishes");
    assert!(!report.stderr.contains("external"), "{}", report.stderr);
}

/// A statement without positions, from the organisation given.
fn quiet_statement(organisation: &str) -> String {
    format!("+++\ntitle = \"Arbetsmarknadsnämnden\"\norganisation = \"{organisation}\"\nreference = \"AN-2024/12\"\n+++\nNämnden har inga synpunkter.\n")
}

/// The folders below organisationer/ of a built site.
fn organisation_pages(site: &Site) -> Vec<String> {
    let mut pages: Vec<String> = std::fs::read_dir(site.path("public/organisationer"))
        .expect("the organisations' folder")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".html"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn one_organisation_written_several_ways_is_one_with_a_warning() {
    // Issue 11 §4: "Göteborgs stad" in NFD, with two spaces, or in other letter case
    // gave organisation pages of their own with the same label.
    let site = Site::basic();
    site.write("content/statements/goteborg-an.md", quiet_statement("Go\u{308}teborgs  stad"));
    site.write("content/statements/goteborg-fn.md", quiet_statement("Göteborgs Stad\u{200b}"));
    let output = site.succeed(&["build"]);
    assert_eq!(organisation_pages(&site), ["goteborgs-stad", "umea-kommun"]);
    let report = crate::support::Report::parse(&String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        report.headlines(),
        [
            "content/statements/goteborg-an.md:3:16: warning: the organisation `Go\u{308}teborgs  stad` is published as `Göteborgs stad`: they differ only in how its letters are encoded (Unicode normalisation) and spaces",
            "content/statements/goteborg-fn.md:3:16: warning: the organisation `Göteborgs Stad\u{200b}` is published as `Göteborgs stad`, as content/statements/goteborg-an.md writes it: they differ only in invisible characters and letter case",
        ],
        "{}",
        report.stderr
    );
}

#[test]
fn organisations_that_look_alike_are_two_with_a_warning_and_names_of_punctuation_get_a_url() {
    // Issue 11 §4: organisations named `???` and `!!!` got the URL part `-2`.
    let site = Site::basic();
    site.write("content/statements/a.md", quiet_statement("???"));
    site.write("content/statements/b.md", quiet_statement("!!!"));
    site.write("content/statements/c.md", quiet_statement("Umea kommun"));
    let output = site.succeed(&["build"]);
    assert_eq!(organisation_pages(&site), ["goteborgs-stad", "organisation", "organisation-2", "umea-kommun", "umea-kommun-2"]);
    let report = crate::support::Report::parse(&String::from_utf8_lossy(&output.stderr));
    let headlines = report.headlines();
    assert!(headlines.contains(&"content/statements/b.md:3:16: warning: the organisation `!!!` looks like `???` of content/statements/a.md, but is not the same name"), "{}", report.stderr);
    assert!(headlines.iter().any(|headline| headline.contains("the organisation `Umeå kommun` looks like `Umea kommun`")), "{}", report.stderr);
}

#[test]
fn a_title_of_invisible_characters_is_refused() {
    // Issue 11 §4: a title of a zero-width space and a soft hyphen was accepted.
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("title = \"Kommunstyrelsen\"", "title = \"\u{200b}\u{ad} \""));
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, "content/statements/umea-ks.md:2:9: the text holds only invisible characters");
}

#[test]
fn a_one_letter_quote_inside_a_word_is_not_found() {
    // Issue 11 §4: the quote "a" matched inside a word and was published as the body's words.
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("'Kommunen avstyrker förslaget.'", "'a'"));
    let report = site.fail(&["build"]);
    assert_eq!(report.headlines(), ["content/statements/umea-ks.md:9:9: warning: this quote is very short", "content/statements/umea-ks.md:9:9: the quote is not in the statement's text"]);
    assert!(report.problems[1].help.as_deref().is_some_and(|help| help.ends_with("the quote is found only inside longer words of the text; a quote is whole words")), "{}", report.stderr);
}

#[test]
fn invisible_characters_in_a_quote_are_named_when_it_is_not_found() {
    // Issue 11 §5: a quote and a text that differ beside a soft hyphen showed two strings that looked alike.
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("'Kommunen avstyrker förslaget.'", "'Kommunen av\u{ad}styrker förslagen.'"));
    let problem = site.fail(&["build"]).problem().clone();
    assert!(problem.help.as_deref().is_some_and(|help| help.ends_with("the quote holds invisible characters: a soft hyphen (U+00AD) at character 12")), "{problem:?}");
}

#[test]
fn a_quote_typed_with_other_typography_is_found_and_published_as_the_statement_writes_it() {
    // Issue 12 §4: a quote with `-` where the text has `–` was refused.
    let site = Site::basic();
    let text = "Kommunen avstyrker förslaget – ”lärande” och tillsyn är olika uppdrag.";
    site.write("content/statements/umea-ks.md", UMEA.replace("'Kommunen avstyrker förslaget.'", "'Kommunen avstyrker förslaget - \"lärande\" och tillsyn'").replace("Kommunen avstyrker förslaget. Tillsyn och lärande är olika uppdrag.", text));
    let built = site.build(&[]);
    let positions = built.json("data/positions.json");
    let quotes: Vec<&str> = positions["positions"].as_array().expect("a list").iter().filter_map(|position| position["quote"].as_str()).collect();
    assert!(quotes.contains(&"Kommunen avstyrker förslaget – ”lärande” och tillsyn"), "{quotes:?}");
}

#[test]
fn part_of_a_draft_statement_says_it_is_a_draft() {
    // Issue 11 §5: `part_of` naming a draft statement was told "not a statement".
    let site = Site::basic();
    site.replace("content/statements/goteborg-socialnamnden.md", "part_of = \"goteborg-ks\"", "part_of = \"orebro-ks\"");
    let problem = site.fail(&["build"]).problem().clone();
    assert_eq!(problem.headline, "content/statements/goteborg-socialnamnden.md:6:11: `part_of` names `orebro-ks`, a draft: it is not published, so this statement cannot be shown inside it");
    site.succeed(&["build", "--drafts"]);
}

#[test]
fn a_file_with_carriage_returns_alone_builds() {
    // Issue 11 §5: CR-only line endings gave "missing front matter" on line 0.
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace('\n', "\r"));
    site.build(&[]);
    site.write("content/statements/umea-ks.md", UMEA.replace('\n', "\r").replace("reference =", "referens ="));
    let problem = site.fail(&["build"]).problem().clone();
    assert!(problem.headline.starts_with("content/statements/umea-ks.md:4:1: unknown field `referens`"), "{}", problem.headline);
}

#[test]
fn check_refuses_100000_nested_block_quotes_at_once() {
    // Issue 11 §3: `remiss check` on 100,000 nested block quotes took about a minute.
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", format!("{UMEA}\n{}djupt\n", "> ".repeat(100_000)));
    let started = std::time::Instant::now();
    let output = site.remiss(&["check"]).timeout(std::time::Duration::from_secs(20)).output().expect("remiss runs");
    assert_eq!(output.status.code(), Some(1));
    let report = crate::support::Report::parse(&String::from_utf8_lossy(&output.stderr));
    assert!(report.problem().headline.starts_with("content/statements/umea-ks.md:13:"), "{}", report.stderr);
    eprintln!("check refused 100,000 nested block quotes in {:?}", started.elapsed());
}

#[test]
fn every_front_matter_problem_of_every_file_is_reported_in_one_run() {
    // Issue 11 §5: only the first front-matter problem of each file was reported.
    let site = Site::basic();
    site.write(
        "content/statements/umea-ks.md",
        UMEA.replace("reference = ", "diarienummer = ").replace("title = \"Kommunstyrelsen\"", "title = \"Kommunstyrelsen\"\ndatum = 2024-10-01")
            .replace("stance = \"opposes\"", "stallningstagande = \"opposes\"\ncitat = 'x'"),
    );
    site.replace("content/om-webbplatsen.md", "weight = 1", "weight = \"först\"\ntitel = \"Om\"");
    let report = site.fail(&["build"]);
    let problems: Vec<(String, Option<String>)> = report
        .problems
        .iter()
        .map(|problem| (problem.headline.split(", expected one of").next().unwrap_or_default().to_owned(), problem.help.clone()))
        .collect();
    let expected = [
        ("content/om-webbplatsen.md:3:10: invalid type: string \"först\", expected i64", None),
        ("content/om-webbplatsen.md:4:1: unknown field `titel`", Some("did you mean `title`?")),
        ("content/statements/umea-ks.md:3:1: unknown field `datum`", Some("did you mean `date`?")),
        ("content/statements/umea-ks.md:5:1: unknown field `diarienummer`", Some("did you mean `reference`?")),
        ("content/statements/umea-ks.md:9:1: unknown field `stallningstagande`", Some("did you mean `stance`?")),
        ("content/statements/umea-ks.md:10:1: unknown field `citat`", Some("did you mean `quote`?")),
    ];
    for (headline, help) in expected {
        assert!(
            problems.iter().any(|(found, found_help)| found == headline && (help.is_none() || found_help.as_deref() == help)),
            "missing `{headline}` ({help:?}):\n{}",
            report.stderr
        );
    }
    assert_eq!(problems.len(), expected.len(), "{}", report.stderr);

    // TOML reads no å, ä or ö in a bare key: the problem still names the field meant.
    site.write("content/statements/umea-ks.md", UMEA.replace("stance = ", "ställningstagande = "));
    let report = site.fail(&["build"]);
    let problem = report.problems.iter().find(|problem| problem.headline.starts_with("content/statements/umea-ks.md:8:")).expect("the Swedish key's problem");
    assert_eq!(problem.help.as_deref(), Some("did you mean `stance`? (field names are written in English, with a–z, digits and `_`)"), "{}", report.stderr);
}

#[test]
fn config_problems_are_all_reported_in_one_run() {
    let site = Site::basic();
    site.replace("config.toml", "base_url = \"https://example.org\"", "base_url = \"example.org\"");
    site.replace("config.toml", "theme = \"default\"", "theme = \"../x\"");
    let report = site.fail(&["build"]);
    assert_eq!(report.headlines().len(), 2, "{}", report.stderr);
    assert!(report.headlines()[0].starts_with("config.toml:2:12: base_url `example.org` is not an absolute URL"), "{}", report.stderr);
    assert!(report.headlines()[1].starts_with("config.toml:4:9: theme `../x` is not a folder name"), "{}", report.stderr);

    site.replace("config.toml", "theme = \"../x\"", "minfy_html = true");
    site.replace("config.toml", "default_language = \"sv\"", "default_language = \"de\"");
    let report = site.fail(&["build"]);
    assert_eq!(report.headlines().len(), 2, "{}", report.stderr);
}
