//! Positions of entities and relations in one graph, as distinct types so that
//! an entity's position can never index the relations (or the reverse).
//! Entities and relations are kept sorted by id, so positions are in id order.
//! Every other module of the crate depends on this one and it on none.
//!
//! Positions are 32-bit, which halves the adjacency's memory against `usize`: a
//! graph with 2^32 entities or relations would need hundreds of gigabytes
//! before its positions overflowed, so `new` treats that as an invariant.

macro_rules! position {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default,
            serde::Serialize, serde::Deserialize,
        )]
        #[repr(transparent)]
        pub struct $name(u32);

        impl $name {
            #[doc = concat!("The ", $what, " at `index` in id order.")]
            ///
            /// Panics when `index` does not fit in 32 bits: positions come
            /// from a graph, which holds fewer than 2^32 of them.
            #[inline]
            pub fn new(index: usize) -> Self {
                Self(u32::try_from(index).expect("a graph holds fewer than 2^32 entities and relations"))
            }

            /// The position as an index into arrays laid out in id order.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            #[doc = concat!("Every ", $what, " position below `count`, in id order.")]
            pub fn all(count: usize) -> impl DoubleEndedIterator<Item = Self> + ExactSizeIterator + Clone {
                (0..count).map(Self::new)
            }
        }

        /// The position as a number (exports name edges by it).
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

position!(
    /// Position of an entity; entities are sorted by id, so positions are in id order.
    EntityIx,
    "entity"
);
position!(
    /// Position of a relation; relations are sorted by id, so positions are in id order.
    RelationIx,
    "relation"
);

impl EntityIx {
    /// The largest position, used as a "none" marker in dense arrays.
    pub(crate) const MAX: Self = Self(u32::MAX);
}
