//! Command-line arguments.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// A graph of how migration is governed: laws, bodies, agreements, countries and
/// conventions from a Migration Governance Indicators profile, served over GraphQL.
#[derive(Parser)]
#[command(name = "govgraph", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the store lives; shared by the commands that use one.
#[derive(clap::Args, Clone)]
pub(crate) struct StoreArgs {
    /// The store folder.
    #[arg(long, env = "GOVGRAPH_DB", default_value = "govgraph-store")]
    pub db: PathBuf,
}

/// Size limits on the data read by `import` and `validate`.
#[derive(clap::Args, Clone, Copy)]
pub(crate) struct LimitArgs {
    /// The largest TOML data file read, in bytes (a CSV file is streamed and
    /// not bounded as a whole).
    #[arg(long, value_name = "BYTES", default_value_t = govgraph_loader::Limits::DEFAULT.max_file_bytes)]
    pub max_file_bytes: u64,
    /// The longest field (id, name, alias, attribute, section, quote), in bytes;
    /// a CSV record may hold 16 such fields' worth.
    #[arg(long, value_name = "BYTES", default_value_t = govgraph_loader::Limits::DEFAULT.max_field_bytes)]
    pub max_field_bytes: usize,
}

impl LimitArgs {
    /// The limits the loader and the CSV import apply.
    pub fn limits(self) -> govgraph_loader::Limits {
        govgraph_loader::Limits {
            max_file_bytes: self.max_file_bytes,
            max_field_bytes: self.max_field_bytes,
        }
    }
}

/// On or off.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Switch {
    /// Enabled.
    On,
    /// Disabled.
    Off,
}

/// What `govgraph export` writes: one of the exporter's text formats, or the
/// CSV pair `neo4j-admin database import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportFormat {
    /// A text format (graphml, gexf, cytoscape, dot).
    Text(govgraph_export::Format),
    /// nodes.csv and relationships.csv.
    Neo4jCsv,
}

/// The command line names the exporter's formats as [`govgraph_export::Format::name`] does.
impl clap::ValueEnum for ExportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        use govgraph_export::Format;
        &[
            ExportFormat::Text(Format::GraphMl),
            ExportFormat::Text(Format::Gexf),
            ExportFormat::Text(Format::CytoscapeJson),
            ExportFormat::Text(Format::Dot),
            ExportFormat::Neo4jCsv,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            ExportFormat::Text(format) => format.name(),
            ExportFormat::Neo4jCsv => "csv",
        }))
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Serve GraphQL (POST/GET /graphql), a query console at /, and /health.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        store: StoreArgs,
        /// Serve this data folder instead of the embedded default dataset.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Answer entity mentions from this profile (markdown) instead of the
        /// data folder's `source/profile.md` or the embedded default profile.
        #[arg(long)]
        profile: Option<PathBuf>,
        /// A browser origin allowed to call the API (CORS), as
        /// `scheme://host[:port]`; repeatable. `*` allows any origin (the default:
        /// the API is public, read-only and uses no credentials); `none` sends no
        /// CORS headers, so only pages served by govgraph itself can read answers.
        #[arg(long = "cors-origin", value_name = "ORIGIN")]
        cors_origins: Vec<String>,
        /// Whether `__schema` and `__type` are answered (GraphiQL, codegen and
        /// typed clients need them on).
        #[arg(long, value_enum, default_value_t = Switch::On)]
        introspection: Switch,
    },
    /// Match every Key Sources entry, Table 1 row and country named in a profile
    /// to an entity of the dataset; list what is unmatched.
    Coverage {
        /// The profile (markdown).
        #[arg(long)]
        profile: PathBuf,
        /// The data folder; the embedded default dataset when omitted.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Also print every match, with the entity and how it was matched.
        #[arg(long)]
        verbose: bool,
    },
    /// Read a profile: inspect its structure or scaffold a data file from it.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// Validate a data folder (or a folder of profile folders) and write it into
    /// the store, replacing what was there; without --data, the embedded default
    /// dataset.
    Import {
        /// The data folder (TOML files), or a folder of profile folders.
        #[arg(long, conflicts_with = "nodes")]
        data: Option<PathBuf>,
        /// Bulk import: a neo4j-admin nodes CSV (with --relationships), streamed in batches.
        #[arg(long, requires = "relationships")]
        nodes: Option<PathBuf>,
        /// Bulk import: the neo4j-admin relationships CSV that goes with --nodes.
        #[arg(long, requires = "nodes")]
        relationships: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
        /// Check every evidence quote against this profile (markdown); by default
        /// the data folder's own `source/profile.md` when it has one.
        #[arg(long)]
        profile: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Check a data folder and list every problem as file:line:column.
    Validate {
        /// The data folder (TOML files).
        #[arg(long)]
        data: PathBuf,
        /// Check every evidence quote against this profile (markdown); by default
        /// the data folder's own `source/profile.md` when it has one.
        #[arg(long)]
        profile: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Count the stored entities by kind and relations by type.
    Stats {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Export the graph, or the neighbourhood of one entity, for Gephi, Cytoscape,
    /// Graphviz or `neo4j-admin database import` (csv: nodes.csv and relationships.csv).
    Export {
        /// The file format.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Export only the neighbourhood of this entity id.
        #[arg(long)]
        center: Option<String>,
        /// Hops around --center.
        #[arg(long, default_value_t = 1, requires = "center")]
        depth: u32,
        /// Where to write: a file (a folder for csv). Standard output when omitted,
        /// except for csv, which writes into the current folder.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write a synthetic graph (power-law degrees, the real kinds and rules) as a
    /// neo4j-admin CSV pair, for benchmarks.
    Synth {
        /// Number of entities.
        #[arg(long)]
        entities: usize,
        /// Number of relations.
        #[arg(long)]
        relations: usize,
        /// Random seed: the same seed gives the same files.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Folder to write nodes.csv and relationships.csv into.
        #[arg(long)]
        out: PathBuf,
    },
    /// Run one GraphQL operation in-process and print the JSON response.
    Query {
        /// The GraphQL document.
        query: String,
        /// Variables, as a JSON object.
        #[arg(long)]
        variables: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// A subcommand of `govgraph profile`.
#[derive(Subcommand)]
pub(crate) enum ProfileCommand {
    /// Write a starting TOML data file from the Key Sources and Table 1.
    Scaffold {
        /// The profile (markdown).
        path: PathBuf,
        /// Where to write; standard output when omitted.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the outline, counts and diagnostics of a profile.
    Inspect {
        /// The profile (markdown).
        path: PathBuf,
    },
}
