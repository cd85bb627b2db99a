//! One function per subcommand.

use crate::args::{Cli, Command, ExportFormat};
use crate::dataset::{self, EMBEDDED};
use crate::exit;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use crate::output::outln;

/// Runs the chosen subcommand.
pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    // A server logs what it does; other commands only what the user should
    // know of (a persisted index not used, records left out), on stderr.
    init_tracing(if matches!(cli.command, Command::Serve { .. }) {
        "info,tower_http=warn"
    } else {
        "warn"
    });
    match cli.command {
        Command::Serve {
            addr,
            store,
            data,
            profile,
            cors_origins,
            introspection,
        } => serve(
            addr,
            &store.db,
            data.as_deref(),
            profile.as_deref(),
            govgraph_server::CorsOrigins::parse(&cors_origins)
                .map_err(|e| crate::exit::usage(format!("--cors-origin: {e}")))?,
            introspection == crate::args::Switch::On,
        ),
        Command::Coverage {
            profile,
            data,
            verbose,
        } => crate::profile::coverage(&profile, data.as_deref(), verbose),
        Command::Profile { command } => crate::profile::run(command),
        Command::Import {
            data,
            nodes,
            relationships,
            store,
            profile,
            limits,
        } => match (data, nodes, relationships) {
            (_, Some(nodes), Some(relationships)) => {
                crate::bulk::import_csv(&nodes, &relationships, &store.db, &limits.limits())
            }
            (Some(data), _, _) => import(&data, &store.db, profile.as_deref(), &limits.limits()),
            (None, None, None) => import_default(&store.db),
            _ => anyhow::bail!("give --data DIR, or --nodes and --relationships"),
        },
        Command::Synth {
            entities,
            relations,
            seed,
            out,
        } => crate::bulk::synth(entities, relations, seed, &out),
        Command::Validate {
            data,
            profile,
            limits,
        } => validate(&data, profile.as_deref(), &limits.limits()),
        Command::Stats { store } => stats(&store.db),
        Command::Export {
            format,
            center,
            depth,
            out,
            store,
        } => export(format, center.as_deref(), depth, out.as_deref(), &store.db),
        Command::Query {
            query: document,
            variables,
            store,
        } => query(&document, variables.as_deref(), &store.db),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn serve(
    addr: SocketAddr,
    db: &Path,
    data: Option<&Path>,
    profile: Option<&Path>,
    cors: govgraph_server::CorsOrigins,
    introspection: bool,
) -> Result<ExitCode> {
    // The claim lives as long as the server: no other server replaces the
    // data under it (see govgraph_store::ServerClaim).
    let (store, _claim) = match data {
        Some(dir) => {
            let dataset = dataset::from_dir(dir, None)?;
            let source = format!("dir:{}", dir.display());
            dataset::ensure_store(db, &dataset, &source, true)?
        }
        None => dataset::ensure_store(db, &dataset::embedded()?, EMBEDDED, false)?,
    };
    let graph = dataset::load_graph(&store)?;
    tracing::info!(entities = graph.entity_count(), relations = graph.relation_count(), source = %store.meta().source, "graph loaded");
    // The graph is in memory now; closing the store releases sled's exclusive
    // lock so that `stats`, `query` and `export` can read it while we serve.
    let fingerprint = store.meta().fingerprint.clone();
    let generation = store.generation().to_owned();
    let source = store.meta().source.clone();
    drop(store);
    // Mentions come from one document: --profile, the data folder's own source,
    // or (for the default data) the embedded one; a folder of several profiles
    // has no single document, so it is served without them.
    let mentions_from = match (data, dataset::profile_for_mentions(data, profile)) {
        (Some(_), None) => {
            tracing::info!("no single source document for this data: `mentions` are empty (give --profile for one)");
            crate::reload::MentionsFrom::None
        }
        (_, path) => crate::reload::MentionsFrom::Document { path, source },
    };
    let mentions = match &mentions_from {
        crate::reload::MentionsFrom::None => None,
        crate::reload::MentionsFrom::Document { path, .. } => {
            crate::profile::serve_mentions(&graph, path.as_deref())?
        }
    };
    let limits = govgraph_api::Limits {
        introspection,
        ..Default::default()
    };
    let state = govgraph_server::AppState::with_limits(graph, mentions.map(Arc::new), limits)
        .fingerprint(fingerprint)
        .cors(cors);
    tracing::info!(console = govgraph_server::console_kind(), "query console");
    let app = govgraph_server::app(state.clone());
    let watched = db.to_owned();
    runtime()?.block_on(async move {
        tokio::spawn(crate::reload::watch(
            state,
            watched,
            generation,
            mentions_from,
        ));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener
            .local_addr()
            .context("cannot read the listening address")?;
        outln!("govgraph serving on http://{local}/ (GraphQL at http://{local}/graphql)")?;
        govgraph_server::serve(listener, app, Default::default(), shutdown_signal())
            .await
            .context("the server failed")
    })?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

fn import(
    data: &Path,
    db: &Path,
    profile: Option<&Path>,
    limits: &govgraph_loader::Limits,
) -> Result<ExitCode> {
    let dataset = dataset::from_dir_with(data, profile, limits)?;
    let source = format!("dir:{}", data.display());
    let meta = dataset::import(db, &dataset, &source)?;
    crate::output::imported(&meta, db)
}

/// `govgraph import` with no data: the embedded default dataset.
fn import_default(db: &Path) -> Result<ExitCode> {
    let meta = dataset::import(db, &dataset::embedded()?, EMBEDDED)?;
    outln!(
        "imported the default dataset, {} entities and {} relations, into {}",
        meta.entities,
        meta.relations,
        db.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn validate(
    data: &Path,
    profile: Option<&Path>,
    limits: &govgraph_loader::Limits,
) -> Result<ExitCode> {
    let dataset = dataset::from_dir_with(data, profile, limits)?;
    let quotes = if dataset::profile_for(data, profile).is_some() {
        ", every quote verbatim in the profile"
    } else {
        ""
    };
    outln!(
        "{}: {} entities, {} relations, no problems{quotes}",
        data.display(),
        dataset.entities.len(),
        dataset.relations.len()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn stats(db: &Path) -> Result<ExitCode> {
    let store = dataset::open_existing(db)?;
    let graph = dataset::load_graph(&store)?;
    outln!(
        "{} entities, {} relations ({})",
        graph.entity_count(),
        graph.relation_count(),
        store.meta().source
    )?;
    outln!("\nentities by kind")?;
    for (kind, count) in graph.kind_counts() {
        outln!("  {:<28} {count:>6}", kind.as_str())?;
    }
    outln!("\nrelations by type")?;
    for (ty, count) in graph.type_counts() {
        outln!("  {:<28} {count:>6}", ty.as_str())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Largest --depth: a neighbourhood grows fast with each hop.
const MAX_EXPORT_DEPTH: u32 = 8;

fn export(
    format: ExportFormat,
    center: Option<&str>,
    depth: u32,
    out: Option<&Path>,
    db: &Path,
) -> Result<ExitCode> {
    use govgraph_export::Selection;
    anyhow::ensure!(
        depth <= MAX_EXPORT_DEPTH,
        "--depth must be at most {MAX_EXPORT_DEPTH}, got {depth}"
    );
    let store = dataset::open_existing(db)?;
    let graph = dataset::load_graph(&store)?;
    let selection = match center {
        Some(id) => {
            let centre = graph
                .entity_ix(id)
                .with_context(|| format!("no entity has the id `{id}` (--center)"))?;
            let filter = govgraph_graph::EdgeFilter::listing(None);
            Selection::from(graph.neighborhood(centre, depth, &filter, usize::MAX))
        }
        None => Selection::whole(&graph, None),
    };
    let text = match format {
        ExportFormat::Neo4jCsv => {
            let dir = out.unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let files = govgraph_export::neo4j_csv(&graph, &selection)?;
            for (name, contents) in [
                ("nodes.csv", &files.nodes),
                ("relationships.csv", &files.relationships),
            ] {
                let path = dir.join(name);
                std::fs::write(&path, contents)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            outln!(
                "wrote {} nodes and {} relationships to {}",
                selection.entities.len(),
                selection.relations.len(),
                dir.display()
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        ExportFormat::Text(format) => govgraph_export::export(&graph, &selection, format)?,
    };
    match out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => crate::output::write(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn query(document: &str, variables: Option<&str>, db: &Path) -> Result<ExitCode> {
    let store = dataset::open_existing(db)?;
    let graph = dataset::load_graph(&store)?;
    let schema = govgraph_api::schema(graph, govgraph_api::Limits::default());
    let mut request = async_graphql::Request::new(document);
    if let Some(variables) = variables {
        let value: serde_json::Value =
            serde_json::from_str(variables).context("--variables is not valid JSON")?;
        anyhow::ensure!(value.is_object(), "--variables must be a JSON object");
        request = request.variables(async_graphql::Variables::from_json(value));
    }
    let response = runtime()?.block_on(schema.execute(request));
    let failed = !response.errors.is_empty();
    outln!(
        "{}",
        serde_json::to_string_pretty(&response).context("cannot encode the response")?
    )?;
    Ok(if failed {
        ExitCode::from(exit::QUERY_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Logs to stderr at `default` unless `RUST_LOG` says otherwise.
fn init_tracing(default: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default.into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a terminal, not in a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
