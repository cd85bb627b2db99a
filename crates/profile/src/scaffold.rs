//! A starting data file for a new profile: the Key Sources entries and Table 1 rows
//! as entities, and the relations the entries state, each with a verbatim quote, in
//! the TOML format of `data/README.md`. A curator edits it from there; nothing here
//! claims more than the entry's own words.

use crate::countries::{iso3_of, named_countries};
use crate::document::{Document, EntryRole};
use govgraph_model::{allowed_sources, allowed_targets, slugify, EntityKind, RelationType};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// One entity to write.
struct NewEntity {
    id: String,
    kind: EntityKind,
    name: String,
    year: Option<i32>,
    attributes: BTreeMap<String, String>,
}

/// One relation to write.
struct NewRelation {
    ty: RelationType,
    source: String,
    target: String,
    since: Option<i32>,
    section: &'static str,
    quote: String,
}

#[derive(Default)]
struct Builder {
    entities: Vec<NewEntity>,
    /// Ids in use, so that two entries with one slug get `-2`, `-3`.
    ids: HashMap<String, usize>,
    /// Counterparts already created, by kind and folded name, so that one issuer
    /// listed under many entries is one entity.
    by_name: HashMap<(EntityKind, String), String>,
    relations: Vec<NewRelation>,
}

impl Builder {
    fn unique_id(&mut self, base: String) -> String {
        let count = self.ids.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        }
    }

    fn add(&mut self, kind: EntityKind, name: &str, year: Option<i32>) -> String {
        let slug = match slugify(name) {
            s if s.is_empty() => "unnamed".to_owned(),
            s => s
                .chars()
                .take(80)
                .collect::<String>()
                .trim_end_matches('-')
                .to_owned(),
        };
        let id = self.unique_id(format!("{}:{slug}", kind.id_prefix()));
        self.entities.push(NewEntity {
            id: id.clone(),
            kind,
            name: name.to_owned(),
            year,
            attributes: BTreeMap::new(),
        });
        id
    }

    /// The entity named `name` of `kind`, created on first use. Countries get their
    /// ISO id when the ISO table knows the name.
    fn counterpart(&mut self, kind: EntityKind, name: &str) -> String {
        let key = (kind, govgraph_model::text::fold(name));
        if let Some(id) = self.by_name.get(&key) {
            return id.clone();
        }
        let id = match (kind, iso3_of(name)) {
            (EntityKind::Country, Some(code)) => self.country(code, name),
            _ => self.add(kind, name, None),
        };
        self.by_name.insert(key, id.clone());
        id
    }

    fn country(&mut self, code: &str, name: &str) -> String {
        let id = format!("country:{code}");
        if !self.entities.iter().any(|e| e.id == id) {
            self.ids.insert(id.clone(), 1);
            let mut attributes = BTreeMap::new();
            attributes.insert("iso3".to_owned(), code.to_owned());
            self.entities.push(NewEntity {
                id: id.clone(),
                kind: EntityKind::Country,
                name: name.to_owned(),
                year: None,
                attributes,
            });
        }
        id
    }
}

/// The kind the other end of a candidate relation most likely is: a country when
/// the ISO table knows the name, otherwise the first kind the rule allows.
fn counterpart_kind(
    ty: RelationType,
    role: EntryRole,
    entry_kind: EntityKind,
    name: &str,
) -> Option<EntityKind> {
    let allowed: &[EntityKind] = match role {
        EntryRole::Source => allowed_targets(ty, entry_kind),
        EntryRole::Target => allowed_sources(ty),
    };
    if iso3_of(name).is_some() && allowed.contains(&EntityKind::Country) {
        return Some(EntityKind::Country);
    }
    allowed
        .iter()
        .copied()
        .find(|k| *k != EntityKind::Country)
        .or_else(|| allowed.first().copied())
}

