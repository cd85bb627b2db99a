//! Where the profile mentions each entity, computed once when the server starts so
//! that a request only reads a list; and the profile's paragraphs, so that a
//! quote can be shown in its context. Optional: a schema built without a
//! profile answers every entity's mentions with an empty list and no context.

use govgraph_graph::{EntityIx, Graph};
use govgraph_profile::{Document, MentionIndex};

/// One mention: the section and the sentence that names the entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMention {
    /// Section label ("2.1", "Footnote 20", "Table 1").
    pub section: String,
    /// The sentence, normalized, that contains the name or an alias.
    pub sentence: String,
}

/// Every entity's mentions, by graph position.
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    by_entity: Vec<Vec<EntityMention>>,
    /// Every paragraph, footnote, key source and Table 1 row, as (section
    /// label, text in the form quotes are compared in).
    paragraphs: Vec<(String, String)>,
}

/// A quote found in its paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteContext {
    /// Section label of the paragraph.
    pub section: String,
    /// The paragraph, markup removed and white space collapsed.
    pub paragraph: String,
    /// Where the quote starts in the paragraph, in characters.
    pub start: usize,
    /// Where it ends (exclusive), in characters.
    pub end: usize,
}

/// The paragraphs of `doc` a quote may come from, normalized as quotes are.
fn paragraphs(doc: &Document) -> Vec<(String, String)> {
    use govgraph_model::text::normalize_markdown;
    let mut out = Vec::new();
    for section in &doc.sections {
        for paragraph in &section.paragraphs {
            out.push((section.label.clone(), normalize_markdown(&paragraph.raw)));
        }
    }
    for footnote in &doc.footnotes {
        out.push((footnote.label.clone(), normalize_markdown(&footnote.raw)));
    }
    for source in &doc.key_sources {
        out.push(("Key sources".to_owned(), normalize_markdown(&source.raw)));
    }
    if let Some(table) = &doc.table1 {
        for row in &table.rows {
            out.push((
                govgraph_model::checks::TABLE_1.to_owned(),
                // A row is cited as its cells in a line: the name, then the status.
                normalize_markdown(&format!("{} {}", row.name, row.status)),
            ));
        }
    }
    out
}

impl Mentions {
    /// Finds the name and aliases of every entity of `graph` in `doc`: whole words,
    /// case and diacritics ignored; a sentence naming an entity twice counts once.
    pub fn build(graph: &Graph, doc: &Document) -> Mentions {
        let index = MentionIndex::new(doc);
        let by_entity = (0..graph.entity_count())
            .map(|i| {
                let entity = graph.entity(EntityIx::new(i));
                let names: Vec<&str> = std::iter::once(entity.name.as_str())
                    .chain(entity.aliases.iter().map(String::as_str))
                    .collect();
                let mut found: Vec<EntityMention> = Vec::new();
                for m in index.find(&names) {
                    let mention = EntityMention {
                        section: m.section.to_owned(),
                        sentence: m.sentence.to_owned(),
                    };
                    if !found.contains(&mention) {
                        found.push(mention);
                    }
                }
                found
            })
            .collect();
        Mentions {
            by_entity,
            paragraphs: paragraphs(doc),
        }
    }

    /// The paragraph of the profile that holds `quote` (compared as the
    /// loader compares quotes: markup removed, quotes made plain, white space
    /// collapsed), preferring one of `section`; `None` when no paragraph does.
    pub fn context(&self, quote: &str, section: Option<&str>) -> Option<QuoteContext> {
        let quote = govgraph_model::text::normalize_markdown(quote);
        if quote.is_empty() {
            return None;
        }
        let mut holding = self
            .paragraphs
            .iter()
            .filter(|(_, text)| text.contains(&quote));
        let first = holding.next()?;
        let (label, text) = if section.is_some_and(|s| s != first.0) {
            holding
                .find(|(label, _)| section.is_some_and(|s| s == label))
                .unwrap_or(first)
        } else {
            first
        };
        let at = text.find(&quote)?;
        let start = text[..at].chars().count();
        Some(QuoteContext {
            section: label.clone(),
            paragraph: text.clone(),
            start,
            end: start + quote.chars().count(),
        })
    }

    /// The mentions of the entity at `ix`; empty when there are none or no profile.
    pub fn of(&self, ix: EntityIx) -> &[EntityMention] {
        self.by_entity.get(ix.index()).map_or(&[], Vec::as_slice)
    }
}
