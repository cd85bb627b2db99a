//! Synthetic governance graphs for benchmarks: the real graph's kinds and
//! relation types, every relation obeying its type's domain/range rule,
//! relation types drawn with skewed (Zipf-like) frequencies, power-law degrees
//! by preferential attachment, names drawn from a word list, and a fixed seed.
//!
//! [`generate`] builds a compact [`Synthetic`] graph; [`Synthetic::write_csv`]
//! writes it as the `neo4j-admin database import` pair `nodes.csv` and
//! `relationships.csv` (the same headers as govgraph's CSV export), and
//! [`Synthetic::to_dataset`] turns it into a model [`Dataset`] for in-process use.

mod words;

use govgraph_model::{
    allowed_sources, allowed_targets, relation_id, Dataset, Entity, EntityKind, Evidence, Relation,
    RelationType,
};
use rand::{Rng, RngExt, SeedableRng};
use rand_pcg::Pcg64;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use govgraph_model::csv_layout::{NODES_HEADER, RELATIONSHIPS_HEADER};

/// The section every synthetic relation cites: a real profile section label,
/// since imports accept no other.
pub const SECTION: &str = "Summary";

/// Probability that an end is drawn uniformly from its kind rather than by
/// preferential attachment (Simon's model: degree exponent about 1 + 1/(1 - p)).
const UNIFORM_SHARE: f64 = 0.3;
/// Zipf exponent of the relation-type frequencies.
const TYPE_SKEW: f64 = 1.2;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Number of entities.
    pub entities: usize,
    /// Number of relations wanted (fewer only if the graph is too small to hold them).
    pub relations: usize,
    /// The seed: the same config always gives the same graph.
    pub seed: u64,
}

/// One synthetic entity, compactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Its id, `<kind>:<slug>`.
    pub id: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Its name, drawn from the word list.
    pub name: String,
    /// Year founded or adopted.
    pub year: i32,
}

/// One synthetic relation, as positions in [`Synthetic::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Source position.
    pub source: u32,
    /// Target position.
    pub target: u32,
    /// Relation type.
    pub ty: RelationType,
    /// First year it holds.
    pub since: Option<i32>,
    /// Last year it holds.
    pub until: Option<i32>,
}

/// A generated graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synthetic {
    /// Entities, in generation order.
    pub nodes: Vec<Node>,
    /// Relations, in generation order; no two share source, type and target.
    pub edges: Vec<Edge>,
}

/// A file that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// Creating the folder or a file, or writing it, failed.
    #[error("cannot write {path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The CSV writer failed.
    #[error("cannot write {path}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The writer's error.
        #[source]
        source: csv::Error,
    },
}

/// How many entities of each kind, in per mille; countries are capped separately.
const KIND_SHARES: &[(EntityKind, u32)] = &[
    (EntityKind::Institution, 250),
    (EntityKind::Law, 200),
    (EntityKind::Agreement, 150),
    (EntityKind::Policy, 80),
    (EntityKind::Programme, 80),
    (EntityKind::Publication, 65),
    (EntityKind::InternationalOrganization, 40),
    (EntityKind::System, 40),
    (EntityKind::Convention, 30),
    (EntityKind::Topic, 30),
    (EntityKind::Process, 20),
    (EntityKind::Group, 15),
];

/// Relation types from the most to the least frequent.
const TYPE_ORDER: &[RelationType] = &[
    RelationType::PartyTo,
    RelationType::Implements,
    RelationType::Addresses,
    RelationType::GovernedBy,
    RelationType::MemberOf,
    RelationType::ParticipatesIn,
    RelationType::PartOf,
    RelationType::IssuedBy,
    RelationType::CoordinatesWith,
    RelationType::ApprovedBy,
    RelationType::EstablishedBy,
    RelationType::Ratified,
    RelationType::Publishes,
    RelationType::Operates,
    RelationType::Engages,
    RelationType::Amends,
    RelationType::Replaces,
    RelationType::Heads,
    RelationType::Chairs,
    RelationType::Supports,
    RelationType::NotRatified,
];

