//! Opaque keyset cursors: the id of the last item seen, base64-encoded with a tag,
//! so a cursor stays meaningful across re-imports and reveals no position.

use crate::error::ErrorCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Which list a cursor belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CursorKind {
    Entity,
    Relation,
}

impl CursorKind {
    fn tag(self) -> &'static str {
        match self {
            CursorKind::Entity => "e:",
            CursorKind::Relation => "r:",
        }
    }
}

/// The cursor of the item with `id`.
pub(crate) fn encode(kind: CursorKind, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}{id}", kind.tag()))
}

/// The id a cursor points after.
pub(crate) fn decode(kind: CursorKind, cursor: &str) -> async_graphql::Result<String> {
    let bad =
        || ErrorCode::BadCursor.error(format!("`{cursor}` is not a cursor issued for this list"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix(kind.tag())
        .map(str::to_owned)
        .ok_or_else(bad)
}
