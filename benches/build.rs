//! The build benchmark: how long `remiss build` and `remiss check` take, how much memory
//! they use and how much they write, on synthetic sites of 100, 2,000 and 10,000 statements
//! (300 proposals, 12 positions per statement). `docs/BENCHMARKS.md` explains the method
//! and records the figures.
//!
//! ```text
//! cargo bench --bench build                                  # N = 100, 2000, 10000
//! REMISS_BENCH_SIZES=100,2000 cargo bench --bench build      # choose the sizes
//! REMISS_BENCH_RUNS=9 cargo bench --bench build              # runs per figure (default 5)
//! REMISS_BENCH_WRITE_DOCS=1 cargo bench --bench build        # also write docs/bench-build.svg
//! REMISS_BENCH_REPLOT=1 cargo bench --bench build            # only redraw it from target/bench-results.json
//! REMISS_BENCH_ARCHIVE=/tmp/arch cargo bench --bench build   # only rebuilds in an archive (see `archive`)
//! ```
//!
//! Each site is generated once into `<temp>/remiss-bench-<N>` and reused while its
//! parameters and the generator are unchanged. The release `remiss` binary runs as a child
//! process, reaped with `wait4`, which returns that one child's CPU time and peak RSS.
//! Results go to stdout, `target/bench-results.md` and `target/bench-results.json`.

#[path = "synthetic.rs"]
mod synthetic;

use std::fmt::Write as _;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use remiss::output::{Output, Replace};

const DEFAULT_SIZES: [usize; 3] = [100, 2_000, 10_000];
const PROPOSALS: usize = 300;
const POSITIONS: usize = 12;
const SEED: u64 = 1;
/// No page should weigh more than this (minified).
const PAGE_LIMIT: u64 = 2_000_000;
/// Sizes whose build takes longer than this are measured with one run instead of `runs`.
const SLOW: Duration = Duration::from_secs(30);

/// One run of a child process.
#[derive(Clone, Copy, Debug)]
struct Run {
    wall: Duration,
    /// User + system time of the child.
    cpu: Duration,
    /// The child's peak resident set size, in bytes.
    max_rss: u64,
}

/// Several runs of the same command.
#[derive(Clone, Debug)]
struct Runs(Vec<Run>);

impl Runs {
    fn median_wall(&self) -> Duration {
        median(self.0.iter().map(|run| run.wall).collect())
    }
    fn min_wall(&self) -> Duration {
        self.0.iter().map(|run| run.wall).min().unwrap_or_default()
    }
    fn median_cpu(&self) -> Duration {
        median(self.0.iter().map(|run| run.cpu).collect())
    }
    fn max_rss(&self) -> u64 {
        self.0.iter().map(|run| run.max_rss).max().unwrap_or(0)
    }
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    match values.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2,
    }
}

/// Incremental rebuild times (see [`incremental`]).
#[derive(Clone, Debug)]
struct Incremental {
    /// Median time to rebuild after one statement's paragraph grew by a sentence.
    statement: Duration,
    /// Median time to rebuild after the stance of one of a statement's positions changed.
    stance: Duration,
    /// Median time to rebuild after one proposal's title changed.
    proposal: Duration,
}

/// The in-process stages, timed with the library API (median of the runs).
#[derive(Clone, Debug)]
struct Stages {
    build: Duration,
    search_index: Duration,
    minify: Duration,
    /// Minifying the largest page alone: one thread's work, which the others cannot share.
    minify_largest: Duration,
    write: Duration,
}

#[derive(Clone, Debug)]
struct Result {
    bodies: usize,
    /// Measured runs of each command (fewer than asked for when a build is slow).
    runs: usize,
    pages: usize,
    generate: Option<Duration>,
    content_bytes: u64,
    /// One build into an empty output folder.
    fresh_build: Run,
    build: Runs,
    /// Builds with `build_search_index = false`: the same job as the general-purpose
    /// generators' figures in the speed issue, which make no search index.
    without_search: Runs,
    check: Runs,
    output_bytes: u64,
    output_files: usize,
    /// The five largest HTML pages, largest first.
    largest: Vec<(String, u64)>,
    /// The three largest other files (the open-data files, the stylesheet).
    largest_other: Vec<(String, u64)>,
    /// How many pages exceed [`PAGE_LIMIT`].
    heavy_pages: usize,
    stages: Stages,
    incremental: Option<Incremental>,
}

