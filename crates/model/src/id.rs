//! Readable, stable ids: `<kind>:<slug>` for entities, `<source>|<TYPE>|<target>` for relations.

use crate::{EntityKind, RelationType};

/// An id that does not follow the conventions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The prefix before `:` is not the entity's kind.
    #[error("id `{id}` should start with `{expected}:` for a {kind} entity")]
    WrongPrefix {
        /// The offending id.
        id: String,
        /// The prefix the kind requires.
        expected: &'static str,
        /// The entity's kind.
        kind: EntityKind,
    },
    /// The slug after `:` is empty or holds characters other than a-z, 0-9 and `-`.
    #[error("id `{id}` must be `<kind>:<slug>` with a slug of lower-case letters, digits and `-`")]
    BadSlug {
        /// The offending id.
        id: String,
    },
    /// A country id is not `country:` and three capital letters.
    #[error("country id `{id}` must be `country:` followed by an ISO 3166-1 alpha-3 code")]
    BadCountry {
        /// The offending id.
        id: String,
    },
}

/// Checks that `id` is well formed for an entity of `kind`.
pub fn check_entity_id(id: &str, kind: EntityKind) -> Result<(), IdError> {
    let expected = kind.id_prefix();
    let Some(rest) = id.strip_prefix(expected).and_then(|r| r.strip_prefix(':')) else {
        return Err(IdError::WrongPrefix {
            id: id.to_owned(),
            expected,
            kind,
        });
    };
    if kind == EntityKind::Country {
        let ok = rest.len() == 3 && rest.bytes().all(|b| b.is_ascii_uppercase());
        return if ok {
            Ok(())
        } else {
            Err(IdError::BadCountry { id: id.to_owned() })
        };
    }
    let ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(IdError::BadSlug { id: id.to_owned() })
    }
}

/// The derived id of a relation.
pub fn relation_id(source: &str, ty: RelationType, target: &str) -> String {
    format!("{source}|{}|{target}", ty.as_str())
}

/// Whether `code` lies in a range ISO 3166-1 leaves to its users (AAA–AAZ,
/// QMA–QZZ, XAA–XZZ, ZZA–ZZZ): how a profile of a country that has no ISO code
/// (an invented one, in tests and examples) names it without claiming a real one.
pub fn is_user_assigned_code(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() != 3 || !b.iter().all(u8::is_ascii_uppercase) {
        return false;
    }
    matches!((b[0], b[1]), (b'A', b'A') | (b'X', _) | (b'Z', b'Z'))
        || (b[0] == b'Q' && b[1] >= b'M')
}

/// `slugify`, cut to at most `max` bytes at a word boundary (never inside a word;
/// a first word longer than `max` is cut).
pub fn slugify_within(text: &str, max: usize) -> String {
    let slug = slugify(text);
    if slug.len() <= max {
        return slug;
    }
    match slug[..=max].rfind('-') {
        Some(end) if end > 0 => slug[..end].to_owned(),
        _ => slug[..max].to_owned(),
    }
}

/// Lower-case ASCII words joined by `-`: "Decree No. 560" -> "decree-no-560".
pub fn slugify(text: &str) -> String {
    let folded = crate::text::fold(text);
    let mut slug = String::with_capacity(folded.len());
    for word in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_ids() {
        assert!(check_entity_id("law:migration-code", EntityKind::Law).is_ok());
        assert!(check_entity_id("country:AZE", EntityKind::Country).is_ok());
        assert!(check_entity_id("country:aze", EntityKind::Country).is_err());
        assert!(check_entity_id("law:Migration Code", EntityKind::Law).is_err());
        assert!(check_entity_id("institution:x", EntityKind::Law).is_err());
        assert!(check_entity_id("law:", EntityKind::Law).is_err());
    }

    #[test]
    fn user_assigned_codes_and_bounded_slugs() {
        for (code, user) in [
            ("XNO", true),
            ("AAB", true),
            ("QMA", true),
            ("QLA", false),
            ("ZZZ", true),
            ("AZE", false),
            ("XN", false),
        ] {
            assert_eq!(is_user_assigned_code(code), user, "{code}");
        }
        assert_eq!(
            slugify_within("Government Decree No. 233 of 1 March", 30),
            "government-decree-no-233-of-1"
        );
        assert_eq!(
            slugify_within("Government Decree No. 233 of 12 March", 31),
            "government-decree-no-233-of-12"
        );
        assert_eq!(slugify_within("Outcomes of the review", 12), "outcomes-of");
        assert_eq!(slugify_within("Supercalifragilistic", 5), "super");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Decree No. 560 of 19 March 2007"),
            "decree-no-560-of-19-march-2007"
        );
        assert_eq!(slugify("Türkiye"), "turkiye");
    }
}
