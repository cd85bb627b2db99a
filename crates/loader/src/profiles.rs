//! Several profiles in one dataset: each profile's folder is loaded and checked
//! on its own (its quotes against its own source document), its evidence is
//! stamped with the profile's id, and the folders are merged.
//!
//! Countries, international organizations, processes and conventions are the
//! same things whichever profile names them, so they may be defined by several
//! folders under one id and are merged (the first folder's name wins, aliases and
//! attributes are joined); any other id defined by two folders is a problem. A
//! relation stated by two profiles keeps the evidence of both.

use crate::problem::{Problem, Problems};
use crate::source::DataFile;
use crate::validate::{load_with, Loaded, Profile};
use govgraph_model::{Dataset, Entity, EntityKind, Limits, ProfileInfo, Relation};
use std::collections::HashMap;

/// The kinds that several profiles may define under one id.
pub const SHARED_KINDS: [EntityKind; 4] = [
    EntityKind::Country,
    EntityKind::InternationalOrganization,
    EntityKind::Process,
    EntityKind::Convention,
];

/// One profile's data: who it is, its files, and its source document for the
/// verbatim check, when there is one.
pub struct ProfileFolder {
    /// The profile's id, title, country and year.
    pub info: ProfileInfo,
    /// Its data files.
    pub files: Vec<DataFile>,
    /// Its source document, prepared for the quote check.
    pub source: Option<Profile>,
}

/// Loads every folder under the default [`Limits`] and merges them; returns the
/// dataset only when no folder has a problem and the folders agree (warnings
/// are dropped; see [`load_profiles_with`]).
pub fn load_profiles(folders: &[ProfileFolder]) -> Result<Dataset, Problems> {
    load_profiles_with(folders, &Limits::default()).map(|loaded| loaded.dataset)
}