fn main() {
    let svg_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join("bench-build.svg");
    if std::env::var("REMISS_BENCH_REPLOT").is_ok_and(|value| value == "1") {
        // Only redraw the plot from the last results.
        let points = plot_points_from_json(&target_dir().join("bench-results.json"));
        write_or_warn(&svg_path, svg(&points).as_bytes());
        println!("Wrote {}", svg_path.display());
        return;
    }
    let sizes = sizes();
    let runs: usize = std::env::var("REMISS_BENCH_RUNS").ok().and_then(|runs| runs.parse().ok()).unwrap_or(5).max(1);
    if let Some(root) = std::env::var_os("REMISS_BENCH_ARCHIVE") {
        archive(Path::new(&root), runs);
        return;
    }
    let remiss = remiss_binary();
    println!(
        "remiss build benchmark: N = {sizes:?}, M = {PROPOSALS}, K = {POSITIONS}, {runs} runs each, binary {}",
        remiss.display()
    );
    println!("machine: {}", machine());

    let mut results = Vec::new();
    for &bodies in &sizes {
        let result = measure(&remiss, bodies, runs);
        println!("{}", row(&result));
        results.push(result);
    }

    let table = markdown_table(&results);
    println!("\n{table}");
    let target = target_dir();
    let _ = fs::create_dir_all(&target);
    let report = format!(
        "# remiss build benchmark\n\nmachine: {}\n\nM = {PROPOSALS} proposals, K = {POSITIONS} positions per statement, {runs} runs per figure (one when a build takes over 30 s).\n\n{table}\n{}",
        machine(),
        largest_pages(&results)
    );
    write_or_warn(&target.join("bench-results.md"), report.as_bytes());
    write_or_warn(&target.join("bench-results.json"), json(&results, runs).as_bytes());
    println!("Wrote {} and {}", target.join("bench-results.md").display(), target.join("bench-results.json").display());
    if std::env::var("REMISS_BENCH_WRITE_DOCS").is_ok_and(|value| value == "1") {
        let points: Vec<PlotPoint> = results
            .iter()
            .map(|result| PlotPoint {
                bodies: result.bodies,
                wall: result.build.median_wall().as_secs_f64(),
                cpu: result.build.median_cpu().as_secs_f64(),
                without_search: result.without_search.median_wall().as_secs_f64(),
            })
            .collect();
        write_or_warn(&svg_path, svg(&points).as_bytes());
        println!("Wrote {}", svg_path.display());
    }
}

fn sizes() -> Vec<usize> {
    match std::env::var("REMISS_BENCH_SIZES") {
        Ok(list) if !list.trim().is_empty() => {
            let mut sizes: Vec<usize> = list
                .split(',')
                .map(|size| {
                    size.trim()
                        .replace('_', "")
                        .parse()
                        .unwrap_or_else(|_| panic!("REMISS_BENCH_SIZES: `{size}` is not a number"))
                })
                .collect();
            // Increasing order: a regression at a small size shows before the long runs.
            sizes.sort_unstable();
            sizes.dedup();
            sizes
        }
        _ => DEFAULT_SIZES.to_vec(),
    }
}

/// The `remiss` binary cargo built for this bench (with the bench profile, which inherits
/// `release`); target/release/remiss, built on demand, if cargo did not say.
fn remiss_binary() -> PathBuf {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_remiss"));
    if built.exists() {
        return built;
    }
    let fallback = target_dir().join("release").join("remiss");
    if !fallback.exists() {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--bin", "remiss"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cannot run cargo build --release");
        assert!(status.success(), "cargo build --release failed");
    }
    fallback
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn measure(remiss: &Path, bodies: usize, runs: usize) -> Result {
    let site = std::env::temp_dir().join(format!("remiss-bench-{bodies}"));
    let generate = if synthetic::is_current(&site, bodies, PROPOSALS, POSITIONS, SEED) {
        None
    } else {
        let started = Instant::now();
        synthetic::write_site(&site, bodies, PROPOSALS, POSITIONS, SEED);
        let took = started.elapsed();
        eprintln!("  generated {} in {:.1} s", site.display(), took.as_secs_f64());
        Some(took)
    };
    let content_bytes = folder_size(&site.join("content")).0;
    let public = site.join("public");
    let build_args = ["build", "--root", path_str(&site), "--output-dir", path_str(&public)];
    let check_args = ["check", "--root", path_str(&site)];

    // One unmeasured run of each fills the page cache and proves the site builds.
    let log = std::env::temp_dir().join(format!("remiss-bench-{bodies}.log"));
    let warm = run(remiss, &build_args, &log);
    run(remiss, &check_args, &log);
    // A build that takes more than SLOW is measured once: five runs of each at N = 10,000
    // would take the better part of an hour while the home page is N × M.
    let runs = if warm.wall > SLOW {
        eprintln!("  one build takes {:.0} s: measuring each figure once", warm.wall.as_secs_f64());
        1
    } else {
        runs
    };
    let pages = fs::read_to_string(&log)
        .ok()
        .and_then(|text| text.split_whitespace().nth(1).and_then(|count| count.parse().ok()))
        .unwrap_or(0);

    // A build into an empty output folder writes every file; the others link the files
    // that did not change (see `remiss::output`).
    let _ = fs::remove_dir_all(&public);
    let fresh_build = run(remiss, &build_args, &log);
    let build = Runs((0..runs).map(|_| run(remiss, &build_args, &log)).collect());
    let check = Runs((0..runs).map(|_| run(remiss, &check_args, &log)).collect());
    let without_search = without_search_index(remiss, &site, runs, &log);
    let (output_bytes, output_files, mut files) = folder_size(&public);
    files.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let relative: Vec<(String, u64)> = files
        .into_iter()
        .map(|(path, size)| (path.strip_prefix(&public).unwrap_or(&path).to_string_lossy().into_owned(), size))
        .collect();
    let (pages_by_size, others): (Vec<_>, Vec<_>) = relative.into_iter().partition(|(path, _)| path.ends_with(".html"));
    let heavy_pages = pages_by_size.iter().filter(|(_, size)| *size > PAGE_LIMIT).count();
    let largest = pages_by_size.into_iter().take(5).collect();
    let largest_other = others.into_iter().take(3).collect();
    let stages = stages(&site, runs.min(3));
    let incremental = incremental(&site, runs);
    Result {
        bodies,
        runs,
        pages,
        generate,
        content_bytes,
        fresh_build,
        build,
        without_search,
        check,
        output_bytes,
        output_files,
        largest,
        largest_other,
        heavy_pages,
        stages,
        incremental,
    }
}

