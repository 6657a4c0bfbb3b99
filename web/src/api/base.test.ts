import { describe, expect, it } from 'vitest';
import { workspaceBase } from './base';

describe('workspaceBase', () => {
  it('finds a named workspace in the page path, and none for the default lab or a replay file', () => {
    expect(workspaceBase('/w/alice/')).toBe('/w/alice');
    expect(workspaceBase('/w/team-7')).toBe('/w/team-7');
    expect(workspaceBase('/w/alice/labs/x')).toBe('/w/alice');
    expect(workspaceBase('/')).toBe('');
    expect(workspaceBase('/home/me/kafka-lab-replay.html')).toBe('');
    // Not a workspace name: the server would refuse it, the page stays on the default lab's API.
    expect(workspaceBase('/w/Alice/')).toBe('');
    expect(workspaceBase('/w/alicebob/x/w/eve/')).toBe('/w/alicebob');
  });
});