/// How many entities of each kind `n` entities hold.
fn kind_counts(n: usize) -> Vec<(EntityKind, usize)> {
    // Countries: a few hundred at most, as in the world; ids must be 3 letters.
    let countries = (n / 50).clamp(usize::from(n > 0), 250.min(n));
    let rest = n - countries;
    let total: u32 = KIND_SHARES.iter().map(|(_, s)| s).sum();
    let mut counts: Vec<(EntityKind, usize)> = KIND_SHARES
        .iter()
        .map(|&(k, s)| (k, rest * s as usize / total as usize))
        .collect();
    // Hand the rounding remainder out from the largest kind down.
    let mut left = rest - counts.iter().map(|(_, c)| c).sum::<usize>();
    for (_, c) in counts.iter_mut() {
        if left == 0 {
            break;
        }
        *c += 1;
        left -= 1;
    }
    counts.insert(0, (EntityKind::Country, countries));
    counts
}

/// The code of the `i`th synthetic country: XAA, XAB, …, from ISO 3166's
/// user-assigned range, so no invented country takes a real one's code (676
/// codes, more than the 250 countries a graph holds at most).
fn country_code(i: usize) -> String {
    let letter = |k: usize| char::from(b'A' + (k % 26) as u8);
    ['X', letter(i / 26), letter(i)].iter().collect()
}

/// Draws by weight: `weights` are cumulative.
fn draw(rng: &mut impl Rng, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = rng.random::<f64>() * total;
    cumulative
        .partition_point(|&c| c <= x)
        .min(cumulative.len() - 1)
}

fn cumulate(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut sum = 0.0;
    weights
        .into_iter()
        .map(|w| {
            sum += w;
            sum
        })
        .collect()
}

/// Generates the graph of `config`.
pub fn generate(config: Config) -> Synthetic {
    let mut rng = Pcg64::seed_from_u64(config.seed);
    let mut nodes = Vec::with_capacity(config.entities);
    // Positions of the entities of each kind, by kind index.
    let mut of_kind: Vec<Vec<u32>> = vec![Vec::new(); EntityKind::ALL.len()];
    for (kind, count) in kind_counts(config.entities) {
        for _ in 0..count {
            let position = nodes.len() as u32;
            let (id, name) = if kind == EntityKind::Country {
                let code = country_code(of_kind[kind.index() as usize].len());
                let name = words::country_name(&mut rng);
                (format!("country:{code}"), name)
            } else {
                let name = words::name(&mut rng, kind);
                let id = format!("{}:{}-{position}", kind.id_prefix(), words::slug(&name));
                (id, name)
            };
            nodes.push(Node {
                id,
                kind,
                name,
                year: rng.random_range(1950..=2024),
            });
            of_kind[kind.index() as usize].push(position);
        }
    }

    // Relation types with Zipf-like frequencies, over the types whose rule the
    // generated kinds can satisfy.
    let present = |k: &EntityKind| !of_kind[k.index() as usize].is_empty();
    let types: Vec<RelationType> = TYPE_ORDER
        .iter()
        .copied()
        .filter(|&ty| {
            allowed_sources(ty)
                .iter()
                .filter(|k| present(k))
                .any(|&s| allowed_targets(ty, s).iter().any(present))
        })
        .collect();
    let type_weights = cumulate((0..types.len()).map(|i| 1.0 / ((i + 1) as f64).powf(TYPE_SKEW)));

    // The urn of preferential attachment: every end ever drawn, by kind.
    let mut urn: Vec<Vec<u32>> = vec![Vec::new(); EntityKind::ALL.len()];
    let mut seen: HashSet<(u32, u32, u8)> = HashSet::with_capacity(config.relations);
    let mut edges = Vec::with_capacity(config.relations);
    let mut attempts = 0usize;
    let max_attempts = config.relations.saturating_mul(20);
    while edges.len() < config.relations && attempts < max_attempts && !types.is_empty() {
        attempts += 1;
        let ty = types[draw(&mut rng, &type_weights)];
        let sources: Vec<EntityKind> = allowed_sources(ty)
            .iter()
            .copied()
            .filter(|&s| present(&s) && allowed_targets(ty, s).iter().any(present))
            .collect();
        let source_kind = pick_kind(&mut rng, &sources, &of_kind);
        let targets: Vec<EntityKind> = allowed_targets(ty, source_kind)
            .iter()
            .copied()
            .filter(present)
            .collect();
        let target_kind = pick_kind(&mut rng, &targets, &of_kind);
        let source = pick_node(&mut rng, source_kind, &of_kind, &urn);
        let target = pick_node(&mut rng, target_kind, &of_kind, &urn);
        if source == target || !seen.insert((source, target, ty.index())) {
            continue;
        }
        urn[source_kind.index() as usize].push(source);
        urn[target_kind.index() as usize].push(target);
        let born = nodes[source as usize].year.max(nodes[target as usize].year);
        let since = rng
            .random_bool(0.6)
            .then(|| (born + rng.random_range(0..5)).min(2025));
        let until = since
            .filter(|_| rng.random_bool(0.05))
            .map(|s| s + rng.random_range(1..10));
        edges.push(Edge {
            source,
            target,
            ty,
            since,
            until,
        });
    }
    Synthetic { nodes, edges }
}

