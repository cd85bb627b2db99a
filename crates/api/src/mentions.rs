//! Where the profile mentions each entity, computed once when the server starts so
//! that a request only reads a list. Optional: a schema built without a profile
//! answers every entity's mentions with an empty list.

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
        Mentions { by_entity }
    }

    /// The mentions of the entity at `ix`; empty when there are none or no profile.
    pub fn of(&self, ix: EntityIx) -> &[EntityMention] {
        self.by_entity.get(ix.index()).map_or(&[], Vec::as_slice)
    }
}
