//! Where a build may write: only a folder remiss wrote is replaced without `--force`,
//! the site's own folders, a Git repository, the working folder and what holds them
//! never are (not even through a symbolic link), a file never becomes a folder, and two
//! builds into one folder take turns.

use std::process::Stdio;

use crate::support::{Site, files_below};

/// `remiss build <args>`, which must fail: returns stderr.
fn refused(site: &Site, args: &[&str]) -> String {
    let output = site.remiss(&[&["build"], args].concat()).output().expect("remiss runs");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert_eq!(output.status.code(), Some(1), "remiss build {} should be refused:\n{stderr}", args.join(" "));
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn a_folder_of_someone_elses_files_is_not_replaced_without_force() {
    let site = Site::basic();
    site.write("docs/handbok.md", "Mina anteckningar.\n");
    site.write("docs/bilder/karta.svg", "<svg/>");
    let before = files_below(&site.path("docs"));

    let stderr = refused(&site, &["--output-dir", "docs"]);
    assert!(stderr.contains("it is not empty and remiss did not write it"), "{stderr}");
    assert!(stderr.contains("--force"), "the message says how to proceed: {stderr}");
    assert!(files_below(&site.path("docs")) == before, "docs/ changed");

    let built = site.build(&["--output-dir", "docs", "--force"]);
    assert!(built.has("index.html") && !built.has("handbok.md"));
    // Now it is remiss's own: the next build replaces it without asking.
    assert!(built.has(".remiss-output"));
    site.build(&["--output-dir", "docs"]);
}

#[test]
fn a_site_built_by_an_earlier_remiss_is_named_as_such() {
    let site = Site::basic();
    let built = site.build(&[]);
    std::fs::remove_file(built.folder.join(".remiss-output")).expect("the marker");
    let stderr = refused(&site, &[]);
    assert!(stderr.contains("looks like a site built by an earlier remiss"), "{stderr}");
    assert!(stderr.contains("build once with --force"), "{stderr}");
}

#[test]
fn protected_places_are_refused_even_with_force() {
    let outside = tempfile::tempdir().expect("a temporary folder");
    let site = Site::basic();
    site.write(".git/HEAD", "ref: refs/heads/main\n");
    site.write("elsewhere/keep.txt", "kept");
    std::os::unix::fs::symlink(outside.path(), site.path("linked")).expect("a symbolic link");
    std::fs::write(outside.path().join("notes.md"), "outside").expect("a file outside");
    let before = files_below(site.root());
    let outside_before = files_below(outside.path());

    for (output, why) in [
        (".git", "inside the site's .git"),
        (".git/objects", "inside the site's .git"),
        (".", "it is the site's own folder"),
        ("..", "it holds the site's own folder"),
        ("content", "inside the site's content"),
        ("content/statements", "inside the site's content"),
        ("config.toml", "inside the site's config.toml"),
    ] {
        let stderr = refused(&site, &["--output-dir", output, "--force"]);
        assert!(stderr.contains(why), "--output-dir {output}: {stderr}");
    }
    // A folder that holds a Git repository of its own (a GitHub Pages checkout, say).
    std::fs::create_dir_all(outside.path().join("pages/.git")).expect("a repository");
    let pages = outside.path().join("pages");
    let stderr = refused(&site, &["--output-dir", pages.to_str().expect("UTF-8"), "--force"]);
    assert!(stderr.contains("holds a Git repository"), "{stderr}");
    std::fs::remove_dir_all(&pages).expect("cleaned up");

    assert!(files_below(site.root()) == before, "the site changed");
    assert!(files_below(outside.path()) == outside_before, "the folder outside changed");
}

#[test]
fn the_working_folder_is_refused_when_the_site_is_elsewhere() {
    let site = Site::basic();
    site.write("work/notes.md", "mine");
    let work = site.path("work");
    let root = site.root().to_str().expect("UTF-8").to_owned();
    let output = site.remiss(&[]).current_dir(&work).args(["build", "--root", &root, "--output-dir", ".", "--force"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("it is the folder you are working in"), "{stderr}");
    assert_eq!(std::fs::read_to_string(work.join("notes.md")).expect("kept"), "mine");
}

#[test]
fn content_linked_from_outside_is_protected_through_the_link() {
    let texts = tempfile::tempdir().expect("a temporary folder");
    let site = Site::basic();
    let content = site.path("content");
    let moved = texts.path().join("content");
    crate::support::copy_folder(&content, &moved);
    std::fs::remove_dir_all(&content).expect("content removed");
    std::os::unix::fs::symlink(&moved, &content).expect("a symbolic link");
    let before = files_below(&moved);

    // Through the link, and by the path it leads to.
    refused(&site, &["--output-dir", "content", "--force"]);
    refused(&site, &["--output-dir", moved.join("statements").to_str().expect("UTF-8"), "--force"]);
    assert!(files_below(&moved) == before, "the Markdown changed");

    // Nor is it read: what lies outside the site is not published.
    let report = site.fail(&["build"]);
    assert_eq!(report.headlines()[0], "content: this symbolic link leads out of the site");
    std::fs::remove_file(&content).expect("the link removed");
    std::os::unix::fs::symlink(&moved, site.path("static")).expect("a symbolic link");
    crate::support::copy_folder(&moved, &content);
    let report = site.fail(&["build"]);
    assert_eq!(report.problem().headline, "static: this symbolic link leads out of the site");
}

#[test]
fn a_file_never_becomes_a_folder() {
    let site = Site::basic();
    site.write("notes.txt", "mina anteckningar");
    for force in [&[][..], &["--force"][..]] {
        let stderr = refused(&site, &[&["--output-dir", "notes.txt"][..], force].concat());
        assert!(stderr.contains("it is a file, not a folder"), "{stderr}");
        assert_eq!(site.read("notes.txt"), "mina anteckningar");
    }
    // Nothing was left behind that spoils the next build.
    site.build(&[]);
}

#[test]
fn two_builds_into_one_folder_take_turns() {
    let site = Site::basic();
    let alone = site.build(&["--output-dir", "alone"]).files();
    let start = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("remiss"))
            .current_dir(site.root())
            .args(["build", "--output-dir", "public"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs")
    };
    let builds: Vec<_> = (0..4).map(|_| start()).collect();
    for build in builds {
        let output = build.wait_with_output().expect("finishes");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    assert!(files_below(&site.path("public")) == alone, "the output is not one whole site");
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("the site's folder")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("remiss-new") || name.contains("remiss-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_leftover_staging_folder_is_removed_only_if_remiss_marked_it() {
    let site = Site::basic();
    site.build(&[]);
    // What a build killed while writing leaves: marked, so removed by the next build.
    site.write(".public.remiss-new/.remiss-output", "");
    site.write(".public.remiss-new/half.html", "<p>");
    site.build(&[]);
    assert!(!site.path(".public.remiss-new").exists());
    // A folder by that name that remiss did not write is someone's: kept, and said so.
    site.write(".public.remiss-new/mine.txt", "mine");
    let stderr = refused(&site, &[]);
    assert!(stderr.contains("holds files remiss did not write"), "{stderr}");
    assert_eq!(site.read(".public.remiss-new/mine.txt"), "mine");
}

#[test]
fn a_static_file_where_the_site_needs_a_folder_is_named() {
    let site = Site::basic();
    site.write("static/forslag", "en fil");
    let report = site.fail(&["build"]);
    assert_eq!(report.problem().headline, "static/forslag: this file has the name of the folder `forslag/`, which holds the site's own pages");
}

#[test]
fn a_base_url_from_the_command_line_is_blamed_on_the_command_line() {
    let site = Site::basic();
    let report = site.fail(&["build", "--base-url", "javascript:alert(1)"]);
    assert!(report.problem().headline.starts_with("--base-url: base_url `javascript:alert(1)` is not an absolute URL"), "{}", report.stderr);
    assert!(!report.stderr.contains("config.toml"), "{}", report.stderr);
}
