//! The shape of a parsed document, measured before validation: how deep its
//! selections nest and how many fields it selects once every fragment spread is
//! expanded, with introspection measured apart.
//!
//! async-graphql's own depth and complexity rules expand each fragment spread
//! anew, so a document that doubles a fragment 26 times costs 2^26 steps before
//! it is refused. Here every fragment is measured once and its measure reused,
//! so the cost is linear in the document; counts saturate instead of growing.
//!
//! Introspection (`__schema`, `__type`) has its own depth limit: the standard
//! introspection query of graphql-js and graphql-core follows `ofType` seven
//! levels deep, which must not count against the depth allowed to data queries,
//! yet a crafted introspection query nested deeper than that is still refused.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::ServerError;
use std::collections::HashMap;

/// What [`check`] enforces.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShapeLimits {
    /// Deepest nesting of data fields.
    pub depth: usize,
    /// Deepest nesting inside `__schema` / `__type`.
    pub introspection_depth: usize,
    /// Most fields selected once fragments are expanded.
    pub fields: usize,
    /// Most directives on one field or operation.
    pub directives: usize,
    /// Whether `__schema` and `__type` may be asked for.
    pub introspection: bool,
}

/// Deepest nesting of selection sets and fragment spreads walked; async-graphql
/// checks the same bound (its recursion depth) to keep recursive code off the
/// end of the stack.
const MAX_NESTING: usize = 64;

/// The measure of one selection set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Measure {
    /// Deepest data-field nesting below and including this set.
    depth: usize,
    /// Deepest introspection nesting.
    introspection_depth: usize,
    /// Fields selected, fragments expanded (saturating).
    fields: usize,
    /// Levels of selection sets and fragment spreads below (for the nesting
    /// bound, which a remembered fragment must also respect where it is reused).
    height: usize,
    /// Fields at this set's own level, fragments expanded (saturating).
    top: usize,
    /// Aliased fields, fragments expanded (saturating).
    aliases: usize,
}

impl Measure {
    /// Two sibling selections: the deeper depth, the fields of both.
    fn beside(self, other: Measure) -> Measure {
        Measure {
            depth: self.depth.max(other.depth),
            introspection_depth: self.introspection_depth.max(other.introspection_depth),
            fields: self.fields.saturating_add(other.fields),
            height: self.height.max(other.height),
            top: self.top.saturating_add(other.top),
            aliases: self.aliases.saturating_add(other.aliases),
        }
    }
}

/// Whether a selection set is measured as data or inside introspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    Data,
    Introspection,
}

/// A fragment's measure while it is being taken, or once it is known.
enum Memo {
    InProgress,
    Done(Measure),
}

/// Why a document is refused while it is walked.
enum Refusal {
    Nesting,
    Directives(String),
    /// A fragment that spreads itself, directly or through others.
    Cycle(String),
    /// More introspection root fields than [`MAX_INTROSPECTION_ROOTS`].
    Introspections,
    /// A spread of a fragment the document does not define.
    Unknown(String),
}

/// Most fields at the root of one operation, fragments expanded: 390 aliased
/// path searches in one request are 390 requests' work in one.
const MAX_ROOT_FIELDS: usize = 64;

/// Most aliased fields in one document, fragments expanded.
const MAX_ALIASES: usize = 256;

/// Most `__schema` / `__type` fields in one document: a tool asks once.
const MAX_INTROSPECTION_ROOTS: usize = 8;

struct Walker<'d> {
    document: &'d ExecutableDocument,
    memo: HashMap<(&'d str, Mode), Memo>,
    directives: usize,
    /// `__schema` / `__type` fields seen (aliases each count).
    introspection_roots: usize,
}