/// `runs` builds of the site with `build_search_index = false` (after one unmeasured),
/// into an output folder of their own; the config is put back afterwards.
fn without_search_index(remiss: &Path, site: &Path, runs: usize, log: &Path) -> Runs {
    let config = site.join("config.toml");
    let original = fs::read_to_string(&config).expect("the synthetic site's config");
    fs::write(&config, format!("{original}build_search_index = false\n")).expect("cannot change the config");
    let output = site.join("public-without-search");
    let args = ["build", "--root", path_str(site), "--output-dir", path_str(&output)];
    run(remiss, &args, log);
    let measured = Runs((0..runs).map(|_| run(remiss, &args, log)).collect());
    fs::write(&config, original).expect("cannot put the config back");
    let _ = fs::remove_dir_all(&output);
    measured
}

/// `Command::spawn` starts the child with vfork, sharing this process's memory until the
/// child execs, and Linux carries that memory's peak into the child's `ru_maxrss`: after
/// the in-process stages of a large site, every child would report this process's peak.
/// Hands freed memory back and resets the peak to what is resident now, so that a
/// child's figure is its own (this process holds little between runs).
fn forget_own_peak() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: malloc_trim only returns free memory to the system.
        unsafe { libc::malloc_trim(0) };
        // "5" resets the peak resident set size (Linux 4.0 and later).
        let _ = fs::write("/proc/self/clear_refs", "5");
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("the temporary folder's path is not UTF-8")
}

/// Runs `remiss` with `args`, its output to `log`, and reaps it with `wait4`, which gives
/// this child's own resource use: `getrusage(RUSAGE_CHILDREN)` would give the maximum RSS
/// over all children so far, not this one's.
fn run(remiss: &Path, args: &[&str], log: &Path) -> Run {
    forget_own_peak();
    let out = File::create(log).expect("cannot create the log file");
    let err = out.try_clone().expect("cannot share the log file");
    let started = Instant::now();
    let child = Command::new(remiss)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", remiss.display()));
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it and the status for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(reaped, pid, "wait4 failed: {}", std::io::Error::last_os_error());
    // The child is reaped: dropping `child` neither waits nor kills.
    drop(child);
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let output = fs::read_to_string(log).unwrap_or_default();
        panic!("`remiss {}` failed:\n{}", args.join(" "), output.lines().take(60).collect::<Vec<_>>().join("\n"));
    }
    let time = |tv: libc::timeval| Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64);
    // Linux counts ru_maxrss in KiB, macOS in bytes.
    let rss_unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    Run { wall, cpu: time(usage.ru_utime) + time(usage.ru_stime), max_rss: usage.ru_maxrss as u64 * rss_unit }
}

/// Total bytes and file count under `folder`, and every file with its size.
fn folder_size(folder: &Path) -> (u64, usize, Vec<(PathBuf, u64)>) {
    let mut files = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                stack.push(entry.path());
            } else if let Ok(meta) = entry.metadata() {
                files.push((entry.path(), meta.len()));
            }
        }
    }
    (files.iter().map(|(_, size)| size).sum(), files.len(), files)
}

