import { AppError } from '../errors.js';

/** A workspace's name: what `/w/<name>/` carries. Lowercase so a URL typed twice lands in the same one. */
export const WORKSPACE_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function checkWorkspaceName(name: string): string {
  if (!WORKSPACE_NAME.test(name)) {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    throw new AppError(
      400,
      `"${shown}" is not a workspace name: use 1 to 32 lowercase letters, digits and dashes, starting with a letter or digit`,
      'workspace',
    );
  }
  return name;
}

/**
 * The Kafka namespace of a named workspace: TOPIC_PREFIX with its last character changed, then the name and
 * a dot (`lab.` → `lab-alice.`). Not `<TOPIC_PREFIX><name>.`: node ids may contain dots, so the default
 * workspace's topic `alice.orders` would be `lab.alice.orders`, the same name as workspace alice's `orders`,
 * and the default workspace's reset (every topic under `lab.`) would delete every workspace's topics.
 * Changing the last character makes the two namespaces disjoint (neither is a prefix of the other), and
 * names without dots keep named workspaces apart (`lab-ann.` is no prefix of `lab-ann-b.`).
 */
export function workspacePrefix(topicPrefix: string, name: string): string {
  const last = topicPrefix.at(-1);
  return `${topicPrefix.slice(0, -1)}${last === '-' ? '_' : '-'}${name}.`;
}

/** Whether a URL is an API call or the live feed, of the default workspace or of a named one. */
export function isApiUrl(url: string): boolean {
  return /^(\/w\/[^/?#]+)?\/(api\/|live(\?|$))/.test(url);
}
