//! `remiss import`: real files made by LibreOffice (tests/fixtures/import/, remade by
//! its make.sh) imported into a copy of the basic site, then the draft read back and
//! built.

use std::path::PathBuf;

use crate::support::{Site, repository, text};

fn fixture(name: &str) -> PathBuf {
    repository().join("tests/fixtures/import").join(name)
}

/// Imports `file` into the site (with `args`), which must succeed; returns stdout.
fn import(site: &Site, file: &str, args: &[&str]) -> String {
    let path = fixture(file);
    let mut all = vec!["import", path.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    let output = site.succeed(&all);
    String::from_utf8(output.stdout).expect("UTF-8 on stdout")
}

/// A draft's front matter (parsed) and body.
fn draft(site: &Site, id: &str) -> (toml::Table, String) {
    let text = site.read(&format!("content/statements/{id}.md"));
    let mut parts = text.splitn(3, "+++\n").skip(1);
    let front_matter = parts.next().expect("front matter");
    let body = parts.next().expect("a body").to_owned();
    (toml::from_str(front_matter).unwrap_or_else(|error| panic!("{error}\n{front_matter}")), body)
}

fn string<'a>(table: &'a toml::Table, key: &str) -> &'a str {
    table.get(key).and_then(toml::Value::as_str).unwrap_or_else(|| panic!("no `{key}` in {table:#?}"))
}

/// The draft builds with --drafts and its page shows the text; without --drafts it is
/// left out.
fn builds_as_a_draft(site: &Site, id: &str, words: &str) {
    let built = site.build(&["--drafts"]);
    let page = built.page(&format!("remissvar/{id}/"));
    assert!(text(page.one("main")).contains(words), "{words:?} should be on the page");
    site.succeed(&["check", "--drafts"]);
    let built = site.build(&[]);
    assert!(!built.has(&format!("remissvar/{id}/index.html")), "a draft is not published");
}

#[test]
fn a_pdf_with_running_headers_and_hyphenation_becomes_a_clean_draft() {
    let site = Site::basic();
    let stdout = import(&site, "malmo-asn.pdf", &[]);
    assert!(stdout.starts_with("Wrote content/statements/malmo-asn.md (draft) from "), "{stdout}");
    assert!(stdout.contains("  - confirm each value marked \"found on line\" against the document\n"), "{stdout}");
    assert!(stdout.contains("lines of running headers, footers and page numbers were left out"), "{stdout}");

    let (front_matter, body) = draft(&site, "malmo-asn");
    assert_eq!(string(&front_matter, "title"), "Arbetsmarknads- och socialnämnden");
    assert_eq!(string(&front_matter, "organisation"), "Malmö stad");
    assert_eq!(string(&front_matter, "reference"), "ASN-2018-12455");
    assert_eq!(front_matter["date"].to_string(), "2018-09-26");
    assert_eq!(front_matter["draft"].as_bool(), Some(true));
    let signed: Vec<&str> = front_matter["signed_by"].as_array().unwrap().iter().filter_map(toml::Value::as_str).collect();
    assert_eq!(signed, ["Sedat Arif, ordförande", "Britt-Marie Pettersson, förvaltningsdirektör"]);
    let raw = site.read("content/statements/malmo-asn.md");
    let reference_line = raw.lines().find(|line| line.starts_with("reference = ")).unwrap();
    let comment_line: usize = reference_line.split("found on line ").nth(1).and_then(|rest| rest.split(':').next()).and_then(|number| number.parse().ok()).unwrap();
    assert_eq!(raw.lines().nth(comment_line - 1), Some("Diarienummer ASN-2018-12455"), "the comment names the value's line");

    // The page furniture is gone: the running header, and `Sida N (6)` of every page.
    assert!(!body.contains("Sida "), "{body}");
    assert!(!body.contains("· Yttrande"), "{body}");
    // Hyphenated line breaks are joined, within a page and across a page break
    // ("utvär-" ends page 5); hyphens of compounds are kept.
    assert!(!body.contains('\u{ad}'));
    for joined in ["rekommendationer", "socialnämnden anser att fokus", "inte alltid utvärderas eller att projekt", "STK-2018-780", "FoU-trainee"] {
        assert!(body.contains(joined), "{joined:?} in\n{body}");
    }
    for (at, _) in body.match_indices("- ") {
        let next = body[at + 2..].split_whitespace().next().unwrap_or("");
        assert!(["och", "eller", "samt"].contains(&next) || body[..at].ends_with('\n'), "a broken word at {:?}", &body[at.saturating_sub(30)..at + 20]);
    }
    // Headings by size, paragraphs by gaps.
    assert!(body.contains("\n## Sammanfattning\n\nArbetsmarknads- och socialnämnden är positiv till de slutsatser"), "{body}");
    assert!(body.contains("\n### 1. En tillitsbaserad styrning av och inom kommunsektorn\n\n"), "{body}");
    builds_as_a_draft(&site, "malmo-asn", "välkomnar förslaget att statsbidrag framöver som huvudprincip ska vara generella");
}