/// The build's stages in this process, through the library: load + check + render
/// (`remiss::build`), search index, minify, write. Shows where the wall time goes.
fn stages(site: &Path, runs: usize) -> Stages {
    let overrides = remiss::config::Overrides::default();
    let output = std::env::temp_dir().join(format!("{}-stages", site.file_name().unwrap().to_string_lossy()));
    let (mut build, mut search_index, mut minify, mut minify_largest, mut write) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let mut built = remiss::build(site, &overrides).unwrap_or_else(|problems| {
            panic!("the synthetic site does not build: {} problems, the first: {}", problems.len(), problems[0])
        });
        build.push(started.elapsed());
        let mut largest = remiss::render::Rendered::default();
        if let Some((path, bytes)) =
            built.rendered.files.iter().filter(|(path, _)| path.ends_with(".html")).max_by_key(|(_, bytes)| bytes.len())
        {
            largest.files.insert(path.clone(), bytes.clone());
        }
        let started = Instant::now();
        minify_pages(&mut largest);
        minify_largest.push(started.elapsed());
        drop(largest);
        let started = Instant::now();
        minify_pages(&mut built.rendered);
        minify.push(started.elapsed());
        // As `remiss build` does: write, make the index from the model, add it, swap.
        let started = Instant::now();
        let claimed = Output::claim(&output, site, Replace::OwnOutput, || {}).expect("cannot write the site");
        let staging = claimed.stage().expect("cannot write the site");
        built.rendered.files.par_iter().try_for_each(|(path, bytes)| staging.add_file(path, bytes)).expect("cannot write the site");
        let mut took = started.elapsed();
        let started = Instant::now();
        let index = remiss::search::index(&built.site).expect("the search index could not be built");
        search_index.push(started.elapsed());
        let started = Instant::now();
        index.files.par_iter().try_for_each(|(path, bytes)| staging.add_file(path, bytes)).expect("cannot write the search index");
        staging.commit().expect("cannot swap the new output in");
        took += started.elapsed();
        write.push(took);
        // Freeing the site is part of neither stage (the CLI exits instead).
        drop(built);
    }
    let _ = fs::remove_dir_all(&output);
    Stages {
        build: median(build),
        search_index: median(search_index),
        minify: median(minify),
        minify_largest: median(minify_largest),
        write: median(write),
    }
}

/// Minifies every page in parallel, as `remiss build` does page by page.
fn minify_pages(rendered: &mut remiss::render::Rendered) {
    rendered.files.par_iter_mut().for_each(|(path, bytes)| *bytes = remiss::output::minified(path, bytes.clone()));
}

/// Incremental rebuild times with [`remiss::Session`], on a copy of the site: build once,
/// then `runs` times each (a different edit every time, so each rebuild sees a change):
///   1. append a sentence to the first paragraph of one statement and time
///      `session.rebuild(&["content/statements/instans-00001.md"])` (its own page shows
///      the change; no other page does);
///   2. change the stance of that statement's first position (the proposal's page, the
///      stance pages, the overviews and the summaries show it);
///   3. change the title of one proposal and time
///      `session.rebuild(&["content/proposals/omrade-01/forslag-0001.md"])`.
///
/// Only the rebuild is timed (in memory, as `remiss serve` does it), not writing the file
/// nor writing the output to disk. Returns the medians; `None` if the session fails.
/// Target: one statement at N = 2,000 in under 30 ms.
fn incremental(site: &Path, runs: usize) -> Option<Incremental> {
    let copy = std::env::temp_dir().join(format!("{}-incremental", site.file_name()?.to_string_lossy()));
    let _ = fs::remove_dir_all(&copy);
    copy_folder(&site.join("content"), &copy.join("content")).ok()?;
    fs::copy(site.join("config.toml"), copy.join("config.toml")).ok()?;

    let mut session = remiss::Session::open(&copy, remiss::config::Overrides::default());
    if let Err(problems) = session.build() {
        eprintln!("  incremental: the first build failed ({} problems)", problems.len());
        return None;
    }
    let statement = PathBuf::from("content/statements/instans-00001.md");
    let proposal = PathBuf::from(format!("content/proposals/omrade-01/forslag-{:04}.md", 1));
    let stance = time_edits(&copy, &statement, runs, &restance, |paths| said(session.rebuild(paths)))?;
    let statement = time_edits(&copy, &statement, runs, &append_to_first_paragraph, |paths| said(session.rebuild(paths)))?;
    let proposal = time_edits(&copy, &proposal, runs, &retitle, |paths| said(session.rebuild(paths)))?;
    drop(session);
    let _ = fs::remove_dir_all(&copy);
    Some(Incremental { statement, stance, proposal })
}

/// What a consultation's rebuild did, or its first problem.
fn said(outcome: std::result::Result<remiss::session::Outcome, Vec<remiss::diagnostic::Diagnostic>>) -> std::result::Result<String, String> {
    outcome
        .map(|outcome| format!("rebuilt {} pages, {} files changed", outcome.rendered.len(), outcome.changed.len()))
        .map_err(|problems| problems[0].to_string())
}

/// An edit of a file's text, a different one each run.
type Edit = dyn Fn(&str, usize) -> String;

/// The median time `rebuild` takes after each of `runs` edits of `relative` (a different
/// edit every time, so that each rebuild sees a change); `None` if a rebuild fails.
fn time_edits(
    root: &Path,
    relative: &Path,
    runs: usize,
    edit: &Edit,
    mut rebuild: impl FnMut(&[PathBuf]) -> std::result::Result<String, String>,
) -> Option<Duration> {
    let mut times = Vec::new();
    for run in 0..runs {
        let file = root.join(relative);
        let text = fs::read_to_string(&file).ok()?;
        fs::write(&file, edit(&text, run)).ok()?;
        let started = Instant::now();
        let outcome = rebuild(&[relative.to_path_buf()]);
        times.push(started.elapsed());
        match outcome {
            Ok(what) if run == 0 => eprintln!("  incremental: {}: {what}", relative.display()),
            Ok(_) => {}
            Err(problem) => {
                eprintln!("  incremental: rebuild after editing {} failed: {problem}", relative.display());
                return None;
            }
        }
    }
    Some(median(times))
}

