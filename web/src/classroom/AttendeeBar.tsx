import { useNotify } from '../store/selectors';
import { useAttendee } from './attendee';

/** The instructor's messages to an attendee, newest first, above the canvas until closed. */
export function ClassroomNotices() {
  const { notices, dismissed, dismiss } = useAttendee();
  const shown = notices
    .filter((n) => !dismissed.includes(n.seq))
    .slice(-3)
    .reverse();
  if (shown.length === 0) return null;
  return (
    <div className="class-notices" role="status" aria-label="Messages from the instructor">
      {shown.map((n) => (
        <p key={n.seq} className={`class-notice ${n.kind}`} data-testid="class-notice">
          <strong>{n.kind === 'hint' ? 'Hint from the instructor:' : 'Instructor:'}</strong> {n.text}
          <button type="button" className="button ghost" onClick={() => dismiss(n.seq)}>
            Close
          </button>
        </p>
      ))}
    </div>
  );
}

/** "I need help", in the guide: the instructor's dashboard shows it until a hint answers it, or it is withdrawn. */
export function HelpButton() {
  const self = useAttendee((s) => s.self);
  const setHelp = useAttendee((s) => s.setHelp);
  const notify = useNotify();
  if (!self) return null;
  const asked = self.helpSince !== undefined;
  return (
    <div className="class-help">
      <button
        type="button"
        className={`button ${asked ? '' : 'primary'}`}
        aria-pressed={asked}
        onClick={() => setHelp(!asked).catch((error: Error) => notify(`Help: ${error.message}`, 'error'))}
      >
        {asked ? 'Help requested: withdraw' : 'I need help'}
      </button>
      {asked && <span className="class-help-note">The instructor can see your request.</span>}
    </div>
  );
}
