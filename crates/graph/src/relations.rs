//! Relations in columns. A `Relation` record holds five heap strings and a
//! vector; a million of them were a few million allocations to decode at
//! start-up and about 500 bytes each in memory. Here the ids and the quotes
//! are each one buffer with offsets, section labels and profile ids are
//! interned, and the ends are positions (the ids are the entities'), so the
//! whole table is a dozen allocations. Readers get a borrowed [`RelationRef`].

use crate::filter::EdgeFilter;
use crate::index::{EntityIx, RelationIx};
use govgraph_model::{Entity, Evidence, Relation, RelationType};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Marks an evidence row that names no profile.
const NO_PROFILE: u32 = u32::MAX;

/// Strings laid end to end: item `i` is `text[ends[i - 1]..ends[i]]`.
///
/// Persisted as the text's length, the text in pieces of at most
/// [`TEXT_PIECE`] bytes, then the ends (see [`crate::persist`]): a reader
/// needs no buffer as long as the text, and reserves the text once.
#[derive(Debug, Default)]
struct Texts {
    text: String,
    ends: Vec<u64>,
}

/// The longest piece a [`Texts`] is written in.
const TEXT_PIECE: usize = 32 * 1024;

impl Serialize for Texts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut pieces = Vec::with_capacity(self.text.len() / TEXT_PIECE + 1);
        let mut rest = self.text.as_str();
        while !rest.is_empty() {
            let mut cut = rest.len().min(TEXT_PIECE);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let (piece, after) = rest.split_at(cut);
            pieces.push(piece);
            rest = after;
        }
        (self.text.len() as u64, pieces, &self.ends).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_tuple(3, TextsVisitor)
    }
}

/// Reads what `Texts::serialize` wrote.
struct TextsVisitor;

impl<'de> serde::de::Visitor<'de> for TextsVisitor {
    type Value = Texts;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a length, text pieces and ends")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Texts, A::Error> {
        use serde::de::Error;
        let missing = || A::Error::custom("a text table cut short");
        let len: u64 = seq.next_element()?.ok_or_else(missing)?;
        let mut text = String::new();
        // A damaged length fails here rather than aborting on allocation;
        // the store's checksum then refuses the whole index.
        usize::try_from(len)
            .ok()
            .and_then(|len| text.try_reserve_exact(len).ok())
            .ok_or_else(|| A::Error::custom(format!("a text of {len} bytes")))?;
        seq.next_element_seed(Pieces(&mut text))?
            .ok_or_else(missing)?;
        let ends: Vec<u64> = seq.next_element()?.ok_or_else(missing)?;
        // `get` slices by the ends: they must rise and stay within the text.
        let fits = text.len() as u64 == len
            && ends.windows(2).all(|pair| pair[0] <= pair[1])
            && ends.last().is_none_or(|&last| last <= len);
        if !fits {
            return Err(A::Error::custom(
                "a text table whose ends do not fit its text",
            ));
        }
        Ok(Texts { text, ends })
    }
}

/// Appends a sequence of text pieces to a string.
struct Pieces<'t>(&'t mut String);

impl<'de> serde::de::DeserializeSeed<'de> for Pieces<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Pieces<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("text pieces")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // A piece is at most `TEXT_PIECE` bytes: one short-lived string each.
        while let Some(piece) = seq.next_element::<String>()? {
            self.0.push_str(&piece);
        }
        Ok(())
    }
}

impl Texts {
    fn push(&mut self, s: &str) -> u32 {
        let at = u32::try_from(self.ends.len()).expect("fewer than 2^32 strings in a graph");
        self.text.push_str(s);
        self.ends.push(self.text.len() as u64);
        at
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.ends.len()
    }

    #[inline]
    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        // Offsets come from `push`, always at char boundaries; a damaged
        // index that got past the store's checksum reads as empty text.
        self.text.get(start..self.ends[i] as usize).unwrap_or("")
    }
}

/// One piece of evidence: indexes into the table's labels and quotes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct EvidenceRow {
    section: u32,
    quote: u32,
    profile: u32,
}

/// Every relation of a graph, by position (= id order).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct RelationTable {
    ids: Texts,
    types: Vec<RelationType>,
    since: Vec<Option<i32>>,
    until: Vec<Option<i32>>,
    /// Relation `j`'s evidence is `evidence[evidence_from[j]..evidence_from[j + 1]]`.
    evidence_from: Vec<u32>,
    evidence: Vec<EvidenceRow>,
    /// Distinct quotes (a sentence often supports several relations).
    quotes: Texts,
    /// Distinct section labels and profile ids.
    labels: Vec<String>,
}

/// Interns while a table is built; dropped once it is.
#[derive(Default)]
struct Interning {
    labels: HashMap<String, u32>,
    quotes: HashMap<String, u32>,
}

