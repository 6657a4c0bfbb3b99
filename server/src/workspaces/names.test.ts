import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkWorkspaceName, isApiUrl, workspacePrefix } from './names.js';

const idChars = fc.constantFrom(...'abcXYZ019._-'.split(''));
const nodeId = fc.string({ unit: idChars, minLength: 1, maxLength: 20 });
const name = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/);
const topicPrefix = fc.stringMatching(/^[a-zA-Z0-9._-]{1,40}$/);

describe('workspace namespaces', () => {
  it('never share a Kafka name with the default workspace or with each other, whatever the ids', () => {
    fc.assert(
      fc.property(topicPrefix, name, name, nodeId, nodeId, (prefix, a, b, id1, id2) => {
        const named = workspacePrefix(prefix, a);
        // The default workspace's reset deletes everything under its prefix: nothing of a named one is.
        expect(named.startsWith(prefix)).toBe(false);
        expect(prefix.startsWith(named)).toBe(false);
        expect(`${prefix}${id1}`).not.toBe(`${named}${id2}`);
        if (a !== b) {
          const other = workspacePrefix(prefix, b);
          expect(named.startsWith(other) || other.startsWith(named)).toBe(false);
        }
      }),
    );
  });

  it('reads as the configured prefix with the name in it', () => {
    expect(workspacePrefix('lab.', 'alice')).toBe('lab-alice.');
    expect(workspacePrefix('team-', 'bob')).toBe('team_bob.');
  });

  it('refuses names that are not lowercase letters, digits and dashes, naming the rule', () => {
    expect(checkWorkspaceName('team-7')).toBe('team-7');
    for (const bad of ['Alice', '-x', 'a.b', '', 'x'.repeat(33), '__proto__', 'a/b', 'é'])
      expect(() => checkWorkspaceName(bad)).toThrow(/is not a workspace name: use 1 to 32 lowercase letters/);
  });

  it('tells API calls and the live feed from pages, in every workspace', () => {
    for (const url of ['/api/state', '/live', '/live?x=1', '/w/a/api/topology', '/w/a/live', '/w/%2e/api/x'])
      expect(isApiUrl(url), url).toBe(true);
    for (const url of ['/', '/w/a/', '/w/a', '/livez', '/assets/x.js', '/w/a/labs', '/apix'])
      expect(isApiUrl(url), url).toBe(false);
  });
});
