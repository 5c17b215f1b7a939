//! The command line: `sendercheck parse`, `sendercheck rules`, `sendercheck check`.

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    eprintln!("sendercheck: nothing here yet");
    2
}