impl RelationTable {
    /// The table of `relations`, in their order.
    pub(crate) fn new(relations: Vec<Relation>) -> Self {
        let mut table = RelationTable {
            evidence_from: Vec::with_capacity(relations.len() + 1),
            ..RelationTable::default()
        };
        let mut interning = Interning::default();
        table.evidence_from.push(0);
        for relation in relations {
            table.push(relation, &mut interning);
        }
        table
    }

    fn push(&mut self, relation: Relation, interning: &mut Interning) {
        self.ids.push(&relation.id);
        self.types.push(relation.ty);
        self.since.push(relation.since);
        self.until.push(relation.until);
        for evidence in relation.evidence {
            let section = self.label(evidence.section, interning);
            let profile = evidence
                .profile
                .map_or(NO_PROFILE, |p| self.label(p, interning));
            let quote = match interning.quotes.get(&evidence.quote) {
                Some(&at) => at,
                None => {
                    let at = self.quotes.push(&evidence.quote);
                    interning.quotes.insert(evidence.quote, at);
                    at
                }
            };
            self.evidence.push(EvidenceRow {
                section,
                quote,
                profile,
            });
        }
        let rows = u32::try_from(self.evidence.len()).expect("fewer than 2^32 pieces of evidence");
        self.evidence_from.push(rows);
    }

    fn label(&mut self, label: String, interning: &mut Interning) -> u32 {
        if let Some(&at) = interning.labels.get(&label) {
            return at;
        }
        let at = u32::try_from(self.labels.len()).expect("fewer than 2^32 labels");
        self.labels.push(label.clone());
        interning.labels.insert(label, at);
        at
    }

    /// Number of relations.
    pub(crate) fn len(&self) -> usize {
        self.types.len()
    }

    /// The id of relation `j`.
    #[inline]
    pub(crate) fn id(&self, j: RelationIx) -> &str {
        self.ids.get(j.index())
    }

    /// The type of relation `j`.
    #[inline]
    pub(crate) fn ty(&self, j: RelationIx) -> RelationType {
        self.types[j.index()]
    }

    /// Every relation's type, by position.
    pub(crate) fn types(&self) -> &[RelationType] {
        &self.types
    }

    /// The position of the relation with `id`: relations are in id order, so
    /// a binary search needs no map.
    pub(crate) fn find(&self, id: &str) -> Option<RelationIx> {
        let at = self.partition_point(|other| other < id);
        (at < self.len() && self.ids.get(at) == id).then(|| RelationIx::new(at))
    }

    /// The first position whose id fails `before` (which holds on a prefix).
    pub(crate) fn partition_point(&self, mut before: impl FnMut(&str) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if before(self.ids.get(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The evidence of relation `j`.
    pub(crate) fn evidence(&self, j: RelationIx) -> EvidenceList<'_> {
        let from = self.evidence_from.get(j.index()).copied().unwrap_or(0) as usize;
        let to = self.evidence_from.get(j.index() + 1).copied().unwrap_or(0) as usize;
        EvidenceList {
            rows: self.evidence.get(from..to).unwrap_or(&[]),
            table: self,
        }
    }

    /// Whether relation `j` passes `filter`, read from the columns.
    #[inline]
    pub(crate) fn admitted(&self, filter: &EdgeFilter, j: RelationIx) -> bool {
        filter.admits_parts(
            self.types[j.index()],
            (self.since[j.index()], self.until[j.index()]),
            || self.evidence(j).iter().filter_map(|e| e.profile),
        )
    }

    /// Relation `j` with its ends named by `entities` at `ends`.
    #[inline]
    pub(crate) fn view<'g>(
        &'g self,
        j: RelationIx,
        entities: &'g [Entity],
        (source, target): (EntityIx, EntityIx),
    ) -> RelationRef<'g> {
        RelationRef {
            id: self.id(j),
            ty: self.types[j.index()],
            source: &entities[source.index()].id,
            target: &entities[target.index()].id,
            since: self.since[j.index()],
            until: self.until[j.index()],
            evidence: self.evidence(j),
        }
    }
}

/// A relation as the graph holds it, borrowed: the fields of a
/// [`Relation`] without owning a string.
#[derive(Debug, Clone, Copy)]
pub struct RelationRef<'g> {
    /// Stable id.
    pub id: &'g str,
    /// What the arrow means.
    pub ty: RelationType,
    /// Id of the entity the arrow leaves.
    pub source: &'g str,
    /// Id of the entity the arrow reaches.
    pub target: &'g str,
    /// First year the relation holds.
    pub since: Option<i32>,
    /// Last year the relation holds.
    pub until: Option<i32>,
    /// Where it is stated; never empty in validated data.
    pub evidence: EvidenceList<'g>,
}

