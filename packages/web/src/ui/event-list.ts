// The event list, like Packet Tracer's simulation panel: time, node, layer (named in the
// chosen model) and what happened, one row per event. Only a window of rows around the
// current step is in the DOM, so a run of a hundred thousand events scrolls as fast as ten.

import type { LayerModel } from '@netlayers/core';
import { layerName, type Step } from '../timeline.ts';
import { formatTime, h } from './dom.ts';

const BEFORE = 60;
const AFTER = 140;

export function renderEventList(steps: readonly Step[], visible: readonly number[], cursor: number, model: LayerModel, onSelect: (position: number) => void): HTMLElement {
  // The window is centred on the cursor, or on the first visible event after it when a filter hides it.
  const found = visible.findIndex((i) => i >= cursor);
  const at = found < 0 ? Math.max(0, visible.length - 1) : found;
  const from = Math.max(0, at - BEFORE);
  const to = Math.min(visible.length, at + AFTER);
  const body = h('tbody');
  for (let p = from; p < to; p++) {
    const stepIndex = visible[p]!;
    const step = steps[stepIndex]!;
    const e = step.event;
    const current = stepIndex === cursor;
    const row = h(
      'tr',
      { class: `ev ev-${e.kind}${current ? ' current' : ''}${e.kind === 'drop' || (e.kind === 'frame' && e.action === 'lost') ? ' bad' : ''}`, 'data-step': stepIndex, 'aria-selected': current ? 'true' : 'false', tabindex: current ? 0 : -1 },
      h('td', { class: 'marker' }, current ? '▶' : ''),
      h('td', { class: 'num' }, String(stepIndex + 1)),
      h('td', { class: 'time' }, formatTime(e.time)),
      h('td', {}, e.node),
      h('td', {}, layerName(model, e)),
      h('td', {}, step.protocol),
      h('td', { class: 'what' }, step.what),
    );
    row.addEventListener('click', () => onSelect(stepIndex));
    body.appendChild(row);
  }
  const note = (text: string): HTMLElement => h('p', { class: 'muted small' }, text);
  return h(
    'div',
    { class: 'event-list' },
    from > 0 ? note(`… ${from} earlier events`) : null,
    h('table', { 'aria-label': 'Events' }, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, '#'), h('th', {}, 'time'), h('th', {}, 'node'), h('th', {}, 'layer'), h('th', {}, 'protocol'), h('th', {}, 'what happened'))), body),
    to < visible.length ? note(`… ${visible.length - to} later events`) : null,
  );
}
