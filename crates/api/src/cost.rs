//! What each field may cost, counted by async-graphql's complexity rule before
//! anything runs (the limit is `Limits::complexity`).
//!
//! A plain field costs 1. A list costs its length times its children. Fields
//! that do work beyond their answer's size are counted by that work: a k-path
//! search by its spur searches, a timeline by its scan of the whole graph, an
//! export by the size of the text it can write, a search by its query's words.
//! So a request of many aliased heavy fields is refused before it runs,
//! however small its text.

/// A scan of every entity and relation (a timeline, a whole-graph network).
pub(crate) const GRAPH_SCAN: usize = 1_000;
/// One breadth-first search over the graph, as a k-path search runs per spur.
pub(crate) const SEARCH_PASS: usize = 10;
/// An export around a centre, per hop of depth: the text of up to
/// `MAX_NEIGHBORHOOD_NODES` entities and the relations among them.
pub(crate) const EXPORT_PER_HOP: usize = 2_000;
/// An export of the whole graph (at most `MAX_EXPORT_ITEMS` items).
pub(crate) const EXPORT_WHOLE: usize = 10_000;
/// One word of a search query, scored against the whole vocabulary.
pub(crate) const SEARCH_WORD: usize = 20;

/// A list of `first` items (or `default` when not given), each costing `child`.
pub(crate) fn list(first: Option<i32>, default: i32, child: usize) -> usize {
    count(first.unwrap_or(default))
        .saturating_mul(child)
        .saturating_add(1)
}

/// `limit` paths of at most `max_depth` relations: each path found costs up to
/// one search per relation of the path before it (Yen's spur searches).
pub(crate) fn paths(limit: Option<i32>, max_depth: Option<i32>, child: usize) -> usize {
    count(limit.unwrap_or(crate::defaults::PATHS))
        .saturating_mul(count(max_depth.unwrap_or(crate::defaults::PATH_DEPTH)).max(1))
        .saturating_mul(child.saturating_add(SEARCH_PASS))
        .saturating_add(1)
}

/// A timeline: one scan of the graph, then its buckets' children.
pub(crate) fn timeline(child: usize) -> usize {
    GRAPH_SCAN.saturating_add(50usize.saturating_mul(child))
}

/// An export: the whole graph, `depth` hops around a centre, or `listed`
/// entities (charged a hop's cost per 500).
pub(crate) fn export(centred: bool, depth: Option<i32>, listed: Option<usize>) -> usize {
    if let Some(n) = listed {
        EXPORT_PER_HOP.saturating_mul(n.div_ceil(500).max(1))
    } else if centred {
        EXPORT_PER_HOP.saturating_mul(count(depth.unwrap_or(crate::defaults::DEPTH)).max(1))
    } else {
        EXPORT_WHOLE
    }
}

/// A search for `query`: each of its words is scored against the vocabulary,
/// then `first` hits are listed.
pub(crate) fn search(query: &str, first: Option<i32>, child: usize) -> usize {
    let words = query.split_whitespace().count().max(1);
    SEARCH_WORD.saturating_mul(words).saturating_add(list(
        first,
        crate::defaults::SEARCH_HITS,
        child,
    ))
}

/// A count argument as a size; a negative one is refused later by `bounded`.
fn count(n: i32) -> usize {
    usize::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heavy_fields_cost_their_work_not_their_answer() {
        // 390 aliased paths(limit: 50, maxDepth: 8) { length } must exceed the
        // default limit of 20,000 many times over; one default paths must not.
        assert!(390 * paths(Some(50), Some(8), 1) > 20_000 * 50);
        assert!(paths(None, None, 5) < 2_000);
        // 200 aliased exports of depth 4 are refused; two fit.
        assert!(200 * export(true, Some(4), None) > 20_000);
        assert!(2 * export(true, Some(4), None) <= 20_000);
        // A listed export pays by its size: 20,000 ids cost more than 500.
        assert!(export(false, None, Some(20_000)) > 10 * export(false, None, Some(500)));
        assert!(export(false, None, Some(0)) > 0);
        // Every timeline pays for its scan, whatever it selects.
        assert!(390 * timeline(1) > 20_000);
        assert!(search("a b c", Some(10), 1) > search("a", Some(10), 1));
        assert_eq!(list(Some(-5), 10, 3), 1);
        assert_eq!(list(None, 10, 3), 31);
    }
}
