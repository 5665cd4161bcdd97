//! Give the shared library an soname, so a program linked against
//! `libverifier.so` records `libverifier.so.0` and a later incompatible ABI
//! (`.so.1`) can be installed beside it.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "android" || os.ends_with("bsd") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libverifier.so.0");
    }
}
