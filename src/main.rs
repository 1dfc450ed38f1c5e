//! The `remiss` command: a thin layer that parses arguments, calls the library and maps
//! the outcome to an exit code (0 success, 1 content or template errors, 2 usage).

use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use remiss::BuildError;
use remiss::config::Overrides;
use remiss::diagnostic::{Diagnostic, render_report};
use remiss::output::Replace;
use remiss::serve::ServeOptions;

#[derive(Parser)]
#[command(name = "remiss", version, about = "A static site generator for public-consultation material")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new consultation site that builds at once
    Init {
        /// Where to create it
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Create an archive of two consultations (content/remisser/<slug>/) instead
        #[arg(long)]
        archive: bool,
    },
    /// Build the site into the output folder (public/ by default)
    Build {
        /// The site's folder (where config.toml is)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public]
        #[arg(long, short)]
        output_dir: Option<PathBuf>,
        /// Use this base URL instead of config.toml's
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts
        #[arg(long)]
        drafts: bool,
        /// Replace the output folder even if remiss did not write it (never the site's own folders)
        #[arg(long)]
        force: bool,
    },
    /// Preview the site: build it in memory, serve it, rebuild and reload on every change
    Serve {
        /// The site's folder (where config.toml is)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; anything but loopback shows the preview to others
        #[arg(long, default_value = "127.0.0.1")]
        interface: IpAddr,
        /// The port to listen on (the next free one is taken if it is in use)
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Use this base URL instead of http://<interface>:<port>
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts
        #[arg(long)]
        drafts: bool,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
        /// Offer editing (writing positions into content/) on an interface other than
        /// loopback: anyone who can reach the machine and read a page could then write
        #[arg(long)]
        edit_on_network: bool,
    },
    /// Import statements (PDF, DOCX, ODT, text) as drafts in content/statements/
    /// (in an archive, content/remisser/<slug>/statements/)
    Import {
        /// The files to import, one statement each
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The statement's id (its file name without .md) [default: from the file's name]
        #[arg(long)]
        id: Option<String>,
        /// The site's folder (where config.toml is)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace a statement that already exists
        #[arg(long)]
        force: bool,
        /// In an archive, the consultation the statements answer (its folder name
        /// below content/remisser/)
        #[arg(long, value_name = "SLUG")]
        consultation: Option<String>,
    },
    /// Check the site and every internal link, writing nothing
    Check {
        /// The site's folder (where config.toml is)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include drafts
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init { dir, archive } => init(&dir, archive),
        Command::Build { root, output_dir, base_url, drafts, force } => {
            let output = output_dir.unwrap_or_else(|| root.join("public"));
            let replace = if force { Replace::Anything } else { Replace::OwnOutput };
            build(&root, &output, &Overrides { base_url, drafts }, replace)
        }
        Command::Import { files, id, root, force, consultation } => import(&files, id.as_deref(), &root, force, consultation.as_deref()),
        Command::Check { root, drafts } => check(&root, &Overrides { base_url: None, drafts }),
        Command::Serve { root, interface, port, base_url, drafts, open, edit_on_network } => {
            match remiss::serve::serve(ServeOptions { root, interface, port, base_url, drafts, open, edit_on_network }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => fail(&error.to_string()),
            }
        }
    }
}

fn init(dir: &Path, archive: bool) -> ExitCode {
    let (made, what) = if archive {
        (remiss::init::init_archive(dir), "an archive of two consultations")
    } else {
        (remiss::init::init(dir), "a consultation site")
    };
    match made {
        Ok(files) => {
            say(&format!("Created {what} in {} ({} files).", dir.display(), files.len()));
            say(&format!("Build it with: remiss build --root {}", dir.display()));
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error.to_string()),
    }
}