/// `REMISS_BENCH_ARCHIVE=<folder>`: incremental rebuilds in an archive (one written by
/// `cargo run --release --example synthetic -- … --consultations C`) through
/// [`remiss::archive::ArchiveSession`], as `remiss serve` makes them, against the same
/// edits with a [`remiss::Session`] on that consultation alone. The edited statement
/// is put back afterwards.
fn archive(root: &Path, runs: usize) {
    use remiss::config::Overrides;
    let slugs = remiss::archive::consultation_slugs(root).0;
    let slug = &slugs[slugs.len() / 2];
    let statement = remiss::archive::consultation_folder(slug).join("statements/instans-00001.md");
    let original = fs::read(root.join(&statement)).expect("the archive's statement");
    let started = Instant::now();
    let mut session = remiss::archive::ArchiveSession::open(root, Overrides::default());
    let built = session.build().expect("the archive builds");
    println!("{} consultations, {} files: built in memory in {:.1} s", slugs.len(), built.files.len(), started.elapsed().as_secs_f64());
    let started = Instant::now();
    let copy = built.clone();
    println!("the copy of the archive's map of files each rebuild returns: {}", ms(started.elapsed()));
    drop((copy, built));
    let edits: [(&str, &Edit); 2] = [("a statement's text", &append_to_first_paragraph), ("a stance", &restance)];
    let mut in_archive = Vec::new();
    for (_, edit) in edits {
        let described = |rebuilt: std::result::Result<remiss::render::Rendered, Vec<remiss::diagnostic::Diagnostic>>| {
            rebuilt.map(|rendered| format!("{} files", rendered.files.len())).map_err(|problems| problems[0].to_string())
        };
        in_archive.push(time_edits(root, &statement, runs, edit, |paths| described(session.rebuild(paths))));
    }
    drop(session);
    let mut alone = remiss::Session::open_in_archive(root, Overrides::default(), slug);
    alone.build().expect("the consultation builds");
    let alone: Vec<Option<Duration>> =
        edits.iter().map(|(_, edit)| time_edits(root, &statement, runs, *edit, |paths| said(alone.rebuild(paths)))).collect();
    fs::write(root.join(&statement), original).expect("the statement put back");
    println!("\n| edit to {} | archive of {} consultations | the consultation alone |", statement.display(), slugs.len());
    println!("|---|---:|---:|");
    for (((name, _), archived), single) in edits.iter().zip(in_archive).zip(alone) {
        let shown = |time: Option<Duration>| time.map_or_else(|| "failed".to_owned(), ms);
        println!("| {name} | {} | {} |", shown(archived), shown(single));
    }
}

/// Adds a sentence at the end of the first paragraph after the front matter and the first
/// heading: quoted sentences elsewhere in it stay whole.
fn append_to_first_paragraph(text: &str, run: usize) -> String {
    let body_start = text.match_indices("+++\n").nth(1).map_or(0, |(at, _)| at + 4);
    let mut lines: Vec<String> = text[body_start..].lines().map(str::to_owned).collect();
    if let Some(line) = lines.iter_mut().find(|line| !line.is_empty() && !line.starts_with('#')) {
        write!(line, " Nämnden har lagt till mening nummer {} efter samrådet.", run + 1).unwrap();
    }
    format!("{}{}\n", &text[..body_start], lines.join("\n"))
}

/// Gives the first position another stance than it had the run before.
fn restance(text: &str, run: usize) -> String {
    let stances = ["supports", "partly", "doubtful", "opposes", "no-objection"];
    let Some(at) = text.find("stance = \"") else { return text.to_owned() };
    let end = text[at..].find('\n').map_or(text.len(), |end| at + end);
    let current = &text[at + "stance = \"".len()..end - 1];
    let index = stances.iter().position(|stance| *stance == current).unwrap_or(0);
    let next = stances[(index + 1 + run % 3) % stances.len()];
    format!("{}stance = \"{next}\"{}", &text[..at], &text[end..])
}

