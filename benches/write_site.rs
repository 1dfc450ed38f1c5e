//! Writes a synthetic consultation site, for trying remiss on a site of any size:
//!
//! ```text
//! cargo run --release --example synthetic -- --bodies 2000 --proposals 300 --positions 12 --out /tmp/site [--seed 1]
//! remiss build --root /tmp/site
//! ```
//!
//! The generator is `benches/synthetic.rs`, shared with the benchmark (`cargo bench --bench build`).

#[path = "synthetic.rs"]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: synthetic --bodies N --proposals M --positions K --out DIR [--seed S]";

fn main() -> ExitCode {
    let mut bodies = None;
    let mut proposals = None;
    let mut positions = None;
    let mut out = None;
    let mut seed = 1u64;
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
    synthetic::write_site(&out, bodies, proposals, positions, seed);
    println!(
        "Wrote a synthetic site ({bodies} statements, {proposals} proposals, {positions} positions each, seed {seed}) to {} in {} ms",
        out.display(),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n{USAGE}");
    ExitCode::from(2)
}
