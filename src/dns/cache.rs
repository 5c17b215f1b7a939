//! One cache for a check: each (name, type) is asked once, concurrent askers share the one
//! query, and no more than a bound of queries are in flight at a time. Single-threaded
//! (Rc/RefCell), like the rest of the engine.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::{normalize_name, Lookup, RecordType, Resolver};
use crate::future::LocalBoxFuture;
use crate::vec_map::VecMap;

/// The default bound on queries in flight.
pub const DEFAULT_IN_FLIGHT: usize = 16;

/// Caches answers of `R` for the life of the cache (one check). Failures are cached too: within
/// one check the same question gets the same answer, which keeps the report consistent.
pub struct Cache<R> {
    inner: Rc<R>,
    state: CacheState,
}

/// Everything but the resolver's type, so the code is the same for every `Cache<R>`.
struct CacheState {
    entries: RefCell<VecMap<(String, RecordType), Rc<Entry>>>,
    limit: Rc<Semaphore>,
    sent: Rc<Cell<usize>>,
    hits: Cell<usize>,
}

impl<R: Resolver + 'static> Cache<R> {
    pub fn new(inner: R) -> Cache<R> {
        Cache::with_limit(inner, DEFAULT_IN_FLIGHT)
    }

    /// A cache letting at most `in_flight` queries (at least 1) run at a time.
    pub fn with_limit(inner: R, in_flight: usize) -> Cache<R> {
        Cache {
            inner: Rc::new(inner),
            state: CacheState {
                entries: RefCell::new(VecMap::new()),
                limit: Rc::new(Semaphore::new(in_flight.max(1))),
                sent: Rc::new(Cell::new(0)),
                hits: Cell::new(0),
            },
        }
    }

    /// Queries actually passed to the inner resolver.
    pub fn queries_sent(&self) -> usize {
        self.state.sent.get()
    }

    /// Lookups answered from the cache or by joining a query already in flight.
    pub fn cache_hits(&self) -> usize {
        self.state.hits.get()
    }

    pub fn inner(&self) -> &R {
        &self.inner
    }
}

impl<R: Resolver + 'static> Resolver for Cache<R> {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        self.state
            .lookup(Rc::clone(&self.inner) as Rc<dyn Resolver>, name, rtype)
    }
}

impl CacheState {
    fn lookup(&self, inner: Rc<dyn Resolver>, name: &str, rtype: RecordType) -> LocalBoxFuture<'static, Lookup> {
        let key = (normalize_name(name), rtype);
        let existing = self.entries.borrow().get(&key).cloned();
        let entry = match existing {
            Some(entry) => {
                self.hits.set(self.hits.get() + 1);
                entry
            }
            None => {
                let limit = Rc::clone(&self.limit);
                let sent = Rc::clone(&self.sent);
                let name = key.0.clone();
                let query: LocalBoxFuture<'static, Lookup> = Box::pin(async move {
                    let _permit = limit.acquire().await;
                    sent.set(sent.get() + 1);
                    inner.lookup(&name, rtype).await
                });
                let entry = Rc::new(Entry {
                    state: RefCell::new(State::Running {
                        query: Some(query),
                        waiting: Vec::new(),
                    }),
                });
                self.entries.borrow_mut().insert(key, Rc::clone(&entry));
                entry
            }
        };
        Box::pin(Ask(entry))
    }
}

/// One question's query, shared by every asker: in flight, then answered.
struct Entry {
    state: RefCell<State>,
}

enum State {
    /// `query` is driven by whichever asker polls it (it is out of its slot while polled);
    /// `waiting` holds the wakers of every asker so far, all woken when the answer comes.
    Running {
        query: Option<LocalBoxFuture<'static, Lookup>>,
        waiting: Vec<Waker>,
    },
    Answered(Lookup),
}

/// One asker's future: the entry's answer, driving the query while it runs.
struct Ask(Rc<Entry>);

impl Future for Ask {
    type Output = Lookup;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Lookup> {
        let entry = &self.0;
        let mut query = match &mut *entry.state.borrow_mut() {
            State::Answered(lookup) => return Poll::Ready(lookup.clone()),
            State::Running { query, waiting } => {
                if !waiting.iter().any(|w| w.will_wake(cx.waker())) {
                    waiting.push(cx.waker().clone());
                }
                match query.take() {
                    Some(query) => query,
                    // Another asker is polling it right now; its answer wakes this one.
                    None => return Poll::Pending,
                }
            }
        };
        // Polled with the entry not borrowed: the query's own code may run anything.
        let polled = query.as_mut().poll(cx);
        let mut state = entry.state.borrow_mut();
        match polled {
            Poll::Ready(lookup) => {
                let running = std::mem::replace(&mut *state, State::Answered(lookup.clone()));
                drop(state);
                if let State::Running { waiting, .. } = running {
                    waiting.into_iter().for_each(Waker::wake);
                }
                Poll::Ready(lookup)
            }
            Poll::Pending => {
                if let State::Running { query: slot, .. } = &mut *state {
                    *slot = Some(query);
                }
                Poll::Pending
            }
        }
    }
}

impl Drop for Ask {
    /// The query keeps the waker of the asker that polled it last. If that asker goes away
    /// before the answer, the others would never hear of it: wake them, and the next one to
    /// poll the query hands it its own waker.
    fn drop(&mut self) {
        if let State::Running { waiting, .. } = &mut *self.0.state.borrow_mut() {
            waiting.drain(..).for_each(Waker::wake);
        }
    }
}