/// Gives a proposal a new title.
fn retitle(text: &str, run: usize) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with("title = ") {
                format!("title = \"Ändrad rubrik nummer {}\"", run + 1)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_folder(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn ms(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if ms >= 100.0 { format!("{ms:.0}") } else { format!("{ms:.1}") }
}

fn mb(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb >= 100.0 { format!("{mb:.0}") } else { format!("{mb:.1}") }
}

fn row(result: &Result) -> String {
    format!(
        "N = {:>6}: build {} ms median ({} min, {} ms CPU, {} MB peak RSS); check {} ms; output {} MB in {} files, largest {} ({} MB)",
        result.bodies,
        ms(result.build.median_wall()),
        ms(result.build.min_wall()),
        ms(result.build.median_cpu()),
        mb(result.build.max_rss()),
        ms(result.check.median_wall()),
        mb(result.output_bytes),
        result.output_files,
        result.largest.first().map_or("-", |(path, _)| path.as_str()),
        result.largest.first().map_or("-".into(), |(_, size)| mb(*size)),
    )
}

fn markdown_table(results: &[Result]) -> String {
    let mut table = String::from(
        "| N | runs | pages | content MB | build median ms | build min ms | build CPU ms | build peak RSS MB | build into an empty folder ms | without search index: median ms / CPU ms / peak RSS MB | check median ms | check peak RSS MB | output MB | largest page MB | pages > 2 MB | incremental: statement text / stance / proposal ms |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for result in results {
        let incremental = result
            .incremental
            .as_ref()
            .map_or("not measured".to_owned(), |inc| format!("{} / {} / {}", ms(inc.statement), ms(inc.stance), ms(inc.proposal)));
        writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} | {} | {} | {} | {} | {} | {} |",
            result.bodies,
            result.runs,
            result.pages,
            mb(result.content_bytes),
            ms(result.build.median_wall()),
            ms(result.build.min_wall()),
            ms(result.build.median_cpu()),
            mb(result.build.max_rss()),
            ms(result.fresh_build.wall),
            ms(result.without_search.median_wall()),
            ms(result.without_search.median_cpu()),
            mb(result.without_search.max_rss()),
            ms(result.check.median_wall()),
            mb(result.check.max_rss()),
            mb(result.output_bytes),
            result.largest.first().map_or("-".into(), |(_, size)| mb(*size)),
            result.heavy_pages,
            incremental,
        )
        .unwrap();
    }
    table.push_str(
        "\nIn-process stages (library API, median; the CLI's wall time adds process start, reading the theme and exit):\n\n\
         | N | build (load, check, render) ms | search index ms | minify ms | minify of the largest page alone ms | write ms |\n\
         |---:|---:|---:|---:|---:|---:|\n",
    );
    for result in results {
        let stages = &result.stages;
        writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} |",
            result.bodies,
            ms(stages.build),
            ms(stages.search_index),
            ms(stages.minify),
            ms(stages.minify_largest),
            ms(stages.write)
        )
        .unwrap();
    }
    table
}

fn largest_pages(results: &[Result]) -> String {
    let mut text = String::from("## Largest files (minified)\n\n| N | file | MB |\n|---:|---|---:|\n");
    for result in results {
        for (path, size) in result.largest.iter().chain(&result.largest_other) {
            writeln!(text, "| {} | {} | {} |", result.bodies, path, mb(*size)).unwrap();
        }
    }
    text
}

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json(results: &[Result], runs: usize) -> String {
    let secs = |duration: Duration| format!("{:.6}", duration.as_secs_f64());
    let runs_json = |runs: &Runs| {
        let list: Vec<String> = runs
            .0
            .iter()
            .map(|run| {
                format!(
                    "{{\"wall_s\": {}, \"cpu_s\": {}, \"max_rss_bytes\": {}}}",
                    secs(run.wall),
                    secs(run.cpu),
                    run.max_rss
                )
            })
            .collect();
        format!(
            "{{\"median_wall_s\": {}, \"min_wall_s\": {}, \"median_cpu_s\": {}, \"max_rss_bytes\": {}, \"runs\": [{}]}}",
            secs(runs.median_wall()),
            secs(runs.min_wall()),
            secs(runs.median_cpu()),
            runs.max_rss(),
            list.join(", ")
        )
    };
    let entries: Vec<String> = results
        .iter()
        .map(|result| {
            let largest: Vec<String> = result
                .largest
                .iter()
                .chain(&result.largest_other)
                .map(|(path, size)| format!("{{\"path\": {}, \"bytes\": {size}}}", json_string(path)))
                .collect();
            let incremental = result.incremental.as_ref().map_or("null".to_owned(), |inc| {
                format!("{{\"statement_s\": {}, \"stance_s\": {}, \"proposal_s\": {}}}", secs(inc.statement), secs(inc.stance), secs(inc.proposal))
            });
            format!(
                "    {{\"bodies\": {}, \"runs\": {}, \"proposals\": {PROPOSALS}, \"positions\": {POSITIONS}, \"pages\": {}, \"content_bytes\": {}, \
                 \"generate_s\": {}, \"fresh_build\": {}, \"build\": {}, \"without_search\": {}, \"check\": {}, \"output_bytes\": {}, \"output_files\": {}, \"largest\": [{}], \
                 \"pages_over_2mb\": {}, \"in_process_s\": {{\"build\": {}, \"search_index\": {}, \"minify\": {}, \"minify_largest_page\": {}, \"write\": {}}}, \
                 \"incremental\": {}}}",
                result.bodies,
                result.runs,
                result.pages,
                result.content_bytes,
                result.generate.map_or("null".into(), secs),
                runs_json(&Runs(vec![result.fresh_build])),
                runs_json(&result.build),
                runs_json(&result.without_search),
                runs_json(&result.check),
                result.output_bytes,
                result.output_files,
                largest.join(", "),
                result.heavy_pages,
                secs(result.stages.build),
                secs(result.stages.search_index),
                secs(result.stages.minify),
                secs(result.stages.minify_largest),
                secs(result.stages.write),
                incremental,
            )
        })
        .collect();
    format!(
        "{{\n  \"machine\": {},\n  \"runs\": {runs},\n  \"results\": [\n{}\n  ]\n}}\n",
        json_string(&machine()),
        entries.join(",\n")
    )
}

