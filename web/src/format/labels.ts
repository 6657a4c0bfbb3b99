import { own } from '@lab/model';
/**
 * A server message in the canvas's words: every node id that stands as a whole word ("billing crashed",
 * not the "billing" inside the instance id "billing-1") becomes the label the canvas shows for it.
 */
export function withLabels(text: string, labels: Readonly<Record<string, string>>): string {
  const ids = Object.keys(labels)
    .filter((id) => own(labels, id) !== id)
    .sort((a, b) => b.length - a.length);
  if (!ids.length) return text;
  const pattern = new RegExp(`(?<![\\w.-])(${ids.map(escapeRegExp).join('|')})(?![\\w-])`, 'g');
  return text.replace(pattern, (id) => own(labels, id) ?? id);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
