//! A site of one statement: arbitrary bytes as `content/statements/instans.md` beside a
//! fixed config, consultation, area and proposal (`forslag`), built in memory with
//! `remiss::build`. Ok or a list of problems; never a panic. Every problem is rendered
//! the way the command line shows it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use remiss::config::Overrides;
use remiss::diagnostic::render_report;
use std::path::PathBuf;
use std::sync::OnceLock;

const CONFIG: &str = "title = \"Remissvar\"\nbase_url = \"https://example.org/remiss\"\ndefault_language = \"sv\"\nminify_html = true\n";
const CONSULTATION: &str = "+++\ntitle = \"Betänkandet\"\nissuer = \"Finansdepartementet\"\ndeadline = 2018-10-31\n\n[[documents]]\ntitle = \"Betänkandet\"\nreference = \"SOU 2018:47\"\n+++\nInledning.\n";
const AREA: &str = "+++\ntitle = \"Styrning\"\nweight = 1\nreports = [\"SOU 2018:47\"]\n+++\nOm styrning.\n";
const PROPOSAL: &str = "+++\ntitle = \"Förslaget\"\nkind = \"forslag\"\naddressees = [\"regeringen\"]\nreport = \"SOU 2018:47\"\n+++\nStaten ska göra så.\n";

fn site() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = remiss_fuzz::scratch().join("site");
        remiss_fuzz::write(&root, "config.toml", CONFIG.as_bytes());
        remiss_fuzz::write(&root, "content/_index.md", CONSULTATION.as_bytes());
        remiss_fuzz::write(&root, "content/proposals/styrning/_index.md", AREA.as_bytes());
        remiss_fuzz::write(&root, "content/proposals/styrning/forslag.md", PROPOSAL.as_bytes());
        root
    })
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    remiss_fuzz::write(root, "content/statements/instans.md", data);
    let drafts = data.len() % 2 == 1;
    match remiss::build(root, &Overrides { base_url: None, drafts }) {
        Ok(build) => assert!(!build.rendered.files.is_empty()),
        Err(problems) => {
            let _ = render_report(&problems);
        }
    }
});
