import { Icon } from './icons/Icon';
import { useToasts } from './store/selectors';

/** Short notices: a refused link's reason, a failed command. Errors are announced at once, notices politely. */
export function Toasts() {
  const { toasts, dismiss } = useToasts();
  return (
    <div className="toasts">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
          <Icon name={toast.tone === 'error' ? 'warning' : 'info'} className="toast-icon" />
          <span className="toast-text">{toast.text}</span>
          <button type="button" className="button ghost small" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
            <Icon name="close" />
          </button>
        </div>
      ))}
    </div>
  );
}