impl<'d> Walker<'d> {
    fn selection_set(
        &mut self,
        set: &'d SelectionSet,
        mode: Mode,
        nesting: usize,
    ) -> Result<Measure, Refusal> {
        if nesting > MAX_NESTING {
            return Err(Refusal::Nesting);
        }
        let mut total = Measure::default();
        for item in &set.items {
            if item.node.directives().len() > self.directives {
                return Err(Refusal::Directives(match &item.node {
                    Selection::Field(field) => format!("the field `{}`", field.node.name.node),
                    Selection::FragmentSpread(spread) => {
                        format!("the spread of `{}`", spread.node.fragment_name.node)
                    }
                    Selection::InlineFragment(_) => "an inline fragment".to_owned(),
                }));
            }
            let measure = match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let name = field.name.node.as_str();
                    let starts_introspection =
                        mode == Mode::Data && (name == "__schema" || name == "__type");
                    if starts_introspection {
                        self.introspection_roots += 1;
                        if self.introspection_roots > MAX_INTROSPECTION_ROOTS {
                            return Err(Refusal::Introspections);
                        }
                    }
                    let inner_mode = if starts_introspection {
                        Mode::Introspection
                    } else {
                        mode
                    };
                    let mut below =
                        self.selection_set(&field.selection_set.node, inner_mode, nesting + 1)?;
                    below.fields = below.fields.saturating_add(1);
                    below.height += 1;
                    below.top = 1;
                    if field.alias.is_some() {
                        below.aliases = below.aliases.saturating_add(1);
                    }
                    match inner_mode {
                        Mode::Data => below.depth += 1,
                        Mode::Introspection => below.introspection_depth += 1,
                    }
                    below
                }
                Selection::InlineFragment(inline) => {
                    let mut below =
                        self.selection_set(&inline.node.selection_set.node, mode, nesting + 1)?;
                    below.height += 1;
                    below
                }
                Selection::FragmentSpread(spread) => {
                    let mut below =
                        self.fragment(spread.node.fragment_name.node.as_str(), mode, nesting + 1)?;
                    below.height += 1;
                    below
                }
            };
            total = total.beside(measure);
        }
        Ok(total)
    }

    /// A fragment's measure, taken once per mode. An unknown fragment and a cycle
    /// are refused.
    fn fragment(&mut self, name: &'d str, mode: Mode, nesting: usize) -> Result<Measure, Refusal> {
        match self.memo.get(&(name, mode)) {
            // Measured once, but bounded again wherever it is spread.
            Some(Memo::Done(measure)) if nesting + measure.height > MAX_NESTING => {
                return Err(Refusal::Nesting)
            }
            Some(Memo::Done(measure)) => return Ok(*measure),
            // async-graphql's later checks would recurse on it without end.
            Some(Memo::InProgress) => return Err(Refusal::Cycle(name.to_owned())),
            None => {}
        }
        // async-graphql's later pass expands spreads even after validation
        // found the fragment missing: refuse here, before it can.
        let Some((key, definition)) = self.document.fragments.get_key_value(name) else {
            return Err(Refusal::Unknown(name.to_owned()));
        };
        let key = key.as_str();
        self.memo.insert((key, mode), Memo::InProgress);
        let measure = self.selection_set(&definition.node.selection_set.node, mode, nesting)?;
        self.memo.insert((key, mode), Memo::Done(measure));
        Ok(measure)
    }
}

fn measure(document: &ExecutableDocument, directives: usize) -> Result<Measure, Refusal> {
    let mut walker = Walker {
        document,
        memo: HashMap::new(),
        directives,
        introspection_roots: 0,
    };
    let mut total = Measure::default();
    for (_, operation) in document.operations.iter() {
        if operation.node.directives.len() > directives {
            return Err(Refusal::Directives("an operation".to_owned()));
        }
        let m = walker.selection_set(&operation.node.selection_set.node, Mode::Data, 0)?;
        total = Measure {
            depth: total.depth.max(m.depth),
            introspection_depth: total.introspection_depth.max(m.introspection_depth),
            // async-graphql validates, and so expands, every operation.
            fields: total.fields.saturating_add(m.fields),
            height: total.height.max(m.height),
            top: total.top.max(m.top),
            aliases: total.aliases.saturating_add(m.aliases),
        };
    }
    // Fragments that no operation uses are walked too: validation visits them.
    let names: Vec<&str> = document.fragments.keys().map(|n| n.as_str()).collect();
    for name in names {
        walker.fragment(name, Mode::Data, 1)?;
    }
    Ok(total)
}

