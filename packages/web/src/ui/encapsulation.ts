// The encapsulation view of one frame: its headers grouped by the chosen model's layers
// (five-layer, four-layer, OSI-7), every field with its offset, size and value, and the hex
// bytes with the selected field highlighted. Built from the trace package's dissection of
// the frame's real bytes.

import { layerForRole, type LayerModel } from '@netlayers/core';
import { dissectFrame, type DissectedField, type DissectedHeader } from '@netlayers/trace';
import { h } from './dom.ts';

function offsetText(field: DissectedField): string {
  const byte = Math.floor(field.bitOffset / 8);
  const bit = field.bitOffset % 8;
  return bit === 0 ? `${byte}` : `${byte}.${bit}`;
}

function sizeText(field: DissectedField): string {
  return field.bitLength % 8 === 0 ? `${field.bitLength / 8} B` : `${field.bitLength} bit`;
}

export function renderEncapsulation(bytes: Uint8Array, model: LayerModel, hasFcs = true): HTMLElement {
  const dissected = dissectFrame(bytes, { hasFcs });
  const hex = h('div', { class: 'hex', role: 'table', 'aria-label': 'Frame bytes' });
  const cells: HTMLSpanElement[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (i % 16 === 0) hex.appendChild(h('span', { class: 'hex-offset' }, i.toString(16).padStart(4, '0')));
    const cell = h('span', { class: 'hex-byte', 'data-offset': i }, bytes[i]!.toString(16).padStart(2, '0'));
    cells.push(cell);
    hex.appendChild(cell);
    if (i % 16 === 15) hex.appendChild(h('br'));
  }
  const highlight = (from: number, to: number): void => {
    cells.forEach((c, i) => c.classList.toggle('hl', i >= from && i < to));
  };

  const byLayer = new Map<string, DissectedHeader[]>();
  for (const header of dissected.headers) {
    const name = layerForRole(model, header.role).name;
    byLayer.set(name, [...(byLayer.get(name) ?? []), header]);
  }
  const sections = h('div', { class: 'layers' });
  for (const layer of model.layers) {
    const headers = byLayer.get(layer.name) ?? [];
    const section = h('section', { class: 'layer', 'data-layer': layer.name }, h('h3', {}, `${layer.number} · ${layer.name}`, h('span', { class: 'pdu-name' }, ` (${layer.pduName})`)));
    if (headers.length === 0) {
      const payload = dissected.payload;
      const isApplication = layer.roles.includes('application') && payload.length > 0 && payload.role !== 'link';
      section.appendChild(
        h('p', { class: 'muted' }, isApplication ? `${payload.length} bytes of application data` : layer.roles.length === 0 ? 'no layer of its own in TCP/IP: done inside the application' : layer.roles.includes('physical') ? 'bits on the medium: preamble, SFD, the frame, inter-frame gap' : '—'),
      );
      if (isApplication) section.addEventListener('click', () => highlight(payload.offset, payload.offset + payload.length));
    }
    for (const header of headers) {
      const rows = header.fields.map((field) => {
        const from = Math.floor(field.bitOffset / 8);
        const to = Math.ceil((field.bitOffset + field.bitLength) / 8);
        const row = h('tr', { tabindex: 0, class: 'field', 'data-field': `${header.protocol}.${field.name}` }, h('td', {}, field.name), h('td', {}, offsetText(field)), h('td', {}, sizeText(field)), h('td', { class: 'value' }, field.value));
        const select = (): void => {
          sections.querySelectorAll('tr.field.selected').forEach((r) => r.classList.remove('selected'));
          row.classList.add('selected');
          highlight(from, to);
        };
        row.addEventListener('click', select);
        row.addEventListener('focus', select);
        return row;
      });
      section.appendChild(
        h('div', { class: 'header', 'data-protocol': header.protocol },
          h('h4', {}, `${header.title} — ${header.length} bytes at offset ${header.offset}`),
          h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'field'), h('th', {}, 'offset'), h('th', {}, 'size'), h('th', {}, 'value'))), h('tbody', {}, ...rows))),
      );
    }
    sections.appendChild(section);
  }
  const problems = dissected.problems.length > 0 ? h('ul', { class: 'problems' }, ...dissected.problems.map((p) => h('li', {}, `⚠ ${p}`))) : null;
  const fcs = dissected.fcs ? h('p', { class: 'muted' }, `FCS 0x${dissected.fcs.value.toString(16).padStart(8, '0')} ${dissected.fcs.valid ? '✓ valid' : '✗ wrong'}; padding ${dissected.padding} bytes`) : null;
  return h('div', { class: 'encapsulation' }, h('p', {}, `${model.title}: ${bytes.length}-byte frame`), sections, problems, fcs, hex);
}