impl RelationRef<'_> {
    /// Whether the relation holds in `year`; unknown bounds count as open.
    pub fn in_force(&self, year: i32) -> bool {
        self.since.is_none_or(|s| s <= year) && self.until.is_none_or(|u| year <= u)
    }

    /// An owned copy, as the model spells a relation.
    pub fn to_relation(&self) -> Relation {
        Relation {
            id: self.id.to_owned(),
            ty: self.ty,
            source: self.source.to_owned(),
            target: self.target.to_owned(),
            since: self.since,
            until: self.until,
            evidence: self.evidence.iter().map(|e| e.to_evidence()).collect(),
        }
    }
}

/// The evidence of one relation, borrowed from its table.
#[derive(Clone, Copy)]
pub struct EvidenceList<'g> {
    rows: &'g [EvidenceRow],
    table: &'g RelationTable,
}

impl std::fmt::Debug for EvidenceList<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'g> EvidenceList<'g> {
    /// How many pieces of evidence.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The pieces in the order the data gave them.
    pub fn iter(&self) -> EvidenceIter<'g> {
        EvidenceIter {
            rows: self.rows.iter(),
            table: self.table,
        }
    }
}

impl<'g> IntoIterator for EvidenceList<'g> {
    type Item = EvidenceRef<'g>;
    type IntoIter = EvidenceIter<'g>;

    fn into_iter(self) -> EvidenceIter<'g> {
        self.iter()
    }
}

impl<'g> IntoIterator for &EvidenceList<'g> {
    type Item = EvidenceRef<'g>;
    type IntoIter = EvidenceIter<'g>;

    fn into_iter(self) -> EvidenceIter<'g> {
        self.iter()
    }
}

/// The pieces of an [`EvidenceList`], in order.
#[derive(Clone)]
pub struct EvidenceIter<'g> {
    rows: std::slice::Iter<'g, EvidenceRow>,
    table: &'g RelationTable,
}

impl<'g> Iterator for EvidenceIter<'g> {
    type Item = EvidenceRef<'g>;

    fn next(&mut self) -> Option<EvidenceRef<'g>> {
        let row = self.rows.next()?;
        let table = self.table;
        let label = |at: u32| table.labels.get(at as usize).map_or("", String::as_str);
        Some(EvidenceRef {
            section: label(row.section),
            quote: table.quotes.get(row.quote as usize),
            profile: (row.profile != NO_PROFILE).then(|| label(row.profile)),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

impl ExactSizeIterator for EvidenceIter<'_> {}

/// One piece of evidence, borrowed: the fields of an [`Evidence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceRef<'g> {
    /// Section label.
    pub section: &'g str,
    /// The verbatim quote.
    pub quote: &'g str,
    /// Id of the profile quoted, if any.
    pub profile: Option<&'g str>,
}

impl EvidenceRef<'_> {
    /// An owned copy.
    pub fn to_evidence(&self) -> Evidence {
        Evidence {
            section: self.section.to_owned(),
            quote: self.quote.to_owned(),
            profile: self.profile.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relation(id: &str, quotes: &[(&str, &str, Option<&str>)]) -> Relation {
        Relation {
            id: id.to_owned(),
            ty: RelationType::Implements,
            source: "a".into(),
            target: "b".into(),
            since: Some(2001),
            until: None,
            evidence: quotes
                .iter()
                .map(|(s, q, p)| Evidence {
                    section: (*s).into(),
                    quote: (*q).into(),
                    profile: p.map(str::to_owned),
                })
                .collect(),
        }
    }

    #[test]
    fn relations_come_back_whole_with_repeated_strings_stored_once() {
        let relations = vec![
            relation("a|X|b", &[("2.1", "Same quote é.", Some("p1"))]),
            relation(
                "b|X|c",
                &[
                    ("2.1", "Same quote é.", None),
                    ("Table 1", "Other.", Some("p1")),
                ],
            ),
            relation("c|X|d", &[]),
        ];
        let table = RelationTable::new(relations.clone());
        let entities: Vec<Entity> = ["a", "b"]
            .iter()
            .map(|id| Entity {
                id: (*id).into(),
                kind: govgraph_model::EntityKind::Institution,
                name: (*id).into(),
                aliases: vec![],
                year: None,
                attributes: Default::default(),
            })
            .collect();
        let ends = (EntityIx::new(0), EntityIx::new(1));
        for (j, expected) in relations.iter().enumerate() {
            let back = table
                .view(RelationIx::new(j), &entities, ends)
                .to_relation();
            assert_eq!(&back, expected);
        }
        assert_eq!(table.quotes.len(), 2, "the shared quote is stored once");
        assert_eq!(table.labels, ["2.1", "p1", "Table 1"]);
        assert_eq!(table.find("b|X|c"), Some(RelationIx::new(1)));
        assert_eq!(table.find("b|X|d"), None);
        assert_eq!(table.find(""), None);
        assert_eq!(table.find("zzz"), None);
    }
}
