import type { RecordingInfo } from '@lab/model';
import { useState } from 'react';
import { inWorkspace } from '../api/base';
import { request } from '../api/http';
import { clockOf } from './markers';

const listRecordings = () => request<RecordingInfo[]>('GET', '/api/recordings');

/** Every recorded run: replay one (in a new tab, so the live lab stays open) or download it as a replay page. */
export function RecordingsMenu() {
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<RecordingInfo[] | string>();
  const toggle = () => {
    setOpen(!open);
    if (!open) {
      setList(undefined);
      listRecordings().then(setList, (error: Error) => setList(error.message));
    }
  };
  return (
    <>
      <button
        type="button"
        className="button"
        aria-expanded={open}
        onClick={toggle}
        title="Every run is recorded: replay one or download it"
      >
        Recordings
      </button>
      {open && (
        <div className="popover recordings" role="dialog" aria-labelledby="recordings-title">
          <h2 id="recordings-title">Recorded runs</h2>
          {list === undefined && <p>Loading…</p>}
          {typeof list === 'string' && <p className="timeline-error">{list}</p>}
          {Array.isArray(list) && list.length === 0 && <p>No run recorded yet: every run is, from Run to Stop.</p>}
          {Array.isArray(list) && list.length > 0 && (
            <ul className="recordings-list">
              {list.map((r) => (
                <li key={r.id}>
                  <span className="recordings-name">{r.name}</span>
                  <span className="recordings-meta">
                    {new Date(r.startedAt).toLocaleString()} · {clockOf(r.durationMs)} · {(r.bytes / 1024).toFixed(0)}{' '}
                    kB{r.live ? ' · recording now' : ''}
                    {r.truncated ? ' · cut at the size limit' : ''}
                  </span>
                  <a className="button small" href={`#replay=${r.id}`} target="_blank" rel="noopener">
                    Replay
                  </a>
                  {!r.live && (
                    <a className="button small" href={inWorkspace(`/api/recordings/${r.id}/replay.html`)} download>
                      Download
                    </a>
                  )}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      )}
    </>
  );
}
