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
        "content/statements/umea-ks.md:8:10: unknown variant `oposes`, expected one of `supports`, `partly`, `no-objection`, `doubtful`, `opposes`"
    );
    assert_eq!(problem.help.as_deref(), Some("did you mean `opposes`?"));
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
        "templates/page.html:3:8: Variable `page_titel` is not defined. Available variables: changes, content, description, has_code, page_title, path, searchable, site, t"
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
