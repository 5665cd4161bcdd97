//! Put the memory map for the target being built on the linker's search path.
//!
//! The file is copied under the name `memory.x` into OUT_DIR, a directory per
//! target and profile, so an M0 and an M4 build never see each other's map.

use std::{env, fs, path::PathBuf};

fn main() {
    let target = env::var("TARGET").unwrap_or_default();
    let map = if target.starts_with("thumbv6m") {
        "memory-m0.x"
    } else {
        "memory-m4.x"
    };
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy(map, out.join("memory.x")).expect("memory map is readable");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed={map}");
    println!("cargo:rerun-if-changed=build.rs");
}
