//! The output under faults: a build killed at any moment (SIGKILL: nothing runs after
//! it) leaves the previous `public/` complete and unchanged, and the staging folders it
//! leaves behind (`.public.remiss-new`, `.public.remiss-old`) are cleared by the next
//! build.
//!
//! The site is the fixture with generated statements and static files, so that a build
//! takes long enough to be interrupted in every phase: loading, rendering, writing the
//! staging folder, swapping it in, removing the previous output. Half of the kills fall
//! anywhere in a build, the other half in its writing phase (from the moment the staging
//! folder appears). The delays come from a fixed seed: a failure can be replayed.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::support::{Site, files_below};

/// Statements added to the fixture: a debug build then takes about a second (0.5–2 s
/// with the machine's load).
const STATEMENTS: usize = 30;
/// Static files added: they make the writing and removing phases longer.
const STATIC_FILES: usize = 300;
/// Builds killed in the default run; `REMISS_FAULT_KILLS` asks for more.
const KILLS: usize = 10;

/// A small deterministic generator (xorshift64*): the same delays on every run.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound.max(1)
    }
}

/// The fixture with generated statements, each with a position on every proposal.
fn synthetic_site() -> Site {
    let site = Site::basic();
    let proposals = ["generella-statsbidrag", "tillitsbaserad-ledning", "larande-tillsyn", "samordnad-tillsyn"];
    let stances = ["supports", "partly", "no-objection", "doubtful", "opposes"];
    for number in 0..STATEMENTS {
        let mut front = format!(
            "+++\ntitle = \"Nämnd {number}\"\norganisation = \"Kommun {}\"\nreference = \"R-{number}\"\n",
            number % 25
        );
        let mut body = String::new();
        for (index, proposal) in proposals.iter().enumerate() {
            let quote = format!("Nämnd {number} tar ställning i fråga {index} om {proposal}.");
            front.push_str(&format!(
                "\n[[positions]]\nproposal = \"{proposal}\"\nstance = \"{}\"\nquote = '{quote}'\n",
                stances[(number + index) % stances.len()]
            ));
            body.push_str(&format!("{quote} {}\n\n", "Nämnden resonerar om styrning, tillit och uppföljning. ".repeat(12)));
        }
        site.write(&format!("content/statements/namnd-{number:03}.md"), format!("{front}+++\n{body}"));
    }
    for number in 0..STATIC_FILES {
        site.write(&format!("static/bilagor/{:02}/bilaga-{number:04}.txt", number % 20), format!("Bilaga {number}\n").repeat(40));
    }
    site
}

fn start_build(site: &Site) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("remiss"))
        .current_dir(site.root())
        .arg("build")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("remiss build starts")
}

/// `.public.remiss-*` in the site's folder.
fn staging_folders(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .expect("the site's folder")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public.remiss"))
        .collect();
    names.sort();
    names
}

