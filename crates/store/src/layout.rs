//! The private key layout of one generation.
//!
//! Trees: `entities` (id -> postcard entity), `relations` (id -> postcard relation),
//! `outgoing` and `incoming` (length-prefixed entity id, then relation id -> empty),
//! `names` (folded name or alias, 0x00, entity id -> empty) and `meta` (schema
//! version, fingerprint, source, entity and relation counts, the profiles,
//! completion mark).
//! Length prefixes keep prefix scans exact: the adjacency of `law:a` never
//! picks up the adjacency of `law:ab`.

pub(crate) const ENTITIES: &str = "entities";
pub(crate) const RELATIONS: &str = "relations";
pub(crate) const OUTGOING: &str = "outgoing";
pub(crate) const INCOMING: &str = "incoming";
pub(crate) const NAMES: &str = "names";
pub(crate) const META: &str = "meta";

pub(crate) const META_SCHEMA: &[u8] = b"schema_version";
pub(crate) const META_FINGERPRINT: &[u8] = b"fingerprint";
pub(crate) const META_SOURCE: &[u8] = b"source";
pub(crate) const META_COMPLETE: &[u8] = b"complete";
pub(crate) const META_ENTITIES: &[u8] = b"entities";
pub(crate) const META_RELATIONS: &[u8] = b"relations";
/// The profiles the data comes from (postcard `Vec<ProfileInfo>`); absent when none.
pub(crate) const META_PROFILES: &[u8] = b"profiles";

/// The key prefix of every adjacency entry of `entity`.
pub(crate) fn adjacency_prefix(entity: &str) -> Vec<u8> {
    let len = u16::try_from(entity.len()).unwrap_or(u16::MAX);
    let mut key = Vec::with_capacity(2 + entity.len());
    key.extend_from_slice(&len.to_be_bytes());
    key.extend_from_slice(entity.as_bytes());
    key
}

/// The adjacency key of `relation` at `entity`.
pub(crate) fn adjacency_key(entity: &str, relation: &str) -> Vec<u8> {
    let mut key = adjacency_prefix(entity);
    key.extend_from_slice(relation.as_bytes());
    key
}

/// The relation id stored after `prefix` in an adjacency key.
pub(crate) fn relation_of(key: &[u8], prefix_len: usize) -> Option<String> {
    key.get(prefix_len..)
        .and_then(|r| std::str::from_utf8(r).ok())
        .map(str::to_owned)
}

/// The name-index key of `entity` under the folded `name`.
pub(crate) fn name_key(folded_name: &str, entity: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(folded_name.len() + 1 + entity.len());
    key.extend_from_slice(folded_name.as_bytes());
    key.push(0);
    key.extend_from_slice(entity.as_bytes());
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_do_not_overlap() {
        let short = adjacency_key("law:a", "r1");
        let long = adjacency_prefix("law:ab");
        assert!(!short.starts_with(&long));
        assert!(!long.starts_with(&adjacency_prefix("law:a")));
        assert_eq!(
            relation_of(&short, adjacency_prefix("law:a").len()).as_deref(),
            Some("r1")
        );
    }
}
