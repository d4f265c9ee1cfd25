// A Rust program with a C dependency: csrc/zdep.c, compiled by the build
// script with the cc crate, calls the sysroot's zlib. It uses std: a thread,
// a panic caught by unwinding (std's unwinder links -lunwind), println!.
use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_ulong};

extern "C" {
    fn zdep_crc(s: *const c_char) -> c_ulong;
    fn zdep_version() -> *const c_char;
    fn zdep_roundtrip() -> c_int;
}

fn main() {
    let worker = std::thread::spawn(|| unsafe {
        (zdep_crc(b"musl\0".as_ptr() as *const c_char), zdep_roundtrip())
    });
    let (crc, roundtrip) = worker.join().expect("the thread panicked");
    let version = unsafe { CStr::from_ptr(zdep_version()) }.to_string_lossy().into_owned();
    std::panic::set_hook(Box::new(|_| {}));
    let unwound = std::panic::catch_unwind(|| panic!("caught")).is_err();
    println!("rust ok crc {:08x} zlib {} roundtrip {} unwind {}", crc, version, roundtrip, unwound);
}