/// Writes the TOML data file for `doc`.
pub fn scaffold(doc: &Document) -> String {
    let mut b = Builder::default();
    for entry in &doc.key_sources {
        let name = if entry.title.is_empty() {
            &entry.text
        } else {
            &entry.title
        };
        let id = b.add(entry.kind, name, entry.year);
        let last = b.entities.len() - 1;
        if let Some(number) = entry.designation.as_ref().and_then(|d| d.number.as_ref()) {
            b.entities[last]
                .attributes
                .insert("number".to_owned(), format!("No. {number}"));
        }
        for candidate in &entry.relations {
            let Some(kind) = counterpart_kind(
                candidate.ty,
                candidate.entry_role,
                entry.kind,
                &candidate.counterpart,
            ) else {
                continue;
            };
            let other = b.counterpart(kind, &candidate.counterpart);
            if other == id {
                continue;
            }
            let (source, target) = match candidate.entry_role {
                EntryRole::Source => (id.clone(), other),
                EntryRole::Target => (other, id.clone()),
            };
            b.relations.push(NewRelation {
                ty: candidate.ty,
                source,
                target,
                since: None,
                section: "Key sources",
                quote: candidate.quote.clone(),
            });
        }
    }
    if let Some(table) = &doc.table1 {
        // The country a profile is about is the one its text names most.
        let subject = named_countries(doc).into_iter().next();
        let country = subject.map(|c| b.country(c.iso3, &c.name));
        for row in &table.rows {
            let convention = b.counterpart(EntityKind::Convention, &row.name);
            if let Some(year) = row.year {
                if let Some(e) = b.entities.iter_mut().find(|e| e.id == convention) {
                    e.year.get_or_insert(year);
                }
            }
            if let Some(country) = &country {
                b.relations.push(NewRelation {
                    ty: if row.ratified {
                        RelationType::Ratified
                    } else {
                        RelationType::NotRatified
                    },
                    source: country.clone(),
                    target: convention,
                    since: row.year.filter(|_| row.ratified),
                    section: "Table 1",
                    quote: row.name.clone(),
                });
            }
        }
    }
    render(&b)
}

fn render(b: &Builder) -> String {
    let mut out = String::from(
        "# Generated by `govgraph profile scaffold` from the Key sources and Table 1.\n# A starting point: check kinds, names and relations before use.\n",
    );
    for e in &b.entities {
        let _ = write!(
            out,
            "\n[[entity]]\nid = {}\nkind = {}\nname = {}\n",
            quote(&e.id),
            quote(e.kind.as_str()),
            quote(&e.name)
        );
        if let Some(year) = e.year {
            let _ = writeln!(out, "year = {year}");
        }
        if !e.attributes.is_empty() {
            out.push_str("[entity.attributes]\n");
            for (k, v) in &e.attributes {
                let _ = writeln!(out, "{k} = {}", quote(v));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for r in &b.relations {
        // One relation per (source, type, target), as the loader requires.
        if !seen.insert((r.source.clone(), r.ty, r.target.clone())) {
            continue;
        }
        let _ = write!(
            out,
            "\n[[relation]]\ntype = {}\nsource = {}\ntarget = {}\n",
            quote(r.ty.as_str()),
            quote(&r.source),
            quote(&r.target)
        );
        if let Some(since) = r.since {
            let _ = writeln!(out, "since = {since}");
        }
        let _ = write!(
            out,
            "[[relation.evidence]]\nsection = {}\nquote = {}\n",
            quote(r.section),
            quote(&r.quote)
        );
    }
    out
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(profile: &str, expected: &[&str]) {
        let toml = scaffold(&crate::parse(profile).document);
        for line in expected {
            assert!(toml.contains(line), "missing `{line}` in:\n{toml}");
        }
    }

    #[test]
    fn entries_become_entities_with_unique_ids_and_quoted_relations() {
        check(
            "# SUMMARY\n\nVeloria and Veloria and Georgia.\n\n# KEY SOURCES\n\n## Government of Veloria\n\n- 2009 Law on \"Migration\".\n- 2010 Law on \"Migration\".\n- 2010 Agreement between the Republic of Veloria and Georgia on trade.\n",
            &[
                "id = \"law:law-on-migration\"",
                "id = \"law:law-on-migration-2\"",
                "name = \"Law on \\\"Migration\\\"\"",
                "year = 2010",
                "id = \"country:GEO\"",
                "type = \"PARTY_TO\"\nsource = \"country:GEO\"",
                "type = \"ISSUED_BY\"",
            ],
        );
    }

    #[test]
    fn quotes_escape_controls() {
        assert_eq!(quote("a\"b\\c\u{1}"), "\"a\\\"b\\\\c\\u0001\"");
    }
}
