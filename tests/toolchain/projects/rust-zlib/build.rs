// Compiles csrc/zdep.c with the cc crate (CC_<target> from the toolchain's
// environment or cargo.toml) and links the sysroot's zlib. A static musl
// target must ask for the static library: with a plain `rustc-link-lib=z`
// rustc passes `-Bdynamic -lz`, ld takes the sysroot's libz.so, and the
// static-pie it writes needs libz.so.1 with no loader to load it (it crashes).
fn main() {
    cc::Build::new().file("csrc/zdep.c").compile("zdep");
    println!("cargo:rustc-link-lib=static=z");
}
