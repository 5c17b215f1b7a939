//! sendercheck: email deliverability checks over DNS, for the browser (wasm32) and natively.
//!
//! See ARCHITECTURE.md for the map of the code and its invariants.

pub mod catalogue;
pub mod check;
pub mod diag;
pub mod dns;
pub mod ip;
pub mod parse;
pub mod spf;


#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
