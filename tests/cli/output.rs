//! Writing the site: all or nothing, stale pages removed, `check` writing nothing, the
//! summary line, and never over the site's own files.

use crate::support::basic::HTML_PAGES;
use crate::support::{Site, files_below};

/// The names in the site's folder: to see that no staging folder is left behind.
fn entries(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.root())
        .expect("the site's folder")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::basic();
    let built = site.build(&[]);
    let before = built.files();

    // A content error, then a template error (found later, while rendering).
    site.replace("content/statements/umea-ks.md", "stance = \"opposes\"", "stance = \"emot\"");
    let report = site.fail(&["build"]);
    assert_eq!(report.summary, "error: found 1 problem; ./public was left unchanged");
    assert!(built.files() == before, "public/ changed after a content error");

    site.replace("content/statements/umea-ks.md", "stance = \"emot\"", "stance = \"opposes\"");
    site.write(
        "templates/statement.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ statement.titel }}{% endblock content %}\n",
    );
    let report = site.fail(&["build"]);
    assert!(report.problem().headline.starts_with("templates/statement.html:2:"), "{}", report.stderr);
    assert!(built.files() == before, "public/ changed after a template error");

    assert_eq!(entries(&site), ["config.toml", "content", "public", "templates"]);
}

#[test]
fn a_rebuild_removes_pages_that_are_gone() {
    let site = Site::basic();
    let built = site.build(&[]);
    assert!(built.has("remissvar/umea-ks/index.html"));

    site.remove("content/statements/umea-ks.md");
    let rebuilt = site.build(&[]);
    assert!(
        rebuilt.stdout.starts_with(&format!("Built {} pages (4 proposals, 2 statements, 4 positions) in ", HTML_PAGES - 2)),
        "{}",
        rebuilt.stdout
    );
    assert!(!rebuilt.has("remissvar/umea-ks/index.html"));
    assert!(!rebuilt.folder.join("remissvar/umea-ks").exists());
    let index = rebuilt.page("remissvar/");
    assert!(!index.links().iter().any(|link| link.contains("umea-ks")));
    assert_eq!(entries(&site), ["config.toml", "content", "public"]);
}

#[test]
fn check_writes_nothing() {
    let site = Site::basic();
    let before = files_below(site.root());
    let output = site.succeed(&["check"]);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(stdout.starts_with(&format!("Checked {HTML_PAGES} pages (4 proposals, 3 statements, 6 positions) and ")), "{stdout}");
    assert!(stdout.ends_with(" ms: no problems\n"), "{stdout}");
    assert!(files_below(site.root()) == before, "check changed the site's folder");
    assert_eq!(entries(&site), ["config.toml", "content"]);
}

#[test]
fn check_finds_broken_internal_links_that_build_lets_through() {
    let site = Site::basic();
    site.replace(
        "content/statements/umea-ks.md",
        "- Kommunen saknar en analys av kostnaderna.",
        "- Kommunen saknar en analys av kostnaderna, se [förslaget](/forslag/saknas/).",
    );
    site.build(&["--output-dir", "out"]);
    let report = site.fail(&["check"]);
    let problem = report.problem();
    assert_eq!(
        problem.headline,
        "remissvar/umea-ks/index.html: broken link `/forslag/saknas/`: no page or file at `forslag/saknas/`"
    );
    assert_eq!(report.summary, "error: found 1 problem; nothing was written");
}

#[test]
fn build_prints_a_one_line_summary() {
    let site = Site::basic();
    let output = site.succeed(&["build"]);
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let line = stdout.strip_suffix('\n').expect("a line");
    assert!(!line.contains('\n'), "one line: {stdout}");
    let rest = line
        .strip_prefix(&format!("Built {HTML_PAGES} pages (4 proposals, 3 statements, 6 positions) in "))
        .unwrap_or_else(|| panic!("{line}"));
    let (milliseconds, folder) = rest.split_once(" ms into ").unwrap_or_else(|| panic!("{line}"));
    milliseconds.parse::<u64>().unwrap_or_else(|_| panic!("{line}"));
    assert_eq!(folder, "./public");
    let pages = files_below(&site.path("public")).keys().filter(|path| path.ends_with(".html")).count();
    assert_eq!(pages, HTML_PAGES);

    let elsewhere = tempfile::tempdir().expect("a folder");
    let target = elsewhere.path().join("webbplats");
    let target = target.to_str().expect("a UTF-8 path");
    let built = site.build(&["--output-dir", target]);
    assert!(built.stdout.ends_with(&format!(" ms into {target}\n")), "{}", built.stdout);
    assert!(built.has("index.html"));
}

