//! The `sendercheck` command line. All logic lives in the library (`sendercheck::cli`).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(sendercheck::cli::main());
}

// The binary is meaningless in the browser build; this keeps `cargo build --target
// wasm32-unknown-unknown` (which builds every target of the package) working.
#[cfg(target_arch = "wasm32")]
fn main() {}
