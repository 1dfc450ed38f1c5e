//! Writes a synthetic consultation site, for trying remiss on a site of any size:
//!
//! ```text
//! cargo run --release --example synthetic -- --bodies 2000 --proposals 300 --positions 12 --out /tmp/site [--seed 1]
//! remiss build --root /tmp/site
//! ```
//!
//! With `--consultations C` it writes an archive of C such consultations instead
//! (`content/remisser/remiss-001/` …, seeds S, S+1 …), each of `--bodies` bodies.
//!
//! The generator is `benches/synthetic.rs`, shared with the benchmark (`cargo bench --bench build`).

#[path = "synthetic.rs"]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: synthetic --bodies N --proposals M --positions K --out DIR [--seed S] [--consultations C]";

fn main() -> ExitCode {
    let mut bodies = None;
    let mut proposals = None;
    let mut positions = None;
    let mut out = None;
    let mut seed = 1u64;
    let mut consultations = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let Some(value) = inline.or_else(|| args.next()) else {
            return usage(&format!("{name} needs a value"));
        };
        let number = || value.parse::<u64>().map_err(|_| format!("{name} expects a whole number, not `{value}`"));
        let parsed = match name.as_str() {
            "--bodies" => number().map(|n| bodies = Some(n as usize)),
            "--proposals" => number().map(|n| proposals = Some(n as usize)),
            "--positions" => number().map(|n| positions = Some(n as usize)),
            "--seed" => number().map(|n| seed = n),
            "--consultations" => number().map(|n| consultations = n.max(1) as usize),
            "--out" => {
                out = Some(PathBuf::from(&value));
                Ok(())
            }
            _ => Err(format!("unknown argument `{arg}`")),
        };
        if let Err(message) = parsed {
            return usage(&message);
        }
    }
    let (Some(bodies), Some(proposals), Some(positions), Some(out)) = (bodies, proposals, positions, out) else {
        return usage("--bodies, --proposals, --positions and --out are required");
    };
    if proposals == 0 {
        return usage("--proposals must be at least 1");
    }
    if positions > proposals {
        return usage("--positions cannot exceed --proposals (one position per proposal per statement)");
    }
    let started = Instant::now();
    if consultations == 1 {
        synthetic::write_site(&out, bodies, proposals, positions, seed);
    } else if let Err(error) = write_archive(&out, consultations, bodies, proposals, positions, seed) {
        eprintln!("error: cannot write the archive to {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    println!(
        "Wrote a synthetic site ({consultations} consultation(s) of {bodies} statements, {proposals} proposals, {positions} positions each, seed {seed}) to {} in {} ms",
        out.display(),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}

/// An archive: each consultation written as a site of its own beside the archive, then
/// its content moved below `content/remisser/`.
fn write_archive(out: &std::path::Path, consultations: usize, bodies: usize, proposals: usize, positions: usize, seed: u64) -> std::io::Result<()> {
    let remisser = out.join("content/remisser");
    if out.join("content").exists() {
        std::fs::remove_dir_all(out.join("content"))?;
    }
    std::fs::create_dir_all(&remisser)?;
    let part = out.join(".part");
    for number in 0..consultations {
        synthetic::write_site(&part, bodies, proposals, positions, seed + number as u64);
        std::fs::rename(part.join("content"), remisser.join(format!("remiss-{:03}", number + 1)))?;
    }
    std::fs::rename(part.join("config.toml"), out.join("config.toml"))?;
    std::fs::remove_dir_all(&part)?;
    std::fs::write(
        out.join("content/_index.md"),
        format!("+++\ntitle = \"Syntetiska remisser ({consultations} st.)\"\n+++\nEtt påhittat arkiv för att mäta hur remiss klarar många remisser.\n"),
    )
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n{USAGE}");
    ExitCode::from(2)
}
