//! The private key layout of one generation.
//!
//! Trees: `entities` (the id of the first of [`ENTITIES_PER_VALUE`]
//! entities -> their postcard encodings end to end), `relations` (the id of
//! the first of [`RELATIONS_PER_VALUE`] relations -> their encodings end to
//! end, each a postcard `Relation` whose id is left empty when it is the
//! derived one: `sled_db::encode_relation`) and `meta` (schema version, fingerprint, source, entity and
//! relation counts, the profiles, completion mark). Nothing else: the graph's
//! adjacency and name search are built in memory from the records, so index
//! trees would only be written, never read.

pub(crate) const ENTITIES: &str = "entities";
pub(crate) const RELATIONS: &str = "relations";
/// Entities per sled value: one key each cost sled more disk than the records
/// themselves (a G2 store's entity tree was 218 MiB for 200,000 entities);
/// the one reader of a single entity, [`crate::Store::entity`], finds its
/// value by range and reads along it.
pub(crate) const ENTITIES_PER_VALUE: usize = 64;
/// Relations per sled value. Nothing looks one relation up in the store (the
/// graph's index does), and sled spends well over a hundred bytes of disk per
/// key on a record of about as many: a value of many records is written and
/// read back as one.
pub(crate) const RELATIONS_PER_VALUE: usize = 128;
pub(crate) const META: &str = "meta";

pub(crate) const META_SCHEMA: &[u8] = b"schema_version";
pub(crate) const META_FINGERPRINT: &[u8] = b"fingerprint";
pub(crate) const META_SOURCE: &[u8] = b"source";
pub(crate) const META_COMPLETE: &[u8] = b"complete";
pub(crate) const META_ENTITIES: &[u8] = b"entities";
pub(crate) const META_RELATIONS: &[u8] = b"relations";
/// The profiles the data comes from (postcard `Vec<ProfileInfo>`); absent when none.
pub(crate) const META_PROFILES: &[u8] = b"profiles";