/// Least-squares line through (x, y): (intercept, slope).
fn linear_fit(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    if points.len() < 2 {
        return (0.0, points.first().map_or(0.0, |(x, y)| if *x > 0.0 { y / x } else { 0.0 }));
    }
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
    let (mx, my) = (sx / n, sy / n);
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (my - slope * mx, slope)
}

/// A "nice" axis maximum and tick step at or above `value`.
fn nice_axis(value: f64) -> (f64, f64) {
    let value = value.max(1e-9);
    let magnitude = 10f64.powf(value.log10().floor());
    for step in [0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0] {
        let step = step * magnitude;
        let top = (value / step).ceil() * step;
        if top / step <= 6.0 {
            return (top, step);
        }
    }
    (value, value)
}

fn fmt_tick(value: f64) -> String {
    if value == value.round() { format!("{value:.0}") } else { format!("{value}") }
}

/// One size in the plot: the build's median wall and CPU time, in seconds.
struct PlotPoint {
    bodies: usize,
    wall: f64,
    cpu: f64,
    /// Wall time with `build_search_index = false`.
    without_search: f64,
}

/// The plot's points, read back from `target/bench-results.json` (for REMISS_BENCH_REPLOT).
fn plot_points_from_json(path: &Path) -> Vec<PlotPoint> {
    let text = fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("bench-results.json is not JSON");
    json["results"]
        .as_array()
        .expect("bench-results.json has no results")
        .iter()
        .map(|result| PlotPoint {
            bodies: result["bodies"].as_u64().unwrap_or(0) as usize,
            wall: result["build"]["median_wall_s"].as_f64().unwrap_or(0.0),
            cpu: result["build"]["median_cpu_s"].as_f64().unwrap_or(0.0),
            without_search: result["without_search"]["median_wall_s"].as_f64().unwrap_or(0.0),
        })
        .collect()
}

/// "386 ms", "10.6 s", "196 s".
fn seconds_label(seconds: f64) -> String {
    match seconds {
        s if s < 1.0 => format!("{:.0} ms", s * 1000.0),
        s if s < 100.0 => format!("{s:.1} s"),
        s => format!("{s:.0} s"),
    }
}

