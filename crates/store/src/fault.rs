//! Fault injection for the crash tests: a process that dies at a chosen point
//! of an import, deterministically, instead of a kill timed from outside.
//!
//! Compiled in only with the cargo feature `fault-injection`; without it every
//! call here is an empty inline function. The import writers call [`point`] at
//! each *fault point*: after each record goes into the sorted runs, after each
//! batch the merge applies to sled, before the generation is sealed, before
//! its index file is renamed into place (when it has one), and last, through
//! [`last_point`], when the generation is complete but not yet current. Points are
//! numbered from 1 in the order they are reached, across the whole process.
//!
//! The environment, read once:
//!
//! - `GOVGRAPH_FAULT_AFTER_RECORDS=N`: at point N the process dies.
//! - `GOVGRAPH_FAULT_ACTION=abort` (the default): `std::process::abort()`, as a
//!   `kill -9` would leave it: no destructor runs, nothing is flushed.
//! - `GOVGRAPH_FAULT_ACTION=stall`: prints `govgraph-fault: stalled at point N`
//!   to standard error and sleeps, for the test to send a real `SIGKILL`; it
//!   aborts anyway after ten minutes, so a forgotten process does not linger.
//! - `GOVGRAPH_FAULT_TRACE=1`: [`last_point`] prints
//!   `govgraph-fault: last point N`, the number of points an import has, so
//!   that a test can spread N over them.

#[cfg(feature = "fault-injection")]
mod armed {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    /// What the environment asks for.
    struct Plan {
        after: Option<u64>,
        stall: bool,
        trace: bool,
    }

    static PLAN: OnceLock<Plan> = OnceLock::new();
    static REACHED: AtomicU64 = AtomicU64::new(0);

    fn plan() -> &'static Plan {
        PLAN.get_or_init(|| Plan {
            after: std::env::var("GOVGRAPH_FAULT_AFTER_RECORDS")
                .ok()
                .and_then(|n| n.trim().parse().ok()),
            stall: std::env::var("GOVGRAPH_FAULT_ACTION").is_ok_and(|a| a.trim() == "stall"),
            trace: std::env::var_os("GOVGRAPH_FAULT_TRACE").is_some(),
        })
    }

    /// One line on standard error, written at once (it is unbuffered).
    fn say(what: &str) {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "govgraph-fault: {what}");
    }

    /// Counts one point; dies there when it is the chosen one. Returns its number.
    pub(super) fn point() -> u64 {
        let plan = plan();
        let reached = REACHED.fetch_add(1, Ordering::SeqCst) + 1;
        if plan.after == Some(reached) {
            if plan.stall {
                say(&format!("stalled at point {reached}"));
                std::thread::sleep(std::time::Duration::from_secs(600));
            }
            std::process::abort();
        }
        reached
    }

    /// [`point`], and the count when tracing.
    pub(super) fn last_point() {
        let reached = point();
        if plan().trace {
            say(&format!("last point {reached}"));
        }
    }
}

/// A fault point: a record (or a batch) has just been written.
#[inline(always)]
pub(crate) fn point() {
    #[cfg(feature = "fault-injection")]
    armed::point();
}

/// The fault point after the last record, before the generation is sealed.
#[inline(always)]
pub(crate) fn last_point() {
    #[cfg(feature = "fault-injection")]
    armed::last_point();
}