/// Loads every folder and merges them; returns the dataset, with the warnings
/// of every folder, only when no folder has a problem and the folders agree.
pub fn load_profiles_with(folders: &[ProfileFolder], limits: &Limits) -> Result<Loaded, Problems> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut merged = Dataset::default();
    let mut entity_at: HashMap<String, (usize, String)> = HashMap::new();
    let mut relation_at: HashMap<String, usize> = HashMap::new();
    for folder in folders {
        let id = &folder.info.id;
        if merged.profiles.iter().any(|p| &p.id == id) {
            problems.push(whole_folder(
                folder,
                format!("a second profile with the id `{id}`"),
            ));
            continue;
        }
        merged.profiles.push(folder.info.clone());
        let dataset = match load_with(&folder.files, folder.source.as_ref(), limits) {
            Ok(loaded) => {
                warnings.extend(loaded.warnings);
                loaded.dataset
            }
            Err(Problems(found)) => {
                problems.extend(found);
                continue;
            }
        };
        for entity in dataset.entities {
            match entity_at.get(&entity.id) {
                None => {
                    entity_at.insert(entity.id.clone(), (merged.entities.len(), id.clone()));
                    merged.entities.push(entity);
                }
                Some((at, first)) => {
                    let kept = &mut merged.entities[*at];
                    if let Some(message) = assigned_code_clash(kept, &entity, first) {
                        problems.push(whole_folder(folder, message));
                    } else if kept.kind != entity.kind || !SHARED_KINDS.contains(&entity.kind) {
                        problems.push(whole_folder(
                            folder,
                            format!(
                                "`{}` ({}) is also defined by the profile `{first}` ({}); only countries, international organizations, processes and conventions may be shared",
                                entity.id,
                                entity.kind.as_str(),
                                kept.kind.as_str()
                            ),
                        ));
                    } else {
                        merge_entity(kept, entity);
                    }
                }
            }
        }
        for mut relation in dataset.relations {
            for evidence in &mut relation.evidence {
                evidence.profile = Some(id.clone());
            }
            match relation_at.get(&relation.id) {
                None => {
                    relation_at.insert(relation.id.clone(), merged.relations.len());
                    merged.relations.push(relation);
                }
                Some(at) => merge_relation(&mut merged.relations[*at], relation),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    merged.canonicalize();
    Ok(Loaded {
        dataset: merged,
        warnings,
    })
}

/// Two profiles naming different countries under one user-assigned code (two
/// invented countries whose names start alike): a clash, not a shared country.
fn assigned_code_clash(kept: &Entity, other: &Entity, first: &str) -> Option<String> {
    let code = other.id.strip_prefix("country:")?;
    let differ = govgraph_model::text::fold(&kept.name) != govgraph_model::text::fold(&other.name);
    (other.kind == EntityKind::Country && govgraph_model::is_user_assigned_code(code) && differ).then(|| {
        format!(
            "`{}` names {} here but {} in the profile `{first}`: give one of them another user-assigned code (XAA–XZZ)",
            other.id, other.name, kept.name
        )
    })
}

fn whole_folder(folder: &ProfileFolder, message: String) -> Problem {
    Problem {
        file: folder
            .files
            .first()
            .map(|f| f.name.clone())
            .unwrap_or_else(|| folder.info.id.clone()),
        line: 1,
        column: 1,
        field: Some("entity.id".to_owned()),
        message,
    }
}

/// Joins a second definition of a shared entity into the first.
fn merge_entity(kept: &mut Entity, other: Entity) {
    for alias in std::iter::once(other.name).chain(other.aliases) {
        if alias != kept.name && !kept.aliases.contains(&alias) {
            kept.aliases.push(alias);
        }
    }
    kept.year = kept.year.or(other.year);
    for (key, value) in other.attributes {
        kept.attributes.entry(key).or_insert(value);
    }
}

/// Joins the evidence of a relation another profile also states.
fn merge_relation(kept: &mut Relation, other: Relation) {
    kept.since = kept.since.or(other.since);
    kept.until = kept.until.or(other.until);
    for evidence in other.evidence {
        if !kept.evidence.contains(&evidence) {
            kept.evidence.push(evidence);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: &str, text: &str) -> ProfileFolder {
        ProfileFolder {
            info: ProfileInfo {
                id: id.to_owned(),
                title: id.to_uppercase(),
                country: None,
                year: None,
            },
            files: vec![DataFile::new(
                format!("{id}/a.toml"),
                text.as_bytes().to_vec(),
            )],
            source: None,
        }
    }

    const ITALY: &str = "[[entity]]\nid = \"country:ITA\"\nkind = \"COUNTRY\"\nname = \"Italy\"\n";

    #[test]
    fn shared_entities_merge_and_evidence_names_its_profile() {
        let a = format!("{ITALY}\n[[entity]]\nid = \"agreement:a\"\nkind = \"AGREEMENT\"\nname = \"A\"\n\n[[relation]]\ntype = \"PARTY_TO\"\nsource = \"country:ITA\"\ntarget = \"agreement:a\"\n[[relation.evidence]]\nsection = \"1.1\"\nquote = \"with Italy\"\n");
        let b = format!("{}\n[[entity]]\nid = \"agreement:b\"\nkind = \"AGREEMENT\"\nname = \"B\"\n\n[[relation]]\ntype = \"PARTY_TO\"\nsource = \"country:ITA\"\ntarget = \"agreement:b\"\n[[relation.evidence]]\nsection = \"2.1\"\nquote = \"Italian Republic\"\n", ITALY.replace("\"Italy\"", "\"Italian Republic\""));
        let dataset = load_profiles(&[folder("one", &a), folder("two", &b)]).expect("valid");
        assert_eq!(dataset.profiles.len(), 2);
        let italy = dataset
            .entities
            .iter()
            .find(|e| e.id == "country:ITA")
            .expect("Italy");
        assert_eq!(
            (italy.name.as_str(), italy.aliases.as_slice()),
            ("Italy", &["Italian Republic".to_owned()][..])
        );
        let profiles: Vec<Option<&str>> = dataset
            .relations
            .iter()
            .map(|r| r.evidence[0].profile.as_deref())
            .collect();
        assert_eq!(profiles, [Some("one"), Some("two")]);
    }

    #[test]
    fn only_shared_kinds_may_be_defined_twice() {
        let law = "[[entity]]\nid = \"law:x\"\nkind = \"LAW\"\nname = \"X\"\n";
        let Err(Problems(problems)) = load_profiles(&[folder("one", law), folder("two", law)])
        else {
            panic!("a law defined by two profiles is refused");
        };
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .contains("`law:x` (LAW) is also defined by the profile `one`"),
            "{problems:?}"
        );
        assert_eq!(problems[0].file, "two/a.toml");
        let valdoria =
            "[[entity]]\nid = \"country:XVA\"\nkind = \"COUNTRY\"\nname = \"Valdoria\"\n";
        let Err(Problems(problems)) = load_profiles(&[
            folder("one", valdoria),
            folder("two", &valdoria.replace("Valdoria", "Valmont")),
        ]) else {
            panic!("two invented countries under one code are refused");
        };
        assert!(
            problems[0]
                .message
                .contains("names Valmont here but Valdoria"),
            "{problems:?}"
        );
        let Err(Problems(problems)) = load_profiles(&[folder("one", ITALY), folder("one", ITALY)])
        else {
            panic!("two profiles with one id are refused");
        };
        assert!(problems[0]
            .message
            .contains("a second profile with the id `one`"));
    }
}
