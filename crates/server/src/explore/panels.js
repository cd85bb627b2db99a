// The wide panel on the right: an entity's details with its relations grouped
// by type and direction and filterable, a relation's card (both ends, the
// readable type, the quote, its section and the paragraph around it), and a
// partnership link's card (the agreements, their years, topics and quotes).

import { CONTEXT, ENTITY, RELATION, gql } from './api.js';
import { $, el, swatch } from './dom.js';
import { scheduleRedraw } from './stage.js';
import { ui, view } from './state.js';
import { kindInfo, relationPhrase, typeLabel, yearsText } from './vocabulary.js';

// What panels ask of the views (filled by main.js, so no cycle of imports).
export const actions = {
  expand: () => {},
  centre: () => {},
  connect: () => {},
};

const panel = () => $('#details');
let seq = 0;

function hint(text) {
  panel().replaceChildren(el('p', { class: 'hint', text }));
}

export function entityButton(entity) {
  return el('button', { type: 'button', class: 'linklike', onclick: () => selectNode(entity.id) }, entity.name);
}

// One piece of evidence: the quote, its section, and a button that shows the
// paragraph of the profile around it.
function evidenceItem(ev) {
  const context = el('div', { class: 'context', hidden: true });
  const button = el('button', { type: 'button', class: 'linklike small show-context' }, 'Show context');
  button.addEventListener('click', async () => {
    if (!context.hidden) {
      context.hidden = true;
      button.textContent = 'Show context';
      return;
    }
    button.disabled = true;
    try {
      const data = await gql(CONTEXT, { quote: ev.quote, section: ev.section });
      const found = data.quoteContext;
      if (!found) {
        context.replaceChildren(el('p', { class: 'hint', text: 'The paragraph of this quote is not in the profile the server holds.' }));
      } else {
        const chars = Array.from(found.paragraph);
        context.replaceChildren(el('p', { class: 'paragraph' },
          chars.slice(0, found.start).join(''),
          el('mark', { text: chars.slice(found.start, found.end).join('') }),
          chars.slice(found.end).join('')),
        el('span', { class: 'section', text: `Section ${found.section} of the profile` }));
      }
      context.hidden = false;
      button.textContent = 'Hide context';
    } catch (error) {
      context.replaceChildren(el('p', { class: 'error', text: `Could not load the context: ${error.message}` }));
      context.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  return el('li', {},
    el('blockquote', { class: 'quote' }, `“${ev.quote}”`),
    el('span', { class: 'section', text: `Section ${ev.section}` }), ' ', button, context);
}

export function evidenceList(evidence) {
  return el('ul', { class: 'evidence' }, (evidence || []).map(evidenceItem));
}

// ----------------------------------------------------------------- entities
export async function selectNode(id) {
  ui.selected = id;
  ui.selectedEdge = null;
  view().selected = id;
  scheduleRedraw();
  if (!id) {
    hint('Select a node to see its kind, year, aliases, relations and the evidence quoted from the profile; click a link for its evidence.');
    return;
  }
  const mine = ++seq;
  hint('Loading…');
  try {
    const data = await gql(ENTITY, { id });
    if (mine !== seq) return;
    if (!data.entity) {
      panel().replaceChildren(el('p', { text: `No entity has the id ${id}.` }));
      return;
    }
    renderDetails(data.entity);
  } catch (error) {
    if (mine === seq) panel().replaceChildren(el('p', { class: 'error', text: `Could not load: ${error.message}` }));
  }
}

// An entity's relations in groups of one type and direction, largest first,
// each item naming the other end with the relation read from this entity.
export function groupRelations(entityId, relations) {
  const groups = new Map();
  for (const r of relations) {
    const outgoing = r.source.id === entityId;
    const key = `${outgoing ? 'out' : 'in'}|${r.type}`;
    if (!groups.has(key)) groups.set(key, { outgoing, type: r.type, phrase: relationPhrase(r.type, outgoing), items: [] });
    groups.get(key).items.push({ relation: r, other: outgoing ? r.target : r.source });
  }
  return Array.from(groups.values())
    .sort((a, b) => b.items.length - a.items.length || a.phrase.localeCompare(b.phrase));
}

function renderDetails(entity) {
  const info = kindInfo(entity.kind);
  const inGraph = view().graph.nodes.has(entity.id);
  const dl = el('dl', {},
    el('dt', { text: 'Kind' }), el('dd', { text: `${info.label}${info.familyLabel ? ` (${info.familyLabel.toLowerCase()})` : ''}` }),
    el('dt', { text: 'Year' }), el('dd', { text: entity.year != null ? String(entity.year) : '—' }),
    el('dt', { text: 'Aliases' }), el('dd', { text: entity.aliases.length ? entity.aliases.join('; ') : '—' }),
    entity.attributes.map((a) => [el('dt', { text: a.name }), el('dd', { text: a.value })]),
    el('dt', { text: 'Id' }), el('dd', {}, el('code', { text: entity.id })));
  const actionBar = el('div', { class: 'actions' },
    el('button', { type: 'button', id: 'expand-btn', onclick: () => actions.expand(entity.id), disabled: !inGraph }, 'Expand neighbours'),
    el('button', { type: 'button', onclick: () => actions.centre(entity.id) }, 'Centre here'),
    el('button', { type: 'button', onclick: () => actions.connect('from', entity) }, 'Connect from'),
    el('button', { type: 'button', onclick: () => actions.connect('to', entity) }, 'Connect to'));
  const rels = entity.relations.edges.map((e) => e.node);
  const groups = groupRelations(entity.id, rels);
  const typeFilter = el('select', { id: 'relation-group', 'aria-label': 'Relation type' },
    el('option', { value: '', text: `All types (${rels.length})` }),
    groups.map((g, i) => el('option', { value: String(i), text: `${g.phrase} (${g.items.length})` })));
  const textFilter = el('input', { type: 'search', id: 'relation-filter', placeholder: 'Filter by name, year or quote', 'aria-label': 'Filter relations' });
  const list = el('div', { class: 'relation-groups', 'aria-label': 'Relations' });
  const paint = () => {
    const q = textFilter.value.trim().toLowerCase();
    const only = typeFilter.value === '' ? null : Number(typeFilter.value);
    list.replaceChildren();
    groups.forEach((g, i) => {
      if (only !== null && only !== i) return;
      const items = g.items.filter(({ relation, other }) => !q
        || other.name.toLowerCase().includes(q)
        || String(relation.since ?? '').includes(q)
        || relation.evidence.some((ev) => ev.quote.toLowerCase().includes(q)));
      if (!items.length) return;
      const ul = el('ul', { class: 'relations' });
      for (const { relation, other } of items) {
        const years = yearsText(relation.since, relation.until);
        ul.append(el('li', { 'data-relation': relation.id },
          el('div', { class: 'rel-head' },
            swatch(other.kind), ' ', entityButton(other),
            ' ', el('small', { text: `(${kindInfo(other.kind).label})` }),
            years ? [' ', el('span', { class: 'years', text: years })] : null,
            ' ', el('button', { type: 'button', class: 'linklike small', onclick: () => openRelation(relation) }, 'Card')),
          evidenceList(relation.evidence)));
      }
      list.append(el('section', { class: 'rel-group' },
        el('h4', {}, el('span', { class: 'rel-type', text: g.phrase }), ` · ${items.length}`), ul));
    });
    if (!list.childElementCount) list.append(el('p', { class: 'hint', text: 'No relation matches.' }));
  };
  typeFilter.addEventListener('change', paint);
  textFilter.addEventListener('input', paint);
  paint();
  panel().replaceChildren(
    el('span', { class: 'kind-badge' }, swatch(entity.kind), info.label),
    el('h2', { text: entity.name }),
    dl,
    actionBar,
    el('h3', { text: `Relations (${entity.relations.totalCount})` }),
    rels.length ? el('div', { class: 'relation-filters' }, typeFilter, textFilter) : null,
    list,
  );
}

// ---------------------------------------------------------------- relations
// A relation's card: both ends named, the readable type, years, and the
// evidence with its context.
export function openRelation(relation) {
  ui.selectedEdge = relation.id || null;
  scheduleRedraw();
  const years = yearsText(relation.since, relation.until);
  panel().replaceChildren(
    el('span', { class: 'kind-badge', text: 'Relation' }),
    el('h2', { class: 'relation-title' },
      entityButton(relation.source), ' ', el('span', { class: 'rel-type', text: typeLabel(relation.type) }), ' ', entityButton(relation.target)),
    el('dl', {},
      el('dt', { text: 'From' }), el('dd', {}, swatch(relation.source.kind), ` ${relation.source.name} (${kindInfo(relation.source.kind).label})`),
      el('dt', { text: 'Relation' }), el('dd', { text: `${typeLabel(relation.type)} (${relation.type})` }),
      el('dt', { text: 'To' }), el('dd', {}, swatch(relation.target.kind), ` ${relation.target.name} (${kindInfo(relation.target.kind).label})`),
      years ? [el('dt', { text: 'In force' }), el('dd', { text: years })] : null,
      relation.id ? [el('dt', { text: 'Id' }), el('dd', {}, el('code', { text: relation.id }))] : null),
    el('h3', { text: 'Evidence' }),
    evidenceList(relation.evidence),
  );
}

// Opens the card of the relation with `id`, fetched first.
export async function openRelationById(id) {
  const mine = ++seq;
  hint('Loading…');
  try {
    const data = await gql(RELATION, { id });
    if (mine !== seq) return;
    if (data.relation) openRelation(data.relation);
    else hint(`No relation has the id ${id}.`);
  } catch (error) {
    if (mine === seq) panel().replaceChildren(el('p', { class: 'error', text: `Could not load: ${error.message}` }));
  }
}

// ------------------------------------------------------------- partnerships
// A partnership link's card: each shared agreement with its year, the topics
// it addresses and the quotes that make both partners parties to it.
export async function openPartnership(edge) {
  const g = view().graph;
  const a = g.nodes.get(edge.source);
  const b = g.nodes.get(edge.target);
  const title = `${a ? a.name : edge.source} — ${b ? b.name : edge.target}`;
  const via = (edge.via || []).slice(0, 40);
  const mine = ++seq;
  panel().replaceChildren(el('span', { class: 'kind-badge', text: 'Partnership' }), el('h2', { text: title }), el('p', { class: 'hint', text: 'Loading the agreements…' }));
  let details = [];
  try {
    const vars = {};
    const fields = via.map((agreement, i) => {
      vars[`a${i}`] = agreement.id;
      return `a${i}: entity(id: $a${i}) { id name kind year relations(types: [PARTY_TO, MEMBER_OF, PARTICIPATES_IN, ADDRESSES], first: 200) { edges { node { type source { id name kind } target { id name kind } evidence { section quote profile { id } } } } } }`;
    });
    if (fields.length) {
      const decl = via.map((_, i) => `$a${i}: ID!`).join(', ');
      const data = await gql(`query Link(${decl}) { ${fields.join(' ')} }`, vars);
      details = via.map((_, i) => data[`a${i}`]).filter(Boolean);
    }
  } catch (error) {
    if (mine === seq) panel().append(el('p', { class: 'error', text: `Could not load the agreements: ${error.message}` }));
    return;
  }
  if (mine !== seq) return;
  const ends = new Set([edge.source, edge.target]);
  const items = details.map((agreement) => {
    const rels = agreement.relations.edges.map((e) => e.node);
    const topics = rels.filter((r) => r.type === 'ADDRESSES' && r.source.id === agreement.id).map((r) => r.target.name);
    const parties = rels.filter((r) => r.type !== 'ADDRESSES' && ends.has(r.source.id));
    return el('li', { class: 'agreement' },
      el('div', { class: 'rel-head' }, swatch(agreement.kind), ' ', entityButton(agreement),
        agreement.year ? el('span', { class: 'years', text: ` ${agreement.year}` }) : null),
      topics.length ? el('p', { class: 'topics' }, 'Topics: ', topics.join(', ')) : null,
      parties.map((r) => el('div', { class: 'party' },
        el('small', { text: `${r.source.name} ${typeLabel(r.type)} it:` }),
        evidenceList(r.evidence))));
  });
  panel().replaceChildren(
    el('span', { class: 'kind-badge', text: 'Partnership' }),
    el('h2', { text: title }),
    el('p', { text: `${edge.weight} shared agreement${edge.weight === 1 ? '' : 's'}${edge.via && edge.via.length > via.length ? ` (the first ${via.length} shown)` : ''}:` }),
    el('ul', { class: 'relations agreements' }, items),
  );
}
