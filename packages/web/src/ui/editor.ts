// The scenario editor: CodeMirror 6 with TypeScript highlighting. The page runs what is in
// the editor; an error in the script is shown under it, with the line it points at
// selected, never as a blank page.

import { basicSetup, EditorView } from 'codemirror';
import { javascript } from '@codemirror/lang-javascript';
import { EditorSelection } from '@codemirror/state';

export interface ScriptEditor {
  readonly view: EditorView;
  getSource(): string;
  setSource(source: string): void;
  showError(message: string | undefined, line?: number): void;
}

export function createEditor(parent: HTMLElement, errorBox: HTMLElement, onChange: () => void): ScriptEditor {
  const view = new EditorView({
    parent,
    extensions: [basicSetup, javascript({ typescript: true }), EditorView.updateListener.of((u) => u.docChanged && onChange()), EditorView.lineWrapping],
  });
  return {
    view,
    getSource: () => view.state.doc.toString(),
    setSource(source) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: source } });
    },
    showError(message, line) {
      errorBox.textContent = message ?? '';
      errorBox.hidden = message === undefined;
      if (message !== undefined && line !== undefined && line >= 1 && line <= view.state.doc.lines) {
        const l = view.state.doc.line(line);
        view.dispatch({ selection: EditorSelection.range(l.from, l.to), scrollIntoView: true });
      }
    },
  };
}
