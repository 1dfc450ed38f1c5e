//! The integration tests of the `remiss` command, one module per feature.
//!
//! Each test copies a fixture site (`tests/fixtures/`) into a temporary folder, runs the
//! real binary on it and asserts on what a reader or an editor would see: the parsed
//! HTML pages, the open-data files, the exit code and the diagnostics on stderr.

mod browser;
mod support;

mod accessibility;
mod archive;
mod bundled;
mod corpus;
mod data;
mod edit;
mod errors;
mod faults;
mod import;
mod init;
mod keyboard;
mod layout;
mod load;
mod output;
mod paths;
mod publish;
mod search;
mod serve;
mod site;
mod suggest;
mod validity;
