// What the explorer draws, by name: six families of entity kinds, each with a
// shape and a colour from the Okabe–Ito palette (told apart with every common
// kind of colour blindness, and by shape besides), and readable relation names.
// Pure: no DOM, so node:test covers it.

export const FAMILIES = {
  bodies: { label: 'Bodies and groups', shape: 'circle', color: '#0072B2' },
  instruments: { label: 'Laws, policies and publications', shape: 'square', color: '#D55E00' },
  agreements: { label: 'Agreements and conventions', shape: 'diamond', color: '#CC79A7' },
  parties: { label: 'Countries and organizations', shape: 'hexagon', color: '#E69F00' },
  processes: { label: 'Processes, programmes and systems', shape: 'triangle', color: '#009E73' },
  topics: { label: 'Topics', shape: 'pill', color: '#56B4E9' },
};

export const KINDS = {
  COUNTRY: { label: 'Country', family: 'parties' },
  INTERNATIONAL_ORGANIZATION: { label: 'International organization', family: 'parties' },
  INSTITUTION: { label: 'Institution', family: 'bodies' },
  GROUP: { label: 'Group', family: 'bodies' },
  LAW: { label: 'Law', family: 'instruments' },
  POLICY: { label: 'Policy', family: 'instruments' },
  PUBLICATION: { label: 'Publication', family: 'instruments' },
  AGREEMENT: { label: 'Agreement', family: 'agreements' },
  CONVENTION: { label: 'Convention', family: 'agreements' },
  PROCESS: { label: 'Process', family: 'processes' },
  PROGRAMME: { label: 'Programme', family: 'processes' },
  SYSTEM: { label: 'System', family: 'processes' },
  TOPIC: { label: 'Topic', family: 'topics' },
};

const UNKNOWN = { label: 'Entity', shape: 'circle', color: '#7f7f7f', family: null };

// Label, family, shape and colour of a kind; an unknown kind draws grey.
export function kindInfo(kind) {
  const k = KINDS[kind];
  if (!k) return { ...UNKNOWN, label: kind ? readable(kind) : UNKNOWN.label };
  const f = FAMILIES[k.family];
  return { label: k.label, family: k.family, familyLabel: f.label, shape: f.shape, color: f.color };
}

function readable(code) {
  return String(code).toLowerCase().replace(/_/g, ' ');
}

// "PARTY_TO" → "party to".
export function typeLabel(type) {
  return readable(type || '');
}

// How a relation reads from one of its ends: "implements" outwards,
// "implemented by" (or "← implements") inwards.
const PASSIVE = {
  ESTABLISHED_BY: 'established',
  IMPLEMENTS: 'implemented by',
  GOVERNED_BY: 'governs',
  PART_OF: 'has part',
  HEADS: 'headed by',
  MEMBER_OF: 'has member',
  CHAIRS: 'chaired by',
  PARTICIPATES_IN: 'has participant',
  PARTY_TO: 'has party',
  RATIFIED: 'ratified by',
  NOT_RATIFIED: 'not ratified by',
  SUPPORTS: 'supported by',
  APPROVED_BY: 'approved',
  ISSUED_BY: 'issued',
  REPLACES: 'replaced by',
  AMENDS: 'amended by',
  ADDRESSES: 'addressed by',
  COORDINATES_WITH: 'coordinated with by',
  ENGAGES: 'engaged by',
  OPERATES: 'operated by',
};
export function relationPhrase(type, outgoing) {
  if (outgoing) return typeLabel(type);
  return PASSIVE[type] || `← ${typeLabel(type)}`;
}

export function yearsText(since, until) {
  if (since == null && until == null) return '';
  if (since != null && until != null) return since === until ? `${since}` : `${since}–${until}`;
  return since != null ? `since ${since}` : `until ${until}`;
}

export function truncate(text, max) {
  if (!text) return '';
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

// SVG path data of `shape` centred on (x, y) with about the area of a circle of
// radius r, so that no family looks bigger than another.
export function shapePath(shape, x, y, r) {
  const f = (v) => v.toFixed(1);
  const poly = (points) => `M${points.map(([px, py]) => `${f(px)},${f(py)}`).join(' L')} Z`;
  switch (shape) {
    case 'square': {
      const s = r * 0.886;
      return poly([[x - s, y - s], [x + s, y - s], [x + s, y + s], [x - s, y + s]]);
    }
    case 'diamond': {
      const s = r * 1.25;
      return poly([[x, y - s], [x + s, y], [x, y + s], [x - s, y]]);
    }
    case 'triangle': {
      const s = r * 1.35;
      return poly([[x, y - s], [x + s * 0.866, y + s * 0.5], [x - s * 0.866, y + s * 0.5]]);
    }
    case 'hexagon': {
      const s = r * 1.1;
      const points = [];
      for (let i = 0; i < 6; i += 1) {
        const a = (Math.PI / 3) * i;
        points.push([x + s * Math.cos(a), y + s * Math.sin(a)]);
      }
      return poly(points);
    }
    case 'pill': {
      const h = r * 0.75;
      const w = r * 1.1;
      return `M${f(x - w)},${f(y - h)} L${f(x + w)},${f(y - h)} A${f(h)},${f(h)} 0 0 1 ${f(x + w)},${f(y + h)} L${f(x - w)},${f(y + h)} A${f(h)},${f(h)} 0 0 1 ${f(x - w)},${f(y - h)} Z`;
    }
    default:
      return `M${f(x - r)},${f(y)} A${f(r)},${f(r)} 0 1 0 ${f(x + r)},${f(y)} A${f(r)},${f(r)} 0 1 0 ${f(x - r)},${f(y)} Z`;
  }
}