#[test]
fn a_docx_keeps_its_footnote_table_list_and_emphasis() {
    let site = Site::basic();
    import(&site, "lulea-socialnamnden.docx", &["--id", "lulea-sn"]);
    let (front_matter, body) = draft(&site, "lulea-sn");
    assert_eq!(string(&front_matter, "title"), "Socialnämnden");
    assert_eq!(string(&front_matter, "organisation"), "Luleå kommun");
    assert_eq!(string(&front_matter, "reference"), "2018/426-1.3.1.5");
    assert_eq!(string(&front_matter, "minutes"), "§ 163");
    assert_eq!(front_matter["date"].to_string(), "2018-10-25");
    assert!(body.contains("## Remiss Tillitsdelegationens betänkanden Med tillit växer handlingsutrymmet"), "{body}");
    assert!(body.contains("\n### Ställningstagande\n"), "{body}");
    assert!(body.contains("delbetänkandet \"En lärande tillsyn\".[^1] Luleå"), "{body}");
    assert!(body.contains("\n[^1]: Slutbetänkandet SOU 2018:47 och delbetänkandet SOU 2018:48.\n"), "{body}");
    assert!(body.contains("| **Handling** | **Diarienummer** |\n| --- | --- |\n| Luleå kommuns ställningstagande | SOC Hid: 2018.2140 |"), "{body}");
    assert!(body.contains("\n- Det behövs en koordinerad och sammanhållning styrning av kommunsektorn.\n- Statsbidragen ska vara generella."), "{body}");
    assert!(body.contains("Vid protokollet: **Anna Nilsson**, sekreterare."), "{body}");
    builds_as_a_draft(&site, "lulea-sn", "Slutbetänkandet SOU 2018:47");
}

#[test]
fn an_odt_keeps_its_headings_list_and_italics() {
    let site = Site::basic();
    import(&site, "malmo-asn.odt", &[]);
    let (_, body) = draft(&site, "malmo-asn");
    assert!(body.contains("\n## Sammanfattning\n"), "{body}");
    assert!(body.contains("\n### 5. Testa och pröva nya lösningar genom försök\n"), "{body}");
    assert!(body.contains("huvudbetänkande *Med tillit växer handlingsutrymmet* (SOU 2018:47)"), "{body}");
    import(&site, "lulea-socialnamnden.odt", &[]);
    let (_, body) = draft(&site, "lulea-socialnamnden");
    assert!(body.contains("\n- Satsa på verksamhetsnära forskning.\n"), "{body}");
    assert!(body.contains("[^1]: Slutbetänkandet"), "{body}");
    builds_as_a_draft(&site, "lulea-socialnamnden", "Satsa på verksamhetsnära forskning");
}

#[test]
fn a_two_column_page_is_read_column_by_column_and_said_so() {
    let site = Site::basic();
    let stdout = import(&site, "lulea-columns.pdf", &[]);
    assert!(stdout.contains("page 1 set in two columns: read as the left column, then the right; check the order"), "{stdout}");
    let (_, body) = draft(&site, "lulea-columns");
    let at = |words: &str| body.find(words).unwrap_or_else(|| panic!("{words:?} in\n{body}"));
    assert!(at("Socialnämnden beslutar att avge remissvar") < at("Luleå kommun pekar på ett antal risker"));
    assert!(at("Luleå kommun pekar på ett antal risker") < at("### Ställningstagande"));
    assert!(!body.contains("Sida "), "{body}");
    builds_as_a_draft(&site, "lulea-columns", "Luleå kommun pekar på ett antal risker");
}