/// Refuses a document whose expanded shape exceeds `limits`.
pub(crate) fn check(document: &ExecutableDocument, limits: ShapeLimits) -> Result<(), ServerError> {
    let measure = match measure(document, limits.directives) {
        Ok(measure) => measure,
        Err(Refusal::Nesting) => {
            return Err(refuse(format!(
                "The query nests selections and fragments more than {MAX_NESTING} levels deep."
            )))
        }
        Err(Refusal::Cycle(name)) => {
            return Err(refuse(format!(
                "The fragment `{name}` spreads itself (fragments must not form cycles)."
            )))
        }
        Err(Refusal::Unknown(name)) => return Err(refuse(format!("Unknown fragment \"{name}\"."))),
        Err(Refusal::Introspections) => {
            return Err(refuse(format!(
                "At most {MAX_INTROSPECTION_ROOTS} `__schema` / `__type` fields in one query."
            )))
        }
        Err(Refusal::Directives(on)) => {
            return Err(refuse(format!(
                "The number of directives on {on} cannot be greater than `{}`",
                limits.directives
            )))
        }
    };
    if !limits.introspection && measure.introspection_depth > 0 {
        return Err(refuse(
            "Introspection (`__schema`, `__type`) is switched off on this server.",
        ));
    }
    // The first message is async-graphql's own, which clients already match on.
    if measure.depth > limits.depth {
        return Err(refuse("Query is nested too deep."));
    }
    if measure.introspection_depth > limits.introspection_depth {
        return Err(refuse(format!(
                "Introspection is nested too deep: {} levels, at most {} (the standard introspection query needs fewer).",
                measure.introspection_depth, limits.introspection_depth
            )));
    }
    if measure.fields > limits.fields {
        return Err(refuse(format!(
            "The query selects too many fields once its fragments are expanded: more than {}.",
            limits.fields
        )));
    }
    if measure.top > MAX_ROOT_FIELDS {
        return Err(refuse(format!(
            "The query asks for {} root fields; at most {MAX_ROOT_FIELDS}.",
            measure.top
        )));
    }
    if measure.aliases > MAX_ALIASES {
        return Err(refuse(format!(
            "The query uses more than {MAX_ALIASES} aliases."
        )));
    }
    Ok(())
}

