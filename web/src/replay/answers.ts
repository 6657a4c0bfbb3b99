import { ApiError } from '../api/http';
import { currentPlayer } from './player';

/**
 * What a replay answers in place of the lab server: a lab's definition from the recording (the guide's text);
 * any command is refused, so nothing in a replay can change the lab, and anything else was not recorded.
 */
export function replayAnswer(method: string, url: string): unknown {
  if (method !== 'GET') throw new ApiError('This is a replay of a recorded run: nothing in it can be changed', 0);
  const lab = /^\/api\/labs\/([^/?]+)$/.exec(url);
  const definition = lab ? currentPlayer()?.replay.labs[decodeURIComponent(lab[1]!)] : undefined;
  if (definition) return definition;
  throw new ApiError(`A replay shows only what was recorded: ${url} is not part of it`, 404);
}