/// Imports each file, going on past a file that fails; exit 1 if any did.
fn import(files: &[PathBuf], id: Option<&str>, root: &Path, force: bool, consultation: Option<&str>) -> ExitCode {
    let usage = |message: String| {
        let _ = writeln!(std::io::stderr(), "error: {message}");
        ExitCode::from(2)
    };
    if id.is_some() && files.len() > 1 {
        return usage(format!("--id names one statement, but {} files were given; import them one at a time, or leave out --id", files.len()));
    }
    // The consultation's folder and a session on it: its proposals, to read positions
    // on them in each statement.
    let slugs = remiss::archive::is_archive(root).then(|| remiss::archive::consultation_slugs(root).0);
    let (content, mut session) = match (&slugs, consultation) {
        (None, None) => (PathBuf::from("content"), remiss::Session::open(root, Overrides::default())),
        (None, Some(_)) => return usage(format!("{} holds one consultation, not an archive: leave out --consultation", root.display())),
        (Some(slugs), Some(slug)) if slugs.iter().any(|known| known == slug) => {
            (remiss::archive::consultation_folder(slug), remiss::Session::open_in_archive(root, Overrides::default(), slug))
        }
        (Some(slugs), named) => {
            let which = named.map_or_else(|| "name the consultation".to_owned(), |slug| format!("there is no consultation `{slug}`; name one"));
            return usage(format!("{} is an archive of consultations: {which} with --consultation (one of: {})", root.display(), slugs.join(", ")));
        }
    };
    // A site that does not build yet gets drafts without suggestions.
    let proposals = match session.load() {
        Ok((site, _)) => Some(remiss::suggest::Consultation::from_site(&site)),
        Err(_) if !root.join("config.toml").is_file() => None,
        Err(_) => {
            say("The site has errors (see `remiss check`), so no positions are suggested; the drafts are written all the same.");
            None
        }
    };
    let mut failed = 0;
    for file in files {
        let written = remiss::import::import(root, &content, file, id).and_then(|mut draft| {
            if let Some(proposals) = &proposals {
                draft.positions = remiss::suggest::suggest(&draft.body, proposals);
            }
            draft.write(root, &content, force)
        });
        match written {
            Ok(written) => {
                say(&format!("Wrote {} (draft) from {}. Check:", written.path.display(), file.display()));
                for check in &written.checks {
                    say(&format!("  - {check}"));
                }
            }
            Err(error) => {
                let _ = writeln!(std::io::stderr(), "error: {error}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        let _ = writeln!(std::io::stderr(), "error: {failed} of {} files were not imported", files.len());
        return ExitCode::from(1);
    }
    say(&format!("Preview the drafts with: remiss serve --drafts --root {}", root.display()));
    ExitCode::SUCCESS
}

fn build(root: &Path, output: &Path, overrides: &Overrides, replace: Replace) -> ExitCode {
    let started = Instant::now();
    let unchanged = format!("{} was left unchanged", output.display());
    let waiting = || say(&format!("Waiting for another build into {} to finish…", output.display()));
    // What was built: pages, [proposals, statements, positions], warnings, and for an
    // archive how many consultations it holds.
    let built = if remiss::archive::is_archive(root) {
        remiss::archive::build_into(root, output, overrides, replace, waiting).map(|written| {
            let archive = written.archive;
            let counts = [archive.proposals(), archive.statements(), archive.positions()];
            (written.pages, counts, archive.warnings, format!("an archive of {} consultations: ", archive.consultations.len()))
        })
    } else {
        remiss::build_into(root, output, overrides, replace, waiting).map(|written| {
            let site = written.site;
            let counts = [site.proposals.len(), site.statements.len(), site.positions.len()];
            (written.pages, counts, site.warnings, String::new())
        })
    };
    let (pages, [proposals, statements, positions], warnings, archive) = match built {
        Ok(built) => built,
        Err(BuildError::Site(problems)) => return report(&problems, &unchanged),
        Err(BuildError::Output(error)) => return fail(&format!("{error}; {unchanged}")),
    };
    warn(&warnings);
    say(&format!(
        "Built {archive}{pages} pages ({proposals} proposals, {statements} statements, {positions} positions) in {} ms into {}",
        started.elapsed().as_millis(),
        output.display(),
    ));
    ExitCode::SUCCESS
}

fn check(root: &Path, overrides: &Overrides) -> ExitCode {
    let started = Instant::now();
    let (rendered, config, warnings, counts) = if remiss::archive::is_archive(root) {
        let archive = match remiss::archive::load(root, overrides) {
            Ok(archive) => archive,
            Err(problems) => return report(&problems, "nothing was written"),
        };
        let rendered = match remiss::archive::render(&archive) {
            Ok(rendered) => rendered,
            Err(problems) => return report(&problems, "nothing was written"),
        };
        let counts = [archive.proposals(), archive.statements(), archive.positions()];
        (rendered, archive.hub.config, archive.warnings, counts)
    } else {
        let built = match remiss::build(root, overrides) {
            Ok(built) => built,
            Err(problems) => return report(&problems, "nothing was written"),
        };
        let site = built.site;
        let counts = [site.proposals.len(), site.statements.len(), site.positions.len()];
        (built.rendered, site.config, site.warnings, counts)
    };
    let links = remiss::links::check(&rendered, &config.base_url, &config.base_path, &[remiss::routes::SEARCH_FOLDER]);
    if !links.broken.is_empty() {
        return report(&links.broken, "nothing was written");
    }
    warn(&warnings);
    say(&format!(
        "Checked {} pages ({} proposals, {} statements, {} positions) and {} links ({} external, not fetched) in {} ms: no problems",
        rendered.page_count(),
        counts[0],
        counts[1],
        counts[2],
        links.checked,
        links.external.len(),
        started.elapsed().as_millis(),
    ));
    // External links are listed for a person to look at: checking them would need the
    // network, and a preview must not depend on other sites.
    let mut external: Vec<&str> = links.external.iter().map(|(_, url)| url.as_str()).collect();
    external.sort_unstable();
    external.dedup();
    for url in external {
        say(&format!("  external, not fetched: {url}"));
    }
    ExitCode::SUCCESS
}

/// Prints every problem with its source line, then a summary; exit code 1.
fn report(problems: &[Diagnostic], outcome: &str) -> ExitCode {
    let mut text = render_report(problems);
    let warnings = problems.iter().filter(|problem| problem.is_warning()).count();
    let count = problems.len() - warnings;
    let noun = if count == 1 { "problem" } else { "problems" };
    let and_warnings = match warnings {
        0 => String::new(),
        1 => " and 1 warning".to_owned(),
        _ => format!(" and {warnings} warnings"),
    };
    text.push_str(&format!("error: found {count} {noun}{and_warnings}; {outcome}\n"));
    let _ = std::io::stderr().write_all(text.as_bytes());
    ExitCode::from(1)
}

/// Prints the warnings of a site that was built, each with its source line.
fn warn(warnings: &[Diagnostic]) {
    if warnings.is_empty() {
        return;
    }
    let mut text = render_report(warnings);
    let noun = if warnings.len() == 1 { "warning" } else { "warnings" };
    text.push_str(&format!("warning: {} {noun}; the site was built all the same\n", warnings.len()));
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(1)
}

/// Prints a line on standard output; a closed pipe (`remiss build | head`) is not an error.
fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}
