// The default theme and the `remiss init` scaffold are compiled into the binary
// (include_dir), which cannot tell cargo to watch them on stable Rust: say it here.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/scaffold");
}
