//! Several profiles in one graph: the profiles served, the profile each piece of
//! evidence quotes, and the questions that cross profiles (which partners,
//! conventions and processes two profiles share; which profiles' countries have
//! agreements with a given country).

use crate::error::ErrorCode;
use crate::nodes::{graph, Entity};
use async_graphql::{Context, Object, Result, SimpleObject, ID};
use govgraph_graph::{EntityIx, Graph, RelationIx};
use govgraph_model::{EntityKind, RelationType};
use std::collections::BTreeSet;

pub(crate) use crate::nodes::Profile;

/// One MGI profile the data comes from.
#[Object]
impl Profile {
    /// Stable id: the name of its data folder, for example "azerbaijan-2023".
    async fn id(&self, ctx: &Context<'_>) -> ID {
        ID(graph(ctx).profiles()[self.0].id.clone())
    }

    /// The title as the document gives it, for example "REPUBLIC OF AZERBAIJAN | PROFILE 2023".
    async fn title(&self, ctx: &Context<'_>) -> String {
        graph(ctx).profiles()[self.0].title.clone()
    }

    /// The country the profile assesses.
    async fn country(&self, ctx: &Context<'_>) -> Option<Entity> {
        let g = graph(ctx);
        own_country(g, self.0).map(Entity)
    }

    /// The year of the assessment.
    async fn year(&self, ctx: &Context<'_>) -> Option<i32> {
        graph(ctx).profiles()[self.0].year
    }

    /// Number of relations with evidence from this profile.
    async fn relation_count(&self, ctx: &Context<'_>) -> i32 {
        let g = graph(ctx);
        g.profile_relations(&g.profiles()[self.0].id)
            .map_or(0, |r| r.len() as i32)
    }
}

/// The profile `id`, or NOT_FOUND naming `argument`.
pub(crate) fn require_profile(g: &Graph, argument: &str, id: &str) -> Result<usize> {
    g.profiles().iter().position(|p| p.id == id).ok_or_else(|| {
        let known: Vec<&str> = g.profiles().iter().map(|p| p.id.as_str()).collect();
        ErrorCode::NotFound.error(format!(
            "no profile has the id `{id}` (argument `{argument}`); served: {}",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
    })
}

/// Checks an optional `profile` argument and returns its id.
pub(crate) fn profile_filter(g: &Graph, profile: Option<ID>) -> Result<Option<String>> {
    profile
        .map(|id| require_profile(g, "profile", &id).map(|_| id.0))
        .transpose()
}

pub(crate) fn own_country(g: &Graph, profile: usize) -> Option<EntityIx> {
    g.profiles()[profile]
        .country
        .as_deref()
        .and_then(|id| g.entity_ix(id))
}

/// The relations of `profile`.
fn relations_of(g: &Graph, profile: usize) -> &[RelationIx] {
    g.profile_relations(&g.profiles()[profile].id)
        .unwrap_or(&[])
}

/// Countries party to the profile's agreements, its own country left out.
fn partners(g: &Graph, profile: usize) -> BTreeSet<EntityIx> {
    let own = own_country(g, profile);
    relations_of(g, profile)
        .iter()
        .filter(|&&r| g.relation_type(r) == RelationType::PartyTo)
        .map(|&r| g.ends(r).0)
        .filter(|&e| g.entity(e).kind == EntityKind::Country && Some(e) != own)
        .collect()
}

/// Entities of `kind` that the profile's relations touch.
fn touched(g: &Graph, profile: usize, kind: EntityKind) -> BTreeSet<EntityIx> {
    g.profile_entities(&g.profiles()[profile].id)
        .unwrap_or(&[])
        .iter()
        .copied()
        .filter(|&e| g.entity(e).kind == kind)
        .collect()
}

fn entities(set: BTreeSet<EntityIx>) -> Vec<Entity> {
    set.into_iter().map(Entity).collect()
}

/// What two profiles have in common.
#[derive(SimpleObject)]
pub(crate) struct ProfileOverlap {
    /// Countries party to agreements in both profiles (each profile's own country left out).
    partners: Vec<Entity>,
    /// Conventions both profiles state something about (ratified or not).
    conventions: Vec<Entity>,
    /// Processes and forums both profiles name in a relation.
    processes: Vec<Entity>,
}

/// One profile's agreements with a given country.
#[derive(SimpleObject)]
pub(crate) struct ProfileAgreements {
    /// The profile.
    profile: Profile,
    /// The country the profile assesses.
    country: Option<Entity>,
    /// The agreements of this profile that the given country is party to.
    agreements: Vec<Entity>,
}

/// Questions about the profiles served, and across them.
#[derive(Default)]
pub struct ProfilesQuery;

#[Object]
impl ProfilesQuery {
    /// The profiles the data comes from, in id order.
    async fn profiles(&self, ctx: &Context<'_>) -> Vec<Profile> {
        (0..graph(ctx).profiles().len()).map(Profile).collect()
    }

    /// One profile by id; null when none has it.
    async fn profile(&self, ctx: &Context<'_>, id: ID) -> Option<Profile> {
        graph(ctx)
            .profiles()
            .iter()
            .position(|p| p.id == *id)
            .map(Profile)
    }

    /// Which partner countries, conventions and processes profiles a and b share.
    async fn profile_overlap(&self, ctx: &Context<'_>, a: ID, b: ID) -> Result<ProfileOverlap> {
        let g = graph(ctx);
        let (a, b) = (require_profile(g, "a", &a)?, require_profile(g, "b", &b)?);
        let both = |kind| -> BTreeSet<EntityIx> {
            touched(g, a, kind)
                .intersection(&touched(g, b, kind))
                .copied()
                .collect()
        };
        Ok(ProfileOverlap {
            partners: entities(
                partners(g, a)
                    .intersection(&partners(g, b))
                    .copied()
                    .collect(),
            ),
            conventions: entities(both(EntityKind::Convention)),
            processes: entities(both(EntityKind::Process)),
        })
    }

    /// Which profiles' countries have agreements with the given country, and which
    /// agreements, profile by profile (profiles with none are left out).
    async fn agreements_with(
        &self,
        ctx: &Context<'_>,
        country: ID,
    ) -> Result<Vec<ProfileAgreements>> {
        let g = graph(ctx);
        let partner = crate::error::require_entity(g, "country", &country)?;
        let mut found = Vec::new();
        for profile in 0..g.profiles().len() {
            let agreements: BTreeSet<EntityIx> = relations_of(g, profile)
                .iter()
                .filter(|&&r| g.relation_type(r) == RelationType::PartyTo && g.ends(r).0 == partner)
                .map(|&r| g.ends(r).1)
                .collect();
            if !agreements.is_empty() && own_country(g, profile) != Some(partner) {
                found.push(ProfileAgreements {
                    profile: Profile(profile),
                    country: own_country(g, profile).map(Entity),
                    agreements: entities(agreements),
                });
            }
        }
        Ok(found)
    }
}
