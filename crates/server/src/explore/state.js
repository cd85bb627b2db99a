// What the explorer's modules share: each view's drawing and transform, the
// current view, and what is selected, hovered, focused or highlighted.

import { emptyGraph } from './model.js';

function viewState(legendExtra) {
  return { graph: emptyGraph(), t: null, legendExtra, center: null, selected: null, subset: false };
}

// Each view keeps its own drawing, so switching tabs comes back to it.
export const views = {
  neighbourhood: viewState(null),
  partnerships: viewState('weights'),
  connection: viewState('path'),
  whole: viewState(null),
};

export const app = { current: 'neighbourhood', restoring: false };

export const ui = {
  selected: null,
  selectedEdge: null,
  hovered: null,
  focused: null,
  highlightKeys: null,
  highlightNodes: null,
};

export function view() {
  return views[app.current];
}
