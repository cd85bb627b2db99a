// Small DOM helpers shared by the explorer's modules: element builders, the
// status line, and the kind marker (the family's shape in its colour).

import { kindInfo, shapePath } from './vocabulary.js';

export const SVGNS = 'http://www.w3.org/2000/svg';
export const $ = (sel) => document.querySelector(sel);
export const $$ = (sel) => Array.from(document.querySelectorAll(sel));

// An HTML element: `attrs` with `class`, `text`, `on<event>` handlers and
// plain attributes (null, undefined and false leave one out).
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function svg(tag, attrs) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  }
  return node;
}

// A 14 px marker of `kind`: its family's shape and colour.
export function swatch(kind) {
  const info = kindInfo(kind);
  const icon = svg('svg', { class: 'swatch', width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true' });
  icon.append(svg('path', { d: shapePath(info.shape, 7, 7, 5), fill: info.color }));
  return icon;
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// The line over the drawing that says what is shown or what went wrong.
export const status = {
  set(text, kind) {
    const node = $('#status');
    node.textContent = text;
    node.className = `status${kind ? ` ${kind}` : ''}`;
    node.hidden = !text;
  },
};

export function svgTitle(text) {
  const title = svg('title');
  title.textContent = text;
  return title;
}
