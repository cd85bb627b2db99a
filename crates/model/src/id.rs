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
    fn slugs() {
        assert_eq!(
            slugify("Decree No. 560 of 19 March 2007"),
            "decree-no-560-of-19-march-2007"
        );
        assert_eq!(slugify("Türkiye"), "turkiye");
    }
}
