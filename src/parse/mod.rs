//! Record parsers, one module per record kind. Each returns the typed value together with its
//! diagnostics ([`crate::diag::Parsed`]); none of them fails or panics on any input.

pub mod bimi;
pub mod dkim;
pub mod dmarc;
pub mod mta_sts;
pub mod spf;
pub mod tags;
pub mod tlsrpt;
pub mod zone;

use crate::catalogue::Rule;

/// Rules shared by several record kinds (kind detection, text encoding).
pub static RULES: &[&Rule] = &[];
pub mod analyze;
