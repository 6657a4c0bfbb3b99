import { EMPTY_TOPOLOGY, type Topology } from '@lab/model';

/**
 * What the runtime's collaborators share: the topology in force and whether it runs. Written only inside a
 * command (see CommandQueue), by the facade and by TopologyEdits; everyone else reads it.
 */
export class RunState {
  topology: Topology = EMPTY_TOPOLOGY;
  running = false;
  /** When the current run started (epoch ms); kept after a stop, cleared by a reset. */
  startedAt: number | undefined;
}
