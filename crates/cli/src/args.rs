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
    },
    /// Validate a data folder and write it into the store, replacing what was there.
    Import {
        /// The data folder (TOML files).
        #[arg(long)]
        data: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
        /// Check every evidence quote against this profile (markdown).
        #[arg(long)]
        profile: Option<PathBuf>,
    },
    /// Check a data folder and list every problem as file:line:column.
    Validate {
        /// The data folder (TOML files).
        #[arg(long)]
        data: PathBuf,
        /// Check every evidence quote against this profile (markdown).
        #[arg(long)]
        profile: Option<PathBuf>,
    },
    /// Count the stored entities by kind and relations by type.
    Stats {
        #[command(flatten)]
        store: StoreArgs,
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