/// A kind among `kinds`, weighted by how many entities it has.
fn pick_kind(rng: &mut impl Rng, kinds: &[EntityKind], of_kind: &[Vec<u32>]) -> EntityKind {
    let weights = cumulate(
        kinds
            .iter()
            .map(|k| of_kind[k.index() as usize].len() as f64),
    );
    kinds[draw(rng, &weights)]
}

/// An entity of `kind`: uniformly now and then, else in proportion to its degree so far.
fn pick_node(rng: &mut impl Rng, kind: EntityKind, of_kind: &[Vec<u32>], urn: &[Vec<u32>]) -> u32 {
    let all = &of_kind[kind.index() as usize];
    let drawn = &urn[kind.index() as usize];
    if drawn.is_empty() || rng.random_bool(UNIFORM_SHARE) {
        all[rng.random_range(0..all.len())]
    } else {
        drawn[rng.random_range(0..drawn.len())]
    }
}

impl Synthetic {
    /// The evidence of the `i`th relation.
    fn evidence(i: usize) -> Evidence {
        Evidence::new(SECTION, format!("synthetic fact {i}"))
    }

    /// The model relation of edge `i`.
    pub fn relation(&self, i: usize) -> Relation {
        let edge = self.edges[i];
        let (s, t) = (
            &self.nodes[edge.source as usize],
            &self.nodes[edge.target as usize],
        );
        Relation {
            id: relation_id(&s.id, edge.ty, &t.id),
            ty: edge.ty,
            source: s.id.clone(),
            target: t.id.clone(),
            since: edge.since,
            until: edge.until,
            evidence: vec![Self::evidence(i)],
        }
    }

    /// The model entity of node `i`.
    pub fn entity(&self, i: usize) -> Entity {
        let node = &self.nodes[i];
        Entity {
            id: node.id.clone(),
            kind: node.kind,
            name: node.name.clone(),
            aliases: Vec::new(),
            year: Some(node.year),
            attributes: Default::default(),
        }
    }

    /// The whole graph as a canonical model dataset.
    pub fn to_dataset(&self) -> Dataset {
        let mut dataset = Dataset {
            entities: (0..self.nodes.len()).map(|i| self.entity(i)).collect(),
            relations: (0..self.edges.len()).map(|i| self.relation(i)).collect(),
            profiles: Vec::new(),
        };
        dataset.canonicalize();
        dataset
    }

    /// The number of relations at each entity, both directions.
    pub fn degrees(&self) -> Vec<u32> {
        let mut degree = vec![0u32; self.nodes.len()];
        for edge in &self.edges {
            degree[edge.source as usize] += 1;
            degree[edge.target as usize] += 1;
        }
        degree
    }