/// A small async counting semaphore for one thread.
pub struct Semaphore {
    state: RefCell<SemaphoreState>,
}

struct SemaphoreState {
    available: usize,
    /// Waiters in arrival order. A waiter only the queue still holds has given up.
    waiters: VecDeque<Rc<Waiter>>,
}

#[derive(Default)]
struct Waiter {
    /// Set when a slot was handed to this waiter.
    granted: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

/// Held while a query runs; gives the slot back (to the next waiter, if any) when dropped.
pub struct Permit {
    semaphore: Rc<Semaphore>,
}

/// The future of [`Semaphore::acquire`].
pub struct Acquire {
    semaphore: Rc<Semaphore>,
    /// This asker's place in the queue, once it had to wait.
    waiter: Option<Rc<Waiter>>,
}

impl Semaphore {
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            state: RefCell::new(SemaphoreState {
                available: permits,
                waiters: VecDeque::new(),
            }),
        }
    }

    pub fn acquire(self: &Rc<Self>) -> Acquire {
        Acquire {
            semaphore: Rc::clone(self),
            waiter: None,
        }
    }

    fn release(&self) {
        let mut state = self.state.borrow_mut();
        // Hand the slot to the first waiter still waiting; waiters that gave up are skipped.
        while let Some(waiter) = state.waiters.pop_front() {
            if Rc::strong_count(&waiter) > 1 {
                waiter.granted.set(true);
                drop(state);
                if let Some(waker) = waiter.waker.take() {
                    waker.wake();
                }
                return;
            }
        }
        state.available += 1;
    }

    /// Slots free right now.
    pub fn available(&self) -> usize {
        self.state.borrow().available
    }
}

impl Future for Acquire {
    type Output = Permit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let this = &mut *self;
        match &this.waiter {
            Some(waiter) if waiter.granted.get() => this.waiter = None,
            Some(waiter) => {
                waiter.waker.set(Some(cx.waker().clone()));
                return Poll::Pending;
            }
            None => {
                let mut state = this.semaphore.state.borrow_mut();
                if state.available > 0 {
                    state.available -= 1;
                } else {
                    let waiter = Rc::new(Waiter::default());
                    waiter.waker.set(Some(cx.waker().clone()));
                    state.waiters.push_back(Rc::clone(&waiter));
                    this.waiter = Some(waiter);
                    return Poll::Pending;
                }
            }
        }
        Poll::Ready(Permit {
            semaphore: Rc::clone(&this.semaphore),
        })
    }
}

impl Drop for Acquire {
    /// Gives back a slot that was handed to this waiter after it stopped waiting.
    fn drop(&mut self) {
        if let Some(waiter) = self.waiter.take() {
            if waiter.granted.get() {
                self.semaphore.release();
            }
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::block::block_on;
    use crate::dns::{Outcome, RData};
    use crate::future::{join_all, FutureExt};
    use std::future::Future;
    use std::net::Ipv4Addr;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// Pending once, so concurrent lookups really overlap.
    struct YieldNow(bool);

    impl Future for YieldNow {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[derive(Default)]
    struct Slow {
        calls: Cell<usize>,
        running: Cell<usize>,
        most_running: Cell<usize>,
    }

    impl Resolver for Slow {
        fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
            async move {
                self.calls.set(self.calls.get() + 1);
                self.running.set(self.running.get() + 1);
                self.most_running.set(self.most_running.get().max(self.running.get()));
                for _ in 0..3 {
                    YieldNow(false).await;
                }
                self.running.set(self.running.get() - 1);
                Lookup::new(name, rtype, Outcome::Records(vec![RData::A(Ipv4Addr::LOCALHOST)]))
            }
            .boxed_local()
        }
    }

    #[test]
    fn concurrent_identical_lookups_share_one_query() {
        let cache = Cache::new(Slow::default());
        let lookups = block_on(join_all([
            cache.lookup("a.test", RecordType::A),
            cache.lookup("A.TEST.", RecordType::A),
            cache.lookup("a.test", RecordType::A),
        ]));
        assert!(lookups.iter().all(|l| l.outcome.records().len() == 1));
        assert_eq!(cache.queries_sent(), 1);
        assert_eq!(cache.cache_hits(), 2);
        // Later lookups come from the cache; another type is another query.
        block_on(cache.lookup("a.test", RecordType::A));
        block_on(cache.lookup("a.test", RecordType::Txt));
        assert_eq!(cache.queries_sent(), 2);
        assert_eq!(cache.cache_hits(), 3);
        assert_eq!(cache.inner().calls.get(), 2);
    }

    #[test]
    fn in_flight_bound() {
        let cache = Cache::with_limit(Slow::default(), 3);
        let names: Vec<String> = (0..10).map(|i| format!("n{i}.test")).collect();
        let lookups = block_on(join_all(names.iter().map(|n| cache.lookup(n, RecordType::A))));
        assert_eq!(lookups.len(), 10);
        assert_eq!(cache.queries_sent(), 10);
        assert_eq!(cache.inner().most_running.get(), 3);
        assert_eq!(cache.state.limit.available(), 3);
    }

    #[test]
    fn dropped_waiter_does_not_leak_a_slot() {
        let semaphore = Rc::new(Semaphore::new(1));
        let first = block_on(semaphore.acquire());
        let mut waiting = Box::pin(semaphore.acquire());
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        drop(first); // hands the slot to the waiter
        drop(waiting); // which gives up before running
        assert_eq!(semaphore.available(), 1);
        drop(block_on(semaphore.acquire()));
        assert_eq!(semaphore.available(), 1);
    }
}
