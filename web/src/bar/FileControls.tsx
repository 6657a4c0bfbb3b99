import type { Problem, TopologyDocument } from '@lab/model';
import { useRef, useState } from 'react';
import { readDoc, useEditor, useNotify, useRequestFit } from '../store/selectors';
import { EXAMPLE_TOPOLOGY } from '../topology/example';
import { topologyFile } from '../topology/file';
import { encodeShare, shareUrl } from '../topology/share';
import { EMPTY_DOCUMENT } from '../topology/types';

/** Export to a file, import from one, and share the topology as a link. */
export function FileControls() {
  const { importTopology, edit } = useEditor();
  const notify = useNotify();
  const requestFit = useRequestFit();
  const picker = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState<{ file: string; problems: Problem[] }>();
  const [link, setLink] = useState<string>();

  const exportFile = () => {
    const { name, text } = topologyFile(readDoc());
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const importFile = async (file: File) => {
    const result = importTopology(await file.text());
    if (!result.ok) {
      setRefused({ file: file.name, problems: result.problems });
      return;
    }
    setRefused(undefined);
    notify(`Imported ${file.name}`);
    requestFit();
  };

  const share = async () => {
    const url = shareUrl(location.href, await encodeShare(readDoc()));
    setLink(url);
    // Copying may be refused (no permission, no secure context): the link stays selectable in the dialog.
    await navigator.clipboard?.writeText(url).catch(() => undefined);
  };

  const replaceWith = (doc: TopologyDocument, said: string) => {
    if (readDoc().nodes.length === 0 && doc.nodes.length === 0) return;
    edit(() => doc);
    requestFit();
    notify(`${said} Undo (Ctrl/⌘ Z) brings the previous topology back.`);
  };

  return (
    <div className="button-group">
      <button
        type="button"
        className="button"
        onClick={() => replaceWith(EMPTY_DOCUMENT, 'New, empty canvas.')}
        title="Start from an empty canvas (undoable)"
      >
        New
      </button>
      <button
        type="button"
        className="button"
        onClick={() => replaceWith(EXAMPLE_TOPOLOGY, 'Example topology loaded.')}
        title="Replace the canvas with the example topology (undoable)"
      >
        Example
      </button>
      <button type="button" className="button" onClick={() => picker.current?.click()}>
        Import
      </button>
      <input
        ref={picker}
        type="file"
        accept="application/json,.json"
        hidden
        aria-label="Import topology file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // the same file again is a new import
          if (file) void importFile(file);
        }}
      />
      <button type="button" className="button" onClick={exportFile}>
        Export
      </button>
      <button type="button" className="button" onClick={() => void share()}>
        Share link
      </button>
      {refused && (
        <div className="popover" role="alertdialog" aria-labelledby="import-refused-title">
          <h2 id="import-refused-title">{refused.file} was not imported</h2>
          <p>Nothing changed. The file has {refused.problems.length === 1 ? 'this problem' : 'these problems'}:</p>
          <ul className="problem-list">
            {refused.problems.map((p) => (
              <li key={`${p.path}:${p.error}`}>{p.error}</li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => setRefused(undefined)}>
            Close
          </button>
        </div>
      )}
      {link && (
        <div className="popover" role="dialog" aria-labelledby="share-title">
          <h2 id="share-title">Share link</h2>
          <p>Anyone who opens this link gets this topology (it travels inside the link, not on a server).</p>
          <input
            className="share-url"
            readOnly
            value={link}
            aria-label="Share link URL"
            onFocus={(e) => e.currentTarget.select()}
          />
          <div className="button-row">
            <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(link)}>
              Copy
            </button>
            <button type="button" className="button" onClick={() => setLink(undefined)}>
              Close
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
