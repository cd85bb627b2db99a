//! Cooperative interruption of long graph work.
//!
//! A server runs each heavy GraphQL request on a thread of its own, inside
//! [`Interrupt::run`]. The long loops of this crate (k-path search, text search,
//! timelines, network and implementation scans, breadth-first walks) ask
//! [`interrupted`] now and then and, once it says yes, stop and return what they
//! have. The caller then discards that partial answer: [`Interrupt::fired`] says
//! the request was cut short.
//!
//! The interrupt is ambient (a thread-local) rather than an argument because the
//! loops run several calls deep under async-graphql's resolvers, which own the
//! call signatures in between; and because everyone else (the CLI, exports,
//! benchmarks) never interrupts, so an argument would be noise at every call.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Asks of the clock only every this many checks: a check must cost next to
/// nothing in a loop over a million relations.
const CLOCK_EVERY: u32 = 256;

/// A stop signal for one piece of work: a flag anyone holding a clone can
/// raise (a client that went away), and an optional deadline.
#[derive(Clone, Debug, Default)]
pub struct Interrupt {
    raised: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

struct Installed {
    interrupt: Interrupt,
    checks: u32,
}

thread_local! {
    static CURRENT: RefCell<Option<Installed>> = const { RefCell::new(None) };
}

impl Interrupt {
    /// An interrupt that fires when raised, or at `deadline` when given.
    pub fn new(deadline: Option<Instant>) -> Interrupt {
        Interrupt {
            raised: Arc::default(),
            deadline,
        }
    }

    /// Asks the work to stop.
    pub fn raise(&self) {
        self.raised.store(true, Ordering::Relaxed);
    }

    /// Whether the work was asked to stop, or its deadline has passed.
    pub fn fired(&self) -> bool {
        self.raised.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Runs `work` on this thread with this interrupt in force.
    pub fn run<R>(&self, work: impl FnOnce() -> R) -> R {
        struct Restore(Option<Installed>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|c| *c.borrow_mut() = previous);
            }
        }
        let installed = Installed {
            interrupt: self.clone(),
            checks: 0,
        };
        let _restore = Restore(CURRENT.with(|c| c.borrow_mut().replace(installed)));
        work()
    }
}

/// Whether the work running on this thread should stop now. Always false
/// outside [`Interrupt::run`].
pub(crate) fn interrupted() -> bool {
    CURRENT.with(|c| {
        let mut current = c.borrow_mut();
        let Some(installed) = current.as_mut() else {
            return false;
        };
        if installed.interrupt.raised.load(Ordering::Relaxed) {
            return true;
        }
        installed.checks = installed.checks.wrapping_add(1);
        installed.checks % CLOCK_EVERY == 0
            && installed
                .interrupt
                .deadline
                .is_some_and(|d| Instant::now() >= d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_work_inside_run_sees_the_interrupt() {
        let interrupt = Interrupt::new(None);
        assert!(!interrupt.run(interrupted));
        interrupt.raise();
        assert!(interrupt.run(interrupted));
        assert!(!interrupted(), "nothing is in force outside run");
        assert!(interrupt.fired());
    }

    #[test]
    fn a_passed_deadline_is_noticed_within_a_few_checks() {
        let interrupt = Interrupt::new(Some(Instant::now()));
        let checks = interrupt.run(|| (1..=CLOCK_EVERY * 2).find(|_| interrupted()));
        assert!(checks.is_some_and(|n| n <= CLOCK_EVERY));
        assert!(interrupt.fired());
    }

    #[test]
    fn nested_runs_restore_the_outer_interrupt() {
        let outer = Interrupt::new(None);
        outer.raise();
        outer.run(|| {
            Interrupt::new(None).run(|| assert!(!interrupted()));
            assert!(interrupted());
        });
    }
}
