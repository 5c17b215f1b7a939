//! sendercheck: email deliverability checks over DNS, for the browser (wasm32) and natively.
//!
//! See ARCHITECTURE.md for the map of the code and its invariants.

// Library code never panics on input (tests/no_panic_sites.rs checks the same by scanning the
// sources; docs/fuzzing.md says why that matters with `panic = "abort"`).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod catalogue;
pub mod check;
pub mod diag;
pub mod dns;
pub mod future;
pub mod ip;
pub mod parse;
pub mod spf;
pub(crate) mod text;
pub(crate) mod vec_map;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

// talc instead of std's dlmalloc: a smaller module (docs/size.md, step 7a). Each instance of the
// module (the page's, a worker's) has its own memory and one thread; talc panics at start on a
// target with atomics, which this cfg keeps it off.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(all(target_arch = "wasm32", feature = "bench-wasm"))]
pub mod bench_wasm;
