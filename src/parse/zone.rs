//! Placeholder until the parser lands.

use crate::catalogue::Rule;

pub static RULES: &[Rule] = &[];