#[test]
fn a_scan_without_text_says_what_to_do_and_writes_nothing() {
    let site = Site::basic();
    let path = fixture("scan.pdf");
    let output = site.remiss(&["import", path.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("scan.pdf: this PDF has no text layer (it is a scanned image), so there is no text to import; run OCR on it first, for example `ocrmypdf "), "{stderr}");
    assert!(!site.path("content/statements/scan.md").exists());
}

#[test]
fn a_broken_or_unknown_file_is_an_error_naming_it_never_a_panic() {
    let site = Site::basic();
    site.write("in/broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Cata");
    site.write("in/broken.docx", b"PK\x03\x04 not really a zip");
    site.write("in/notes.rtf", b"{\\rtf1 text}");
    site.write("in/latin1.txt", b"Yttrande\n\nN\xe4mnden tillstyrker.\n");
    for (file, message) in [
        ("in/broken.pdf", "in/broken.pdf: this PDF cannot be read ("),
        ("in/broken.docx", "in/broken.docx: this is not a readable DOCX document ("),
        ("in/notes.rtf", "in/notes.rtf: remiss cannot import .rtf files; convert it to PDF, DOCX, ODT or plain text first"),
        ("in/latin1.txt", "in/latin1.txt:3: this file is not UTF-8 text"),
    ] {
        let output = site.remiss(&["import", file]).output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(1), "{file}: {stderr}");
        assert!(stderr.starts_with(&format!("error: {message}")), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_existing_statement_is_replaced_only_with_force() {
    let site = Site::basic();
    site.write("in/svar.txt", "Socialnämnden\n\nSocialnämnden beslutar att lämna följande yttrande över betänkandet och tillstyrker förslagen.\n");
    site.succeed(&["import", "in/svar.txt"]);
    let output = site.remiss(&["import", "in/svar.txt"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: content/statements/svar.md already exists; import with --force to replace it, or give another id with --id"), "{}", String::from_utf8_lossy(&output.stderr));
    site.succeed(&["import", "in/svar.txt", "--force"]);
    let output = site.remiss(&["import", "in/svar.txt", "--id", "../../evil"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`../../evil` cannot be a statement's id"));
    let leftovers: Vec<String> = std::fs::read_dir(site.path("content/statements")).unwrap().flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).filter(|name| name.starts_with('.')).collect();
    assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
}

#[test]
fn a_placeholder_is_a_warning_in_a_draft_and_an_error_once_published() {
    let site = Site::basic();
    site.write("in/kort.txt", "Socialnämnden beslutar att lämna följande yttrande över betänkandet och tillstyrker förslagen i sin helhet.\n");
    site.succeed(&["import", "in/kort.txt"]);
    let output = site.succeed(&["check", "--drafts"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("content/statements/kort.md:"), "{stderr}");
    assert!(stderr.contains("warning: not filled in: `FYLL I: diarienummer`"), "{stderr}");
    site.replace("content/statements/kort.md", "draft = true\n", "");
    let report = site.fail(&["build"]);
    let headline = report.problems.iter().map(|problem| problem.headline.as_str()).find(|headline| headline.contains("FYLL I: diarienummer")).unwrap_or_else(|| panic!("{}", report.stderr));
    assert!(headline.starts_with("content/statements/kort.md:"), "{headline}");
    assert!(headline.ends_with(": not filled in: `FYLL I: diarienummer`"), "{headline}");
}

#[test]
fn text_in_the_shape_of_the_seeds_and_markdown_are_imported() {
    let site = Site::basic();
    site.write(
        "in/Hässelby-Vällingby SDN.txt",
        "Datum\n2018-10-18\n\nDiarienummer\nHVS-2018/0612\n\nHässelby-Vällingby stadsdelsnämnd beslutar att lämna följande yttrande över betänkandet Med tillit växer hand-\nlingsutrymmet, som remitterats av kommunstyrelsen i Stockholms stad.\n\nSida 2 (3)\n\nNämnden delar bedömningen att stadsdelsnämnderna i Hässelby-\nVällingby och Farsta behöver ett större handlingsutrymme i sitt arbete med äldre.\n\nOrdförande\n\n.....\nKarin Ek\n.....\n",
    );
    site.succeed(&["import", "in/Hässelby-Vällingby SDN.txt"]);
    let (front_matter, body) = draft(&site, "hasselby-vallingby-sdn");
    assert_eq!(string(&front_matter, "title"), "Hässelby-Vällingby stadsdelsnämnd");
    assert_eq!(string(&front_matter, "organisation"), "Stockholms stad");
    assert_eq!(string(&front_matter, "reference"), "HVS-2018/0612");
    assert_eq!(front_matter["date"].to_string(), "2018-10-18");
    let signed: Vec<&str> = front_matter["signed_by"].as_array().unwrap().iter().filter_map(toml::Value::as_str).collect();
    assert_eq!(signed, ["Karin Ek, ordförande"]);
    assert!(body.contains("Med tillit växer handlingsutrymmet, som remitterats"), "{body}");
    assert!(body.contains("stadsdelsnämnderna i Hässelby-Vällingby och Farsta"), "{body}");
    assert!(!body.contains("Sida 2"), "{body}");
    builds_as_a_draft(&site, "hasselby-vallingby-sdn", "Hässelby-Vällingby och Farsta");

    site.write("in/svar.md", "## Yttrande\n\nNämnden *tillstyrker* förslaget.\n\n- en punkt\n- en till\n");
    site.succeed(&["import", "in/svar.md"]);
    let (_, body) = draft(&site, "svar");
    assert_eq!(body, "## Yttrande\n\nNämnden *tillstyrker* förslaget.\n\n- en punkt\n- en till\n");
}

#[test]
fn a_pdf_that_needs_a_password_says_what_to_do() {
    let site = Site::basic();
    let path = fixture("protected.pdf");
    let output = site.remiss(&["import", path.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("protected.pdf: this PDF is protected by a password; ask the body for an unprotected copy"), "{stderr}");
    assert!(!site.path("content/statements/protected.md").exists());
}

#[test]
fn a_folder_that_is_not_a_site_gets_nothing() {
    let site = Site::empty();
    site.write("svar.txt", "Nämnden tillstyrker förslaget.\n");
    let output = site.remiss(&["import", "svar.txt"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: . is not a remiss site (it has no config.toml); run remiss import in the site's folder, or give it with --root"));
    assert!(!site.path("content").exists());
}

#[test]
fn an_import_into_a_site_suggests_positions_quoted_verbatim_and_publishes_none() {
    // The bundled consultation without Malmö's statement, then Malmö's PDF imported.
    let site = Site::empty();
    std::fs::copy(repository().join("config.toml"), site.path("config.toml")).expect("config.toml");
    crate::support::copy_folder(&repository().join("content"), &site.path("content"));
    site.remove("content/statements/malmo-asn.md");
    let before = site.build(&["--drafts"]).stdout;

    let stdout = import(&site, "malmo-asn.pdf", &["--id", "malmo-asn"]);
    assert!(stdout.contains("suggested positions in the preview's review list"), "{stdout}");
    let (front_matter, body) = draft(&site, "malmo-asn");
    let suggestions: Vec<&toml::Value> = ["positions", "area_positions"]
        .iter()
        .filter_map(|key| front_matter.get(*key).and_then(toml::Value::as_array))
        .flatten()
        .collect();
    assert!(suggestions.len() >= 3, "a statement that takes positions gets suggestions: {front_matter:#?}");
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let body = flat(&body);
    for suggestion in &suggestions {
        assert_eq!(suggestion.get("suggested").and_then(toml::Value::as_bool), Some(true), "{suggestion:#?}");
        let quote = suggestion.get("quote").and_then(toml::Value::as_str).expect("a quote");
        assert!(body.contains(&flat(quote)), "the quote is not verbatim in the imported text: {quote:?}");
    }

    // Built with the draft: the same positions are published as before, none suggested.
    let built = site.build(&["--drafts"]);
    let count = |stdout: &str| stdout.split(" positions)").next().and_then(|start| start.rsplit(", ").next()).map(str::to_owned);
    assert_eq!(count(&built.stdout), count(&before), "{}\n{before}", built.stdout);
    let data = built.json("data/positions.json");
    let published = data["positions"].as_array().expect("positions");
    assert!(!published.iter().any(|position| position["body"] == "malmo-asn"), "a suggestion was published");
}