#[test]
fn output_over_the_site_itself_is_refused() {
    let site = Site::basic();
    let before = files_below(site.root());
    for output in [".", "content/public"] {
        let run = site.remiss(&["build", "--output-dir", output]).output().expect("remiss runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "--output-dir {output}: {stderr}");
        assert!(stderr.starts_with("error: refusing to write the site to "), "--output-dir {output}: {stderr}");
        assert!(stderr.contains("the site's own folder") || stderr.contains("inside the site's content"), "{stderr}");
        assert!(stderr.contains("Choose another --output-dir"), "{stderr}");
        assert!(files_below(site.root()) == before, "--output-dir {output} changed the site");
    }
}

#[test]
fn output_over_the_site_spelt_with_dot_dot_is_refused() {
    // Bug: the safety check in src/output.rs compared paths as spelt, so
    // `--output-dir ../site` from inside the site was not seen to be the site itself: the
    // site's folder was renamed away to make room for the output.
    let site = Site::basic();
    let before = files_below(site.root());
    let run = site.remiss(&["build", "--output-dir", "../site"]).output().expect("remiss runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(site.path("config.toml").exists(), "the site was moved away: {stderr}");
    assert!(files_below(site.root()) == before, "the site changed: {stderr}");
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: refusing to write the site to "), "{stderr}");
}

#[cfg(unix)]
#[test]
fn output_over_the_site_through_a_symbolic_link_is_refused() {
    // Bug: the safety check in src/output.rs does not resolve symbolic links, so
    // `--root link --output-dir site` (with link → site) replaced the site's config.toml
    // and content/ with the built pages.
    let site = Site::basic();
    let parent = site.root().parent().expect("a parent folder");
    std::os::unix::fs::symlink(site.root(), parent.join("link")).expect("a symbolic link");
    let before = files_below(site.root());
    let mut command = site.remiss(&["build", "--root", "link", "--output-dir", "site"]);
    let run = command.current_dir(parent).output().expect("remiss runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(site.path("config.toml").exists(), "the site's config.toml is gone: {stderr}");
    assert!(files_below(site.root()) == before, "the site changed: {stderr}");
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: refusing to write the site to "), "{stderr}");
}

#[test]
fn a_rebuild_links_the_files_that_did_not_change_and_writes_the_rest() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::basic();
    site.build(&[]);
    let inode = |relative: &str| std::fs::metadata(site.path(&format!("public/{relative}"))).expect("a built file").ino();
    let (unchanged, changed, edited) = ("om-webbplatsen/index.html", "remissvar/umea-ks/index.html", "forslag/index.html");
    let before = [unchanged, changed].map(inode);
    // A file changed by hand in the output is not taken for the built one.
    let page = site.path(&format!("public/{edited}"));
    let original = std::fs::read(&page).expect("the page");
    let mut altered = original.clone();
    altered[0] ^= 1;
    std::fs::write(&page, &altered).expect("the page");

    site.replace("content/statements/umea-ks.md", "title = \"Kommunstyrelsen\"", "title = \"Kommunstyrelsen i Umeå\"");
    let rebuilt = site.build(&[]);
    assert_eq!(inode(unchanged), before[0], "{unchanged} was written again");
    assert_ne!(inode(changed), before[1], "{changed} was linked though it changed");
    assert!(rebuilt.text(changed).contains("Kommunstyrelsen i Umeå"));
    assert_eq!(std::fs::read(&page).expect("the page"), original, "{edited} was kept as edited by hand");
    assert_eq!(entries(&site), ["config.toml", "content", "public"]);
}