/// Waits until the build creates its staging folder, or ends; the time it took. A
/// folder left by an earlier killed build is not it: the build removes that first, and
/// its own has another birth time.
fn wait_for_staging(site: &Site, child: &mut Child, started: Instant, leftover: Option<SystemTime>) -> Option<Duration> {
    let staging = site.path(".public.remiss-new");
    loop {
        let born = birth_time(&staging);
        if born.is_some() && born != leftover {
            return Some(started.elapsed());
        }
        if child.try_wait().expect("the build's status").is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// The public/ folder's files, or a message saying why it is not the expected site.
fn assert_same_output(site: &Site, expected: &BTreeMap<String, Vec<u8>>, context: &str) {
    let public = site.path("public");
    assert!(public.is_dir(), "{context}: public/ is gone (left: {:?})", staging_folders(site.root()));
    let found = files_below(&public);
    if found != *expected {
        let missing: Vec<&String> = expected.keys().filter(|path| !found.contains_key(*path)).take(5).collect();
        let changed: Vec<&String> =
            found.iter().filter(|(path, bytes)| expected.get(*path).is_some_and(|want| want != *bytes)).map(|(path, _)| path).take(5).collect();
        panic!(
            "{context}: public/ is not the previous site ({} files, expected {}; missing {missing:?}, changed {changed:?})",
            found.len(),
            expected.len()
        );
    }
}

/// When a folder was made: its birth time where the file system keeps one, else the
/// time it was last changed (good enough to tell a new folder from an old one).
fn birth_time(path: &Path) -> Option<SystemTime> {
    let metadata = std::fs::metadata(path).ok()?;
    metadata.created().or_else(|_| metadata.modified()).ok()
}

/// Birth times of the output and staging folders, to tell what one build made.
#[derive(Clone, Copy)]
struct Folders {
    public: Option<SystemTime>,
    staging: Option<SystemTime>,
    previous: Option<SystemTime>,
}

impl Folders {
    fn now(site: &Site) -> Folders {
        let born = |name: &str| birth_time(&site.path(name));
        Folders { public: born("public"), staging: born(".public.remiss-new"), previous: born(".public.remiss-old") }
    }
}

/// Where a kill landed, from what the build left on disk (`before`: the folders as they
/// were when it started, leftovers of earlier kills included).
fn phase(before: Folders, after: Folders, status: std::process::ExitStatus) -> &'static str {
    if status.success() {
        "finished before the kill"
    } else if after.previous.is_some() && after.previous == before.public {
        // public/ was renamed away by this build.
        if after.public.is_some() { "while removing the previous output" } else { "between the two renames" }
    } else if after.staging.is_some() && after.staging != before.staging {
        "while writing the staging folder"
    } else {
        "before writing"
    }
}

fn kills() -> usize {
    std::env::var("REMISS_FAULT_KILLS").ok().and_then(|kills| kills.parse().ok()).unwrap_or(KILLS)
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_output() {
    let site = synthetic_site();
    let started = Instant::now();
    let first = site.build(&[]).files();
    let full_build = started.elapsed();

    // A rebuild over the existing output, timed: when the staging folder appears, and
    // how long writing, swapping and removing the previous output take after that.
    let started = Instant::now();
    let mut child = start_build(&site);
    let staging_at = wait_for_staging(&site, &mut child, started, None).expect("the build writes a staging folder");
    assert!(child.wait().expect("the build ends").success());
    let rebuild = started.elapsed();
    let writing = rebuild.saturating_sub(staging_at).max(Duration::from_millis(1));
    assert_same_output(&site, &first, "a second build of the same site");

    let mut random = Random(0x5eed_2026_0001);
    let mut landed: BTreeMap<&str, usize> = BTreeMap::new();
    let kills = kills();
    for kill in 0..kills {
        let before = Folders::now(&site);
        let mut child = start_build(&site);
        let started = Instant::now();
        let delay = if kill % 2 == 0 {
            Duration::from_micros(random.below(rebuild.as_micros() as u64))
        } else {
            wait_for_staging(&site, &mut child, started, before.staging);
            // Up to twice the calibrated phase: its length varies with the machine's load.
            Duration::from_micros(random.below(2 * writing.as_micros() as u64))
        };
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; an error means the build had already ended
        let status = child.wait().expect("the build ends");
        let landed_in = phase(before, Folders::now(&site), status);
        let context = format!("kill {kill} after {:?} ({landed_in})", started.elapsed());
        *landed.entry(landed_in).or_default() += 1;
        assert!(status.success() || status.signal() == Some(9), "{context}: {status}");
        assert_same_output(&site, &first, &context);
    }

    // The next build clears whatever the kills left and writes the same site.
    let next = site.build(&[]);
    assert!(next.files() == first, "the build after the kills wrote another site");
    assert_eq!(staging_folders(site.root()), Vec::<String>::new(), "staging folders left after a good build");
    eprintln!(
        "faults: {kills} builds killed (first build {full_build:?}, rebuild {rebuild:?}, writing phase {writing:?}); \
         landed: {landed:?}"
    );
}

#[test]
fn leftover_staging_folders_do_not_break_the_next_build() {
    let site = Site::basic();
    let first = site.build(&[]).files();
    // What a build killed while writing, or while removing the previous output, leaves:
    // marked as remiss's own, as every output and staging folder is from its start.
    site.write(".public.remiss-new/.remiss-output", "");
    site.write(".public.remiss-old/.remiss-output", "");
    site.write(".public.remiss-new/index.html", "<p>halv");
    site.write(".public.remiss-new/forslag/larande-tillsyn/index.html", "");
    site.write(".public.remiss-old/index.html", "<p>gammal</p>");
    std::fs::create_dir_all(site.path(".public.remiss-old/tom/mapp")).expect("an empty folder");

    // A failed build does not touch public/.
    site.replace("content/statements/umea-ks.md", "stance = \"opposes\"", "stance = \"emot\"");
    site.fail(&["build"]);
    assert_same_output(&site, &first, "a failed build beside leftovers");

    site.replace("content/statements/umea-ks.md", "stance = \"emot\"", "stance = \"opposes\"");
    let built = site.build(&[]);
    assert!(built.files() == first, "the build beside leftovers wrote another site");
    assert_eq!(staging_folders(site.root()), Vec::<String>::new());
}

#[test]
#[cfg_attr(not(has_strace), ignore = "needs strace to kill the build at one system call: apt-get install strace")]
fn a_build_killed_as_it_swaps_the_output_in_leaves_a_whole_site() {
    // src/output/mod.rs swaps the new output in with one atomic exchange (renameat2).
    // strace kills the build as it makes that call, the one moment a random kill is
    // unlikely to hit; and, in a second run, as it removes the previous output right after.
    let site = Site::basic();
    let first = site.build(&[]).files();
    for (moment, injection) in [
        ("as it swaps the output in", "inject=renameat2:signal=SIGKILL:when=1"),
        ("as it removes the previous output", "inject=unlinkat:signal=SIGKILL:when=1"),
    ] {
        let status = Command::new("strace")
            .args(["-f", "-o", "/dev/null", "-e", "trace=renameat2,unlinkat", "-e", injection])
            .arg(assert_cmd::cargo::cargo_bin("remiss"))
            .arg("build")
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("strace runs");
        assert!(!status.success(), "the build was not killed {moment}: {status}");
        assert_same_output(&site, &first, &format!("killed {moment}"));
    }
    // The next build cleans up after the killed one.
    assert!(site.build(&[]).files() == first);
    assert_eq!(staging_folders(site.root()), Vec::<String>::new());
}
