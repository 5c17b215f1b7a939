//! Futures on one thread, with little code per use: the boxed future type the engine passes
//! around, `join_all` and `join!`.
//!
//! The engine runs independent lookups side by side by joining futures, never by spawning
//! tasks (ARCHITECTURE.md). `futures`' joins are generic over every joined future, and its
//! `join_all` carries two strategies (a `MaybeDone` vector and `FuturesOrdered` with
//! `FuturesUnordered`); in the browser module that was about 65 KB of code. Here the one
//! polling loop, [`All`], is not generic: each joined future becomes a boxed task without
//! output that writes its result into a slot the caller owns, so a use costs one small task
//! type per future type.
//!
//! Futures are created when the join is written, before anything is polled, as with
//! `futures`: `check::trace` counts a lookup's depth when the lookup is called, and lookups
//! joined together must all start at the caller's depth.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A boxed future that need not be `Send` (the engine is single-threaded).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// `future.boxed_local()`: boxes a future as a [`LocalBoxFuture`].
pub trait FutureExt: Future {
    fn boxed_local<'a>(self) -> LocalBoxFuture<'a, Self::Output>
    where
        Self: Sized + 'a,
    {
        Box::pin(self)
    }
}

impl<F: Future> FutureExt for F {}

/// Runs tasks side by side: every poll polls each unfinished task with the caller's context,
/// and drops a task as soon as it is done. Polling all of them on every wake costs nothing
/// that matters at the engine's sizes (a few dozen tasks at most). Ready when all are done.
pub struct All<'a> {
    tasks: Vec<LocalBoxFuture<'a, ()>>,
}

impl<'a> All<'a> {
    pub fn new(tasks: Vec<LocalBoxFuture<'a, ()>>) -> All<'a> {
        All { tasks }
    }
}

impl Future for All<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.tasks.retain_mut(|task| task.as_mut().poll(cx).is_pending());
        if self.tasks.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// A task for [`All`]: awaits `future` and puts its output in `slot`.
pub fn task<'a, F>(future: F, slot: &'a mut Option<F::Output>) -> LocalBoxFuture<'a, ()>
where
    F: Future + 'a,
{
    Box::pin(async move { *slot = Some(future.await) })
}

/// Awaits every future side by side; the outputs come in the futures' order. The iterator is
/// consumed (so every future created) before any is polled.
pub async fn join_all<'a, F>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: Future + 'a,
{
    let futures: Vec<F> = futures.into_iter().collect();
    let mut outputs: Vec<Option<F::Output>> = Vec::new();
    outputs.resize_with(futures.len(), || None);
    All::new(
        outputs
            .iter_mut()
            .zip(futures)
            .map(|(slot, future)| task(future, slot))
            .collect(),
    )
    .await;
    // `All` is ready only when every task has filled its slot, so nothing is dropped here.
    outputs.into_iter().flatten().collect()
}

/// `join!(let (a, b) = (future_a, future_b));` awaits the futures side by side and binds each
/// output to its name, like `let (a, b) = futures::join!(future_a, future_b);`. For use in
/// async code only.
macro_rules! join {
    (let ($($name:ident),+ $(,)?) = ($($future:expr),+ $(,)?)) => {
        $(let mut $name = None;)+
        $crate::future::All::new(vec![$($crate::future::task($future, &mut $name)),+]).await;
        // `All` is ready only when every task has filled its slot: the `else` is never taken.
        // It waits forever rather than panic, so the library keeps no panic site here.
        let ($(Some($name),)+) = ($($name,)+) else {
            loop {
                std::future::pending::<()>().await
            }
        };
    };
}
pub(crate) use join;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::block::block_on;
    use std::cell::RefCell;

    /// Pending `n` times (waking itself), then ready with `value`, logging when it finishes.
    struct After<'a> {
        n: u32,
        value: u32,
        log: &'a RefCell<Vec<u32>>,
    }

    impl Future for After<'_> {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            if self.n == 0 {
                self.log.borrow_mut().push(self.value);
                Poll::Ready(self.value)
            } else {
                self.n -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[test]
    fn join_all_keeps_order_and_runs_side_by_side() {
        let log = RefCell::new(Vec::new());
        let outputs = block_on(join_all([3, 0, 2, 1].into_iter().map(|n| After {
            n,
            value: n * 10,
            log: &log,
        })));
        assert_eq!(outputs, [30, 0, 20, 10]);
        // Finished in order of their waits, not of the list: they ran concurrently.
        assert_eq!(*log.borrow(), [0, 10, 20, 30]);
        assert!(block_on(join_all(Vec::<After>::new())).is_empty());
    }

    #[test]
    fn join_binds_each_output() {
        let log = RefCell::new(Vec::new());
        let (a, b, c) = block_on(async {
            join!(let (a, b, c) = (
                After { n: 2, value: 1, log: &log },
                async { "two" },
                After { n: 1, value: 3, log: &log },
            ));
            (a, b, c)
        });
        assert_eq!((a, b, c), (1, "two", 3));
        assert_eq!(*log.borrow(), [3, 1]);
    }
}
