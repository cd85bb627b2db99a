//! A starting data file for a new profile: the Key Sources entries and Table 1 rows
//! as entities, and the relations the entries state, each with a verbatim quote, in
//! the TOML format of `data/README.md`. A curator edits it from there; nothing here
//! claims more than the entry's own words.
//!
//! Names are resolved on any profile (see [`crate::names`]): every form of a
//! country is that country, a state's body is an institution PART_OF it, known
//! processes and organizations keep one id across profiles, and the profile's own
//! country (from its title, see [`crate::subject`]) is a party to every bilateral
//! agreement beside the partner. The Key Sources heading an entry is listed under
//! is kept as its `listed_under` attribute: it does not say who issued it.

use crate::countries::named_countries;
use crate::document::{Document, EntryRole};
use crate::names::{country_name, resolve, Referent};
use crate::subject::{subject, Subject};
use govgraph_model::{allowed_sources, allowed_targets, slugify_within, EntityKind, RelationType};
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
    /// Counterparts already created, by allowed kinds and folded name, so that
    /// one party named by many entries is one entity.
    by_name: HashMap<(String, String), String>,
    relations: Vec<NewRelation>,
    /// The country the profile is about.
    subject: Option<Subject>,
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

    /// A new entity of this profile. When the profile's country is known, its
    /// code starts the slug (`law:xno-labour-code`), so that one store can hold
    /// the Labour Codes of several countries.
    fn add(&mut self, kind: EntityKind, name: &str, year: Option<i32>) -> String {
        let scope = self
            .subject
            .as_ref()
            .map(|s| format!("{}-", s.iso3.to_ascii_lowercase()))
            .unwrap_or_default();
        let slug = match slugify_within(name, MAX_SLUG - scope.len()) {
            s if s.is_empty() => format!("{scope}unnamed"),
            s => format!("{scope}{s}"),
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

    /// The entity with the fixed `id` (a shared country, process or
    /// organization), created on first use.
    fn shared(&mut self, id: String, kind: EntityKind, name: &str, iso3: Option<&str>) -> String {
        if !self.entities.iter().any(|e| e.id == id) {
            self.ids.insert(id.clone(), 1);
            let mut attributes = BTreeMap::new();
            if let Some(code) = iso3 {
                attributes.insert("iso3".to_owned(), code.to_owned());
            }
            self.entities.push(NewEntity {
                id: id.clone(),
                kind,
                name: name.to_owned(),
                year: None,
                attributes,
            });
        }
        id
    }

    fn country(&mut self, code: &str, name: &str) -> String {
        self.shared(
            format!("country:{code}"),
            EntityKind::Country,
            name,
            Some(code),
        )
    }

    /// What `name` refers to, the profile's own country and its bodies included.
    fn resolve(&self, name: &str) -> Resolved {
        match (&self.subject, resolve(name)) {
            (Some(own), Referent::Unknown) if own.is_named(name) => Resolved::Own,
            (Some(own), Referent::Unknown) if own.has_body(name) => Resolved::OwnBody,
            (_, referent) => Resolved::Other(referent),
        }
    }

    /// The entity `name` refers to, as one of the `allowed` kinds, created on
    /// first use; `None` when the name resolves to a kind the rule does not allow.
    /// A state's body becomes an institution PART_OF its country; `quote` is
    /// the text that names it.
    fn counterpart(&mut self, allowed: &[EntityKind], name: &str, quote: &str) -> Option<String> {
        // Keyed by every allowed kind: a name met under one rule is not reused
        // where the entity's kind would break another.
        let key = (
            allowed
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(","),
            govgraph_model::text::fold(name),
        );
        if let Some(id) = self.by_name.get(&key) {
            return Some(id.clone());
        }
        let own = self
            .subject
            .as_ref()
            .map(|s| (s.iso3.clone(), s.country.clone()));
        let id = match (self.resolve(name), own) {
            // The own country, when its name is not in the ISO and UN tables.
            (Resolved::Own, Some((code, own))) if allowed.contains(&EntityKind::Country) => {
                self.country(&code, &own)
            }
            (Resolved::OwnBody, Some((code, own)))
                if allowed.contains(&EntityKind::Institution) =>
            {
                let body = self.add(EntityKind::Institution, name, None);
                let state = self.country(&code, &own);
                self.part_of(body.clone(), state, quote);
                body
            }
            (Resolved::Own | Resolved::OwnBody, _) => return None,
            (Resolved::Other(referent), _) => match (&referent, referent.kind()) {
                (_, Some(kind)) if !allowed.contains(&kind) => return None,
                (Referent::Country(code), _) => {
                    let own = self
                        .subject
                        .as_ref()
                        .filter(|s| s.iso3 == *code)
                        .map(|s| s.country.clone());
                    let name = own.unwrap_or_else(|| country_name(code));
                    self.country(code, &name)
                }
                (Referent::Process { slug, name }, _) => {
                    self.shared(format!("process:{slug}"), EntityKind::Process, name, None)
                }
                (Referent::Organization { slug, name }, _) => self.shared(
                    format!("international-organization:{slug}"),
                    EntityKind::InternationalOrganization,
                    name,
                    None,
                ),
                (Referent::Body { country }, _) => {
                    let body = self.add(EntityKind::Institution, name, None);
                    let state = self.country(country, &country_name(country));
                    self.part_of(body.clone(), state, quote);
                    body
                }
                (Referent::Unknown, _) => {
                    let kind = unknown_kind(allowed, name)?;
                    self.add(kind, name, None)
                }
            },
        };
        self.by_name.insert(key, id.clone());
        Some(id)
    }

    fn part_of(&mut self, body: String, state: String, quote: &str) {
        self.relations.push(NewRelation {
            ty: RelationType::PartOf,
            source: body,
            target: state,
            since: None,
            section: "Key sources",
            quote: quote.to_owned(),
        });
    }

    /// The country a body entity is PART_OF, if the builder made it so.
    fn state_of(&self, body: &str) -> Option<String> {
        self.relations
            .iter()
            .find(|r| r.ty == RelationType::PartOf && r.source == body)
            .map(|r| r.target.clone())
    }
}

/// The kind of a name no table knows: an international organization only when
/// its words say so, else an institution (a government or body the tables miss,
/// such as a former state's), else the first kind the rule allows.
fn unknown_kind(allowed: &[EntityKind], name: &str) -> Option<EntityKind> {
    let folded = govgraph_model::text::fold(name);
    let intergovernmental = [
        "international",
        "organization",
        "organisation",
        "united nations",
        "union",
    ]
    .iter()
    .any(|w| folded.contains(w))
        && !folded.starts_with("government");
    let preferred = if intergovernmental {
        [
            EntityKind::InternationalOrganization,
            EntityKind::Institution,
        ]
    } else {
        [
            EntityKind::Institution,
            EntityKind::InternationalOrganization,
        ]
    };
    preferred
        .into_iter()
        .find(|k| allowed.contains(k))
        .or_else(|| allowed.iter().copied().find(|k| *k != EntityKind::Country))
        .or_else(|| allowed.first().copied())
}

/// What a name refers to, seen from the profile.
enum Resolved {
    /// The profile's own country.
    Own,
    /// A body of the profile's own country.
    OwnBody,
    /// Anything else.
    Other(Referent),
}

/// Longest id slug; longer names are cut at a word boundary.
const MAX_SLUG: usize = 80;

/// Writes the TOML data file for `doc`.
pub fn scaffold(doc: &Document) -> String {
    let mut b = Builder {
        subject: subject(doc),
        ..Builder::default()
    };
    let own = b
        .subject
        .as_ref()
        .map(|s| (s.iso3.clone(), s.country.clone()));
    let own = own.map(|(code, name)| b.country(&code, &name));
    for entry in &doc.key_sources {
        let name = if entry.title.is_empty() {
            &entry.text
        } else {
            &entry.title
        };
        // An entry of no words (a lone year, left by a broken line) names
        // nothing; an entity without a name would not load.
        if name.trim().is_empty() {
            continue;
        }
        let id = b.add(entry.kind, name, entry.year);
        let last = b.entities.len() - 1;
        if let Some(number) = entry.designation.as_ref().and_then(|d| d.number.as_ref()) {
            b.entities[last]
                .attributes
                .insert("number".to_owned(), format!("No. {number}"));
        }
        if let Some(issuer) = &entry.issuer {
            b.entities[last]
                .attributes
                .insert("listed_under".to_owned(), issuer.clone());
        }
        let mut parties = Vec::new();
        for candidate in &entry.relations {
            let allowed: &[EntityKind] = match candidate.entry_role {
                EntryRole::Source => allowed_targets(candidate.ty, entry.kind),
                EntryRole::Target => allowed_sources(candidate.ty),
            };
            let Some(mut other) = b.counterpart(allowed, &candidate.counterpart, &candidate.quote)
            else {
                continue;
            };
            // A state's body signs for its state: the state is the party.
            if candidate.ty == RelationType::PartyTo {
                if let Some(state) = b.state_of(&other) {
                    other = state;
                }
                parties.push(other.clone());
            }
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
        // The profile's own country is a party to each bilateral agreement it signs.
        let first_party = entry
            .relations
            .iter()
            .find(|r| r.ty == RelationType::PartyTo);
        if let (Some(own), Some(first)) = (&own, first_party) {
            let foreign = parties
                .iter()
                .any(|p| p.starts_with("country:") && p != own);
            if entry.kind == EntityKind::Agreement && foreign && !parties.contains(own) {
                b.relations.push(NewRelation {
                    ty: RelationType::PartyTo,
                    source: own.clone(),
                    target: id.clone(),
                    since: None,
                    section: "Key sources",
                    quote: first.quote.clone(),
                });
            }
        }
    }
    if let Some(table) = &doc.table1 {
        // The country the profile is about: its title's, else the one it names most.
        let country = own.clone().or_else(|| {
            let named = named_countries(doc).into_iter().next()?;
            Some(b.country(named.iso3, &named.name))
        });
        for row in &table.rows {
            // The template's conventions have one id across profiles.
            let convention = match crate::names::convention(&row.name) {
                Some((slug, name)) => b.shared(
                    format!("convention:{slug}"),
                    EntityKind::Convention,
                    name,
                    None,
                ),
                None => match b.counterpart(&[EntityKind::Convention], &row.name, &row.name) {
                    Some(id) => id,
                    None => continue,
                },
            };
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
                    quote: row.quote.clone(),
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
            quote(clipped(&e.name))
        );
        if let Some(year) = e.year {
            let _ = writeln!(out, "year = {year}");
        }
        if !e.attributes.is_empty() {
            out.push_str("[entity.attributes]\n");
            for (k, v) in &e.attributes {
                let _ = writeln!(out, "{k} = {}", quote(clipped(v)));
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
            quote(clipped(&r.quote))
        );
    }
    out
}

/// Longest name, attribute or quote written, in bytes: a longer one comes of a
/// broken conversion (a whole list run together), and the loader refuses
/// fields past its own limit.
const MAX_TEXT: usize = 2_000;

/// `text` cut to at most [`MAX_TEXT`] bytes, at a space when there is one. A
/// quote stays verbatim: a start of a verbatim span is one.
fn clipped(text: &str) -> &str {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => head[..space].trim_end(),
        _ => head,
    }
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
                "listed_under = \"Government of Veloria\"",
            ],
        );
    }

    #[test]
    fn partners_own_country_bodies_and_processes_are_resolved() {
        let profile = "REPUBLIC OF NORVANIA | PROFILE 2024\n\n# SUMMARY\n\nText.\n\n# KEY SOURCES\n\n## Government of Norvania\n\n- 2015 Agreement between the Government of the Republic of Norvania and the Government of Italy on labour migration.\n- 2016 Agreement between the Ministry of Labour of Saudi Arabia and the Ministry of Interior of Norvania on recruitment.\n- 2017 Memorandum signed with Viet Nam on seasonal work.\n\n## Colombo Process\n\n- 2018 Agreement between the Colombo Process and the Kyrgyz Republic on data.\n";
        let toml = scaffold(&crate::parse(profile).document);
        for line in [
            // The own country, with a user-assigned code, is party beside each partner.
            "id = \"country:XNO\"\nkind = \"COUNTRY\"\nname = \"Norvania\"",
            "type = \"PARTY_TO\"\nsource = \"country:XNO\"\ntarget = \"agreement:xno-agreement-between-the-government-of-the-republic-of-norvania-and-the\"",
            "type = \"PARTY_TO\"\nsource = \"country:ITA\"",
            "id = \"country:ITA\"\nkind = \"COUNTRY\"\nname = \"Italy\"",
            // A state's body: an institution PART_OF its state, which is the party.
            "id = \"institution:xno-ministry-of-labour-of-saudi-arabia\"\nkind = \"INSTITUTION\"",
            "type = \"PART_OF\"\nsource = \"institution:xno-ministry-of-labour-of-saudi-arabia\"\ntarget = \"country:SAU\"",
            "type = \"PARTY_TO\"\nsource = \"country:SAU\"",
            "id = \"country:VNM\"\nkind = \"COUNTRY\"\nname = \"Viet Nam\"",
            "id = \"country:KGZ\"",
        ] {
            assert!(toml.contains(line), "missing `{line}` in:\n{toml}");
        }
        assert!(
            !toml.contains("INTERNATIONAL_ORGANIZATION\"\nname = \"Government"),
            "{toml}"
        );
        assert!(!toml.contains("ISSUED_BY"), "{toml}");
    }

    #[test]
    fn an_entry_of_no_words_makes_no_entity() {
        // Found by the fuzz tests (tests/fuzz/corpus/profile/key-source-entry-only-a-year.md):
        // a lone year under an issuer became an entity with an empty name.
        let profile =
            "REPUBLIC OF NORVANIA | PROFILE 2023\n\n# KEY SOURCES\n\n## Government of Norvania\n\n(2019)\n";
        let toml = scaffold(&crate::parse(profile).document);
        assert!(!toml.contains("name = \"\""), "{toml}");
        assert!(!toml.contains("unnamed"), "{toml}");
    }

    #[test]
    fn a_wider_table_1_row_cites_a_verbatim_cell() {
        // Found by the fuzz tests (tests/fuzz/corpus/profile/table-1-three-columns.md):
        // the name cells were cited joined, a text the profile does not hold.
        let profile = "REPUBLIC OF NORVANIA | PROFILE 2023\n\n### 1.1 International conventions ratified\n\n**Table 1.** Signature and ratification of international conventions\n\n| Convention name | Signed | Ratified (Year) |\n|---|---|---|\n| Convention on the Rights of the Child (CRC), 1989 | 1990 | Yes (1991) |\n";
        let toml = scaffold(&crate::parse(profile).document);
        assert!(
            toml.contains("quote = \"Convention on the Rights of the Child (CRC), 1989\"\n"),
            "{toml}"
        );
    }

    #[test]
    fn a_broken_table_1_row_cites_a_verbatim_cell() {
        // Found by the fuzz tests (tests/fuzz/corpus/profile/table-1-broken-wide-row.md):
        // the first line of a broken row was cited with its cells joined.
        let profile = "REPUBLIC OF NORVANIA | PROFILE 2023\n\n**Table 1.** Signature and ratification of international conventions\n\n| Convention name | Ratified (Year) |\n| International Convention on the Protection of the Rights of All Migrant Workers and | 1990 |\n| Members of Their Families (ICRMW), 1990 | No |\n| Convention on the Rights of the Child (CRC), 1989 | Yes (1991) |\n";
        let toml = scaffold(&crate::parse(profile).document);
        assert!(
            toml.contains("quote = \"International Convention on the Protection of the Rights of All Migrant Workers and\"\n"),
            "{toml}"
        );
    }

    #[test]
    fn long_texts_are_cut_at_a_space() {
        // Found by the fuzz tests: a Key Sources entry of 100 KB (a list run
        // together) became a name the loader refuses as too long.
        let long = "Law on migration ".repeat(1_000);
        let cut = clipped(&long);
        assert!(
            cut.len() <= MAX_TEXT && cut.len() > MAX_TEXT - 20,
            "{}",
            cut.len()
        );
        // A start of the text, ending at a word's end.
        assert!(long.starts_with(cut) && long[cut.len()..].starts_with(' '));
        let word = "é".repeat(MAX_TEXT);
        assert!(clipped(&word).len() <= MAX_TEXT && !clipped(&word).is_empty());
        assert_eq!(clipped("short"), "short");
    }

    #[test]
    fn quotes_escape_controls() {
        assert_eq!(quote("a\"b\\c\u{1}"), "\"a\\\"b\\\\c\\u0001\"");
    }
}
