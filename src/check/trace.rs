//! The resolver every check goes through: it counts the distinct questions asked (the queries
//! a de-duplicating cache sends) and measures the critical path, the longest chain of lookups
//! where each one needed the answer of the one before.
//!
//! The depth of a lookup is one more than the depth of the lookup whose answer the asking code
//! last resumed from. The engine is single-threaded and cooperative, so the code that runs
//! between one lookup's completion and the next lookup's start is exactly the code that
//! depended on that answer; a thread-local "depth of the answer being handled" captures it
//! without threading a depth argument through every check. Checks started side by side all
//! start at depth 0, so independent lookups are counted as parallel, as they are.

use std::cell::{Cell, RefCell};

use crate::future::LocalBoxFuture;

use crate::dns::{Lookup, Outcome, RecordType, Resolver};
use crate::vec_map::VecMap;

thread_local! {
    static CURRENT_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `body` with the current depth reset to zero, for a check started independently of
/// whatever answer is being handled now.
pub fn at_root<T>(body: impl FnOnce() -> T) -> T {
    let saved = CURRENT_DEPTH.with(|depth| depth.replace(0));
    let result = body();
    CURRENT_DEPTH.with(|depth| depth.set(saved));
    result
}

pub struct Traced<'r> {
    inner: &'r dyn Resolver,
    /// Each distinct question with the depth at which it was first asked.
    questions: RefCell<VecMap<(String, RecordType), u32>>,
    asked: Cell<usize>,
    max_depth: Cell<u32>,
    /// Whether every answer with records for the domain's own names carried the AD flag.
    validated: RefCell<ValidationTally>,
    watched_names: Vec<String>,
}

/// How many of the watched answers were DNSSEC-validated.
#[derive(Clone, Copy, Debug, Default)]
pub struct ValidationTally {
    pub answers: usize,
    pub authenticated: usize,
}

impl<'r> Traced<'r> {
    /// `watched_names` are the names whose answers decide the DNSSEC check (the domain's own).
    pub fn new(inner: &'r dyn Resolver, watched_names: Vec<String>) -> Traced<'r> {
        Traced {
            inner,
            questions: RefCell::new(VecMap::new()),
            asked: Cell::new(0),
            max_depth: Cell::new(0),
            validated: RefCell::new(ValidationTally::default()),
            watched_names,
        }
    }

    /// Distinct questions asked: what a de-duplicating cache sends to the network.
    pub fn queries(&self) -> usize {
        self.questions.borrow().len()
    }

    /// Every lookup call, repeated questions included.
    pub fn lookups_asked(&self) -> usize {
        self.asked.get()
    }

    pub fn critical_path(&self) -> u32 {
        self.max_depth.get()
    }

    pub fn validation(&self) -> ValidationTally {
        *self.validated.borrow()
    }
}

impl Resolver for Traced<'_> {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        let caller_depth = CURRENT_DEPTH.with(Cell::get);
        let key = (crate::dns::normalize_name(name), rtype);
        self.asked.set(self.asked.get() + 1);
        let (new_question, depth) = {
            let mut questions = self.questions.borrow_mut();
            match questions.get(&key) {
                // A repeated question costs no round trip: its answer arrives with the first
                // asker's, so the chain is as long as the longer of the two.
                Some(&first_depth) => (false, first_depth.max(caller_depth)),
                None => {
                    questions.insert(key.clone(), caller_depth + 1);
                    (true, caller_depth + 1)
                }
            }
        };
        if depth > self.max_depth.get() {
            self.max_depth.set(depth);
        }
        let answer = self.inner.lookup(name, rtype);
        Box::pin(async move {
            let lookup = answer.await;
            if new_question && self.watched_names.contains(&key.0) {
                if let Outcome::Records(_) = lookup.outcome {
                    let mut tally = self.validated.borrow_mut();
                    tally.answers += 1;
                    if lookup.authenticated {
                        tally.authenticated += 1;
                    }
                }
            }
            CURRENT_DEPTH.with(|current| current.set(depth));
            lookup
        })
    }
}
