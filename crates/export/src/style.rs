//! How an export draws an entity, so that a file opens styled in Gephi,
//! Cytoscape or Graphviz the way the explorer draws it: six families of kinds,
//! each a shape and a colour of the Okabe–Ito palette (safe for colour-blind
//! readers). The explorer's `vocabulary.js` holds the same table; a test of
//! the explorer's modules reads both and fails when they differ.

use govgraph_model::EntityKind;

/// A family's look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// The family's name in the explorer.
    pub family: &'static str,
    /// Red, green, blue.
    pub rgb: (u8, u8, u8),
    /// The shape's name in the explorer.
    pub shape: &'static str,
}

impl Look {
    /// `#rrggbb`.
    pub fn hex(&self) -> String {
        let (r, g, b) = self.rgb;
        format!("#{r:02X}{g:02X}{b:02X}")
    }

    /// GEXF 1.3's nearest shape (disc, square, triangle, diamond).
    pub fn gexf_shape(&self) -> &'static str {
        match self.shape {
            "square" => "square",
            "triangle" => "triangle",
            "diamond" => "diamond",
            _ => "disc",
        }
    }

    /// Graphviz's shape.
    pub fn dot_shape(&self) -> &'static str {
        match self.shape {
            "square" => "box",
            "triangle" => "triangle",
            "diamond" => "diamond",
            "hexagon" => "hexagon",
            "pill" => "box, style=\"rounded,filled\"",
            _ => "ellipse",
        }
    }
}

/// The look of entities of `kind`.
pub fn look(kind: EntityKind) -> Look {
    use EntityKind::*;
    let (family, rgb, shape) = match kind {
        Institution | Group => ("bodies", (0x00, 0x72, 0xB2), "circle"),
        Law | Policy | Publication => ("instruments", (0xD5, 0x5E, 0x00), "square"),
        Agreement | Convention => ("agreements", (0xCC, 0x79, 0xA7), "diamond"),
        Country | InternationalOrganization => ("parties", (0xE6, 0x9F, 0x00), "hexagon"),
        Process | Programme | System => ("processes", (0x00, 0x9E, 0x73), "triangle"),
        Topic => ("topics", (0x56, 0xB4, 0xE9), "pill"),
    };
    Look { family, rgb, shape }
}

/// A node's drawn size from its number of relations in the export, on the
/// explorer's scale (5 for none, growing with the square root, at most 16).
pub fn size(degree: usize) -> f64 {
    5.0 + (2.0 * (degree as f64).sqrt()).min(11.0)
}
