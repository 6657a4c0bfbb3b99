import { FAULT_DEFAULTS, FAULT_LIMITS, type NodeAction } from '@lab/model';
import { useStore } from '@xyflow/react';
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { nodeAction } from '../api/lab';
import { type MenuPlace, placeMenu } from '../geometry/menu';
import { Icon } from '../icons/Icon';
import { useNotify } from '../store/selectors';

/** The faults a lab injects (DESIGN: break it), with the model's values for a first experiment. */
const SLOW_BY_MS = FAULT_DEFAULTS.slowMs;
const ERROR_RATE = FAULT_DEFAULTS.errorRate;

interface Choice {
  action: NodeAction;
  verb: string;
  /** Shown after the verb, and after the service's name in the accessible name ("Slow Billing (+500 ms)"). */
  detail?: string;
  value?: number;
}

/** The kill button and the fault menu on a service card. Each choice is one POST; the frames show the effect. */
export const ServiceActions = memo(function ServiceActions({
  id,
  label,
  instances,
}: {
  id: string;
  label: string;
  instances: number;
}) {
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const [at, setAt] = useState<MenuPlace>();
  // The menu belongs to the card: when the canvas pans or zooms under it, it closes rather than float away.
  const transform = useStore((s) => s.transform);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the transform is the trigger
  useEffect(() => setOpen(false), [transform]);

  const send = ({ action, value, verb }: Choice) => {
    setOpen(false);
    nodeAction(id, action, value).catch((error: Error) => notify(`${verb} ${label}: ${error.message}`, 'error'));
  };
  const up = Math.min(FAULT_LIMITS.scale.max, instances + 1);
  const down = Math.max(FAULT_LIMITS.scale.min, instances - 1);
  const choices: Choice[] = [
    { action: 'crash', verb: 'Crash' },
    { action: 'stop', verb: 'Stop' },
    { action: 'hang', verb: 'Hang' },
    { action: 'slow', verb: 'Slow', detail: `(+${SLOW_BY_MS} ms)`, value: SLOW_BY_MS },
    { action: 'errors', verb: 'Error rate', detail: `(${ERROR_RATE * 100}%)`, value: ERROR_RATE },
    { action: 'scale', verb: 'Scale up', detail: `(to ${up})`, value: up },
    { action: 'scale', verb: 'Scale down', detail: `(to ${down})`, value: down },
    { action: 'revive', verb: 'Revive' },
  ];

  useLayoutEffect(() => {
    if (!open) setAt(undefined);
    if (!open || !trigger.current || !menu.current) return;
    setAt(
      placeMenu(trigger.current.getBoundingClientRect(), menu.current.getBoundingClientRect(), {
        width: window.innerWidth,
        height: window.innerHeight,
      }),
    );
  }, [open]);

  // Once placed (and so visible: a hidden element takes no focus), the first item has the focus.
  useEffect(() => {
    if (open && at) menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open, at]);

  useEffect(() => {
    if (!open) return;
    const close = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !trigger.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  return (
    <div className="service-actions nodrag nopan">
      <button
        type="button"
        className="button danger small"
        aria-label={`Crash ${label}`}
        title="Crash every instance (kill -9)"
        onClick={() => send(choices[0]!)}
      >
        <Icon name="error" size={12} /> Crash
      </button>
      <button
        ref={trigger}
        type="button"
        className="button small"
        aria-label={`Break ${label}…`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        Break <Icon name="chevron-down" size={12} />
      </button>
      {open &&
        createPortal(
          <div
            className="menu"
            role="menu"
            ref={menu}
            aria-label={`Faults for ${label}`}
            // Measured hidden first, then placed where all of it fits in the window.
            style={at ? { left: at.left, top: at.top } : { visibility: 'hidden' }}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Tab') setOpen(false);
              if (e.key === 'Escape') {
                setOpen(false);
                trigger.current?.focus();
              }
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
                const at = items.indexOf(document.activeElement as HTMLElement);
                items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
                e.preventDefault();
              }
            }}
          >
            {choices.map((choice) => (
              <button
                key={choice.verb}
                type="button"
                role="menuitem"
                className="menu-item"
                aria-label={[choice.verb, label, choice.detail].filter(Boolean).join(' ')}
                disabled={choice.action === 'scale' && choice.value === instances}
                onClick={() => send(choice)}
              >
                {choice.verb} {choice.detail}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </div>
  );
});