/// Wall time of `remiss build` against N, with the least-squares line and the targets.
fn svg(results: &[PlotPoint]) -> String {
    let (width, height) = (640.0, 400.0);
    let (left, right, top, bottom) = (70.0, 20.0, 40.0, 60.0);
    let points: Vec<(f64, f64)> = results.iter().map(|point| (point.bodies as f64, point.wall)).collect();
    let cpu: Vec<(f64, f64)> = results.iter().map(|point| (point.bodies as f64, point.cpu)).collect();
    let (intercept, slope) = linear_fit(&points);
    let max_n = points.iter().map(|p| p.0).fold(0.0, f64::max).max(1.0);
    // The targets: 0.5 s at N = 2,000 and 2.5 s at N = 10,000, i.e. 0.25 ms per statement.
    let target = |n: f64| n * 0.25e-3;
    let max_y = points.iter().chain(&cpu).map(|p| p.1).fold(target(max_n), f64::max);
    let (x_top, x_step) = nice_axis(max_n);
    let (y_top, y_step) = nice_axis(max_y * 1.05);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let sx = |x: f64| left + x / x_top * plot_w;
    let sy = |y: f64| top + plot_h - y / y_top * plot_h;

    let mut svg = String::new();
    writeln!(svg, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#).unwrap();
    writeln!(svg, r#"<title>remiss build: wall time against the number of statements</title>"#).unwrap();
    writeln!(svg, r##"<rect width="{width}" height="{height}" fill="#fff"/>"##).unwrap();
    writeln!(svg, r#"<text x="{}" y="22" text-anchor="middle" font-size="14">remiss build, {PROPOSALS} proposals, {POSITIONS} positions per statement</text>"#, width / 2.0).unwrap();
    // Grid and ticks.
    let mut y = 0.0;
    while y <= y_top + 1e-9 {
        writeln!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/>"##,
            width - right,
            sy(y),
            sy(y)
        )
        .unwrap();
        writeln!(
            svg,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 6.0,
            sy(y) + 4.0,
            fmt_tick((y * 1000.0).round() / 1000.0)
        )
        .unwrap();
        y += y_step;
    }
    let mut x = 0.0;
    while x <= x_top + 1e-9 {
        writeln!(
            svg,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{top}" y2="{}" stroke="#eee"/>"##,
            sx(x),
            sx(x),
            top + plot_h
        )
        .unwrap();
        writeln!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            sx(x),
            top + plot_h + 16.0,
            fmt_tick(x)
        )
        .unwrap();
        x += x_step;
    }
    writeln!(svg, r##"<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#444"/>"##)
        .unwrap();
    writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle">statements (N)</text>"#,
        left + plot_w / 2.0,
        height - 22.0
    )
    .unwrap();
    writeln!(
        svg,
        r#"<text transform="translate(18 {}) rotate(-90)" text-anchor="middle">seconds</text>"#,
        top + plot_h / 2.0
    )
    .unwrap();
    // The target line, the fit and the points.
    writeln!(
        svg,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#c33" stroke-dasharray="6 4"/>"##,
        sx(0.0),
        sy(0.0),
        sx(x_top),
        sy(target(x_top))
    )
    .unwrap();
    let fit = |n: f64| intercept + slope * n;
    // The line starts where it crosses zero when its intercept is negative.
    let first_n = if intercept < 0.0 && slope > 0.0 { (-intercept / slope).min(max_n) } else { 0.0 };
    writeln!(
        svg,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#1f5fa8" stroke-width="1.5"/>"##,
        sx(first_n),
        sy(fit(first_n).max(0.0)),
        sx(max_n),
        sy(fit(max_n))
    )
    .unwrap();
    for point in results {
        let (n, seconds) = (point.bodies as f64, point.without_search);
        let (x, y) = (sx(n), sy(seconds));
        writeln!(svg, r##"<path d="M{:.1} {:.1} l5 9 h-10 z" fill="#2a8a3e"><title>N = {n}: {seconds:.3} s wall without the search index</title></path>"##, x, y - 5.0).unwrap();
    }
    for (n, seconds) in &cpu {
        writeln!(svg, r##"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="none" stroke="#777"><title>N = {n}: {seconds:.3} s CPU</title></rect>"##, sx(*n) - 4.0, sy(*seconds) - 4.0).unwrap();
    }
    for (n, seconds) in &points {
        writeln!(svg, r##"<circle cx="{:.1}" cy="{:.1}" r="4.5" fill="#1f5fa8"><title>N = {n}: {seconds:.3} s wall</title></circle>"##, sx(*n), sy(*seconds)).unwrap();
        writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{}">{}</text>"#,
            // The label goes left of the point, or right of it near the y axis.
            if sx(*n) - left < 80.0 { sx(*n) + 8.0 } else { sx(*n) - 8.0 },
            sy(*seconds) - 8.0,
            if sx(*n) - left < 80.0 { "start" } else { "end" },
            seconds_label(*seconds)
        )
        .unwrap();
    }
    // Legend.
    let (lx, ly) = (left + 12.0, top + 16.0);
    writeln!(
        svg,
        r##"<circle cx="{}" cy="{}" r="4.5" fill="#1f5fa8"/><text x="{}" y="{}">wall time, median</text>"##,
        lx + 6.0,
        ly - 4.0,
        lx + 18.0,
        ly
    )
    .unwrap();
    writeln!(svg, r##"<rect x="{}" y="{}" width="8" height="8" fill="none" stroke="#777"/><text x="{}" y="{}">CPU time (user + sys), median</text>"##, lx + 2.0, ly + 12.0, lx + 18.0, ly + 20.0).unwrap();
    writeln!(svg, r##"<line x1="{lx}" x2="{}" y1="{}" y2="{}" stroke="#1f5fa8" stroke-width="1.5"/><text x="{}" y="{}">least-squares fit: {:.2} s + {:.2} ms × N</text>"##, lx + 12.0, ly + 36.0, ly + 36.0, lx + 18.0, ly + 40.0, intercept, slope * 1000.0).unwrap();
    writeln!(svg, r##"<line x1="{lx}" x2="{}" y1="{}" y2="{}" stroke="#c33" stroke-dasharray="6 4"/><text x="{}" y="{}">target: 0.5 s at 2,000, 2.5 s at 10,000</text>"##, lx + 12.0, ly + 56.0, ly + 56.0, lx + 18.0, ly + 60.0).unwrap();
    writeln!(svg, r##"<path d="M{} {} l5 9 h-10 z" fill="#2a8a3e"/><text x="{}" y="{}">wall time without the search index, median</text>"##, lx + 6.0, ly + 71.0, lx + 18.0, ly + 80.0).unwrap();
    svg.push_str("</svg>\n");
    svg
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|name| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines().next().and_then(|line| line.split_whitespace().nth(1)).and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("unknown memory".into(), |kb| format!("{:.0} GiB RAM", kb / 1024.0 / 1024.0));
    // Other work on the machine skews wall times: say how busy it was.
    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(|one| format!(", load average {one} at the start")))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory}, {} {}{load}", std::env::consts::OS, std::env::consts::ARCH)
}

fn write_or_warn(path: &Path, bytes: &[u8]) {
    if let Err(error) = fs::write(path, bytes) {
        eprintln!("warning: cannot write {}: {error}", path.display());
    }
}