/// A refusal with `message`, before execution (no position: the document as a whole).
fn refuse(message: impl Into<String>) -> ServerError {
    ServerError::new(message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ShapeLimits = ShapeLimits {
        depth: 3,
        introspection_depth: 4,
        fields: 100,
        directives: 2,
        introspection: true,
    };

    fn check_shape(query: &str, expected: Result<(usize, usize, usize), &str>) {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        match (check(&document, LIMITS), expected) {
            (Ok(()), Ok((depth, introspection, fields))) => {
                let m = measure(&document, LIMITS.directives)
                    .ok()
                    .expect("measured");
                assert_eq!(
                    (m.depth, m.introspection_depth, m.fields),
                    (depth, introspection, fields),
                    "{query}"
                )
            }
            (Err(e), Err(start)) => assert!(e.message.starts_with(start), "{query}: {e:?}"),
            (got, want) => panic!("{query}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn measures_depth_and_fields_with_fragments_expanded() {
        check_shape("{ a { b { c } } }", Ok((3, 0, 3)));
        check_shape("{ a { b { c { d } } } }", Err("Query is nested too deep"));
        check_shape(
            "query { a { ...F ...F } } fragment F on T { b { c } }",
            Ok((3, 0, 5)),
        );
        check_shape(
            "query { a { ...F } } fragment F on T { b { ... on U { c { d } } } }",
            Err("Query is nested too deep"),
        );
        // Introspection depth is its own: `__schema` starts counting afresh.
        check_shape("{ __schema { types { fields { name } } } }", Ok((0, 4, 4)));
        check_shape(
            "{ a { b } __schema { types { fields { name } } } }",
            Ok((2, 4, 6)),
        );
        check_shape(
            "{ __schema { types { fields { type { name } } } } }",
            Err("Introspection is nested too deep"),
        );
        check_shape("{ __typename a { __typename } }", Ok((2, 0, 3)));
    }

    #[test]
    fn fragment_doubling_is_counted_without_expanding() {
        // F0 selects 1 field; each Fk spreads F(k-1) twice: 2^40 fields.
        let mut query = String::from("query { ...F40 } fragment F0 on Query { a }");
        for k in 1..=40 {
            query.push_str(&format!(
                " fragment F{k} on Query {{ ...F{} ...F{} }}",
                k - 1,
                k - 1
            ));
        }
        check_shape(&query, Err("The query selects too many fields"));
    }

    #[test]
    fn cycles_and_unknown_fragments_are_refused() {
        for query in [
            "query { ...A } fragment A on Q { x ...B } fragment B on Q { y ...A }",
            "{ ...A } fragment A on Query { ...A }",
            "{ a { ...E } } fragment E on Entity { name ...E }",
            "{ a } fragment U on Q { ...U }",
        ] {
            check_shape(query, Err("The fragment"));
        }
        check_shape("query { ...Missing }", Err("Unknown fragment"));
        // Doubling on top of a missing fragment is refused before anything expands it.
        let mut query = String::from("query { ...F40 } fragment F0 on Query { ...X }");
        for k in 1..=40 {
            query.push_str(&format!(
                " fragment F{k} on Query {{ ...F{p} ...F{p} }}",
                p = k - 1
            ));
        }
        check_shape(&query, Err("Unknown fragment"));
        let many: String = (0..9)
            .map(|i| format!("s{i}: __schema {{ description }} "))
            .collect();
        check_shape(&format!("{{ {many} }}"), Err("At most 8"));
    }

    #[test]
    fn a_remembered_fragment_is_bounded_where_it_is_spread_again() {
        // F1..F200 each spread the one before; spreading F60, F120, F180 in turn
        // would never pass 64 levels in one walk if the measures were reused blindly.
        let mut query =
            String::from("{ ...F60 ...F120 ...F180 ...F200 } fragment F0 on Query { a }");
        for k in 1..=200 {
            query.push_str(&format!(" fragment F{k} on Query {{ ...F{} }}", k - 1));
        }
        check_shape(&query, Err("The query nests"));
    }

    #[test]
    fn root_fields_and_aliases_are_bounded() {
        let roots: String = (0..65).map(|i| format!("p{i}: a ")).collect();
        check_shape(
            &format!("{{ {roots} }}"),
            Err("The query asks for 65 root fields"),
        );
        // Through a fragment at the root, too.
        let roots: String = (0..40).map(|i| format!("p{i}: a ")).collect();
        check_shape(
            &format!("{{ ...F ...G }} fragment F on Query {{ {roots} }} fragment G on Query {{ {roots} }}"),
            Err("The query asks for 80 root fields"),
        );
        let deep: String = (0..300).map(|i| format!("x{i}: b ")).collect();
        let limits = ShapeLimits {
            fields: 1_000,
            ..LIMITS
        };
        let document =
            async_graphql::parser::parse_query(format!("{{ a {{ {deep} }} }}")).expect("parses");
        let refused = check(&document, limits).expect_err("too many aliases");
        assert!(
            refused.message.contains("more than 256 aliases"),
            "{refused:?}"
        );
    }

    #[test]
    fn many_operations_add_up() {
        let mut query = String::from("fragment F on Query { a b c d e f g h i j }");
        for n in 0..20 {
            query.push_str(&format!(" query Q{n} {{ ...F }}"));
        }
        check_shape(&query, Err("The query selects too many fields"));
    }

    #[test]
    fn directives_and_nesting_are_bounded() {
        check_shape("{ a @skip(if: false) @include(if: true) }", Ok((1, 0, 1)));
        check_shape(
            "{ a @skip(if: false) @include(if: true) @skip(if: false) }",
            Err("The number of directives on the field `a`"),
        );
        check_shape(
            "query Q @a @b @c { a }",
            Err("The number of directives on an operation"),
        );
        // A chain of 100 fragments, each spreading the next: refused, not a stack overflow.
        let mut query = String::from("query { ...F0 }");
        for k in 0..100 {
            query.push_str(&format!(" fragment F{k} on Query {{ ...F{} }}", k + 1));
        }
        query.push_str(" fragment F100 on Query { a }");
        check_shape(&query, Err("The query nests selections and fragments"));
    }
}