    /// Writes `nodes.csv` and `relationships.csv` into `dir` (created if needed)
    /// and returns their paths.
    pub fn write_csv(&self, dir: &Path) -> Result<(PathBuf, PathBuf), SynthError> {
        std::fs::create_dir_all(dir).map_err(|source| SynthError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let nodes_path = dir.join("nodes.csv");
        let relationships_path = dir.join("relationships.csv");
        let mut nodes = writer(&nodes_path)?;
        let csv_err = |path: &Path| {
            let path = path.to_owned();
            move |source| SynthError::Csv { path, source }
        };
        nodes
            .write_record(NODES_HEADER)
            .map_err(csv_err(&nodes_path))?;
        for node in &self.nodes {
            let year = node.year.to_string();
            let label = format!("Entity;{}", label(node.kind));
            nodes
                .write_record([
                    node.id.as_str(),
                    &node.name,
                    node.kind.as_str(),
                    &year,
                    "",
                    &label,
                ])
                .map_err(csv_err(&nodes_path))?;
        }
        finish(nodes, &nodes_path)?;
        let mut relationships = writer(&relationships_path)?;
        relationships
            .write_record(RELATIONSHIPS_HEADER)
            .map_err(csv_err(&relationships_path))?;
        let optional = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
        for (i, edge) in self.edges.iter().enumerate() {
            let evidence = Self::evidence(i);
            relationships
                .write_record([
                    self.nodes[edge.source as usize].id.as_str(),
                    &self.nodes[edge.target as usize].id,
                    edge.ty.as_str(),
                    // Empty: the importer derives `<source>|<TYPE>|<target>`.
                    "",
                    &optional(edge.since),
                    &optional(edge.until),
                    &evidence.section,
                    &format!("{}: {}", evidence.section, evidence.quote),
                ])
                .map_err(csv_err(&relationships_path))?;
        }
        finish(relationships, &relationships_path)?;
        Ok((nodes_path, relationships_path))
    }
}

fn writer(path: &Path) -> Result<csv::Writer<std::io::BufWriter<std::fs::File>>, SynthError> {
    let file = std::fs::File::create(path).map_err(|source| SynthError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(csv::Writer::from_writer(std::io::BufWriter::with_capacity(
        1 << 20,
        file,
    )))
}

fn finish(
    writer: csv::Writer<std::io::BufWriter<std::fs::File>>,
    path: &Path,
) -> Result<(), SynthError> {
    let io = |source| SynthError::Io {
        path: path.to_owned(),
        source,
    };
    let mut inner = writer.into_inner().map_err(|e| io(e.into_error()))?;
    inner.flush().map_err(io)
}

/// A node label in Neo4j's usual PascalCase: INTERNATIONAL_ORGANIZATION -> InternationalOrganization.
pub fn label(kind: EntityKind) -> String {
    kind.as_str()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_string() + &chars.as_str().to_lowercase()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use govgraph_model::{check_domain_range, check_entity_id};
    use std::collections::HashMap;

    fn small() -> Synthetic {
        generate(Config {
            entities: 2_000,
            relations: 10_000,
            seed: 7,
        })
    }

    #[test]
    fn the_same_seed_gives_the_same_graph() {
        assert_eq!(small(), small());
        let other = generate(Config {
            entities: 2_000,
            relations: 10_000,
            seed: 8,
        });
        assert_ne!(small().edges, other.edges);
    }

    #[test]
    fn counts_are_as_asked() {
        let g = small();
        assert_eq!(g.nodes.len(), 2_000);
        assert_eq!(g.edges.len(), 10_000);
        let ids: HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids.len(), 2_000, "entity ids are unique");
        let dataset = g.to_dataset();
        let relation_ids: HashSet<&str> = dataset.relations.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(relation_ids.len(), 10_000, "relation ids are unique");
        for kind in EntityKind::ALL {
            assert!(
                g.nodes.iter().any(|n| n.kind == *kind),
                "some entity is a {kind}"
            );
        }
    }

    #[test]
    fn every_id_and_relation_obeys_the_rules() {
        let g = small();
        for node in &g.nodes {
            check_entity_id(&node.id, node.kind).unwrap();
        }
        for edge in &g.edges {
            let (s, t) = (
                &g.nodes[edge.source as usize],
                &g.nodes[edge.target as usize],
            );
            check_domain_range(edge.ty, s.kind, t.kind).unwrap();
            assert_ne!(edge.source, edge.target);
        }
    }

    #[test]
    fn degrees_and_types_are_skewed() {
        let g = small();
        let mut degrees = g.degrees();
        degrees.sort_unstable();
        let median = degrees[degrees.len() / 2].max(1);
        let max = *degrees.last().unwrap();
        assert!(max >= 20 * median, "max degree {max}, median {median}");
        let mut by_type: HashMap<RelationType, usize> = HashMap::new();
        for edge in &g.edges {
            *by_type.entry(edge.ty).or_default() += 1;
        }
        let most = by_type.values().max().copied().unwrap_or(0);
        let least = by_type.values().min().copied().unwrap_or(0);
        assert!(by_type.len() >= 15, "{} types used", by_type.len());
        assert!(most >= 10 * least.max(1), "most {most}, least {least}");
    }

    #[test]
    fn csv_files_have_the_import_headers() {
        let dir = tempfile::tempdir().unwrap();
        let g = generate(Config {
            entities: 50,
            relations: 100,
            seed: 1,
        });
        let (nodes, relationships) = g.write_csv(dir.path()).unwrap();
        let mut reader = csv::Reader::from_path(&nodes).unwrap();
        assert_eq!(reader.headers().unwrap(), NODES_HEADER);
        assert_eq!(reader.records().count(), 50);
        let mut reader = csv::Reader::from_path(&relationships).unwrap();
        assert_eq!(reader.headers().unwrap(), RELATIONSHIPS_HEADER);
        assert_eq!(reader.records().count(), 100);
    }
}
