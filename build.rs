// The default theme and the `remiss init` scaffold are compiled into the binary
// (include_dir), which cannot tell cargo to watch them on stable Rust: say it here.
//
// The tests that need a tool this machine may lack (Chromium, axe-core, strace, nginx,
// Java with the Nu Html Checker) are marked `ignore` with the reason when it is missing, so
// that cargo's summary counts them as ignored, never as passed. With
// REMISS_REQUIRE_BROWSER set (as in CI) they always run, and a missing tool fails them.
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/scaffold");
    println!("cargo:rerun-if-env-changed=REMISS_REQUIRE_BROWSER");
    println!("cargo:rerun-if-env-changed=PATH");
    // Installing a tool changes these folders, which cargo then scans again.
    println!("cargo:rerun-if-changed=tests/browser");
    let path_folders: Vec<PathBuf> = std::env::var_os("PATH").map(|path| std::env::split_paths(&path).collect()).unwrap_or_default();
    for folder in path_folders.iter().filter(|folder| folder.is_dir()) {
        println!("cargo:rerun-if-changed={}", folder.display());
    }
    let on_path = |name: &str| path_folders.iter().any(|folder| folder.join(name).is_file());
    let required = std::env::var_os("REMISS_REQUIRE_BROWSER").is_some();
    let tools = [
        ("has_chromium", Path::new("/usr/bin/chromium").exists()),
        ("has_axe", Path::new("tests/browser/node_modules/axe-core/axe.min.js").exists()),
        ("has_strace", on_path("strace")),
        ("has_nginx", on_path("nginx") || Path::new("/usr/sbin/nginx").exists()),
        ("has_vnu", on_path("java") && Path::new("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar").exists()),
    ];
    for (cfg, present) in tools {
        println!("cargo:rustc-check-cfg=cfg({cfg})");
        if present || required {
            println!("cargo:rustc-cfg={cfg}");
        }
    }
}
