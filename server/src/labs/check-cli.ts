import { LABS_DIR } from '../lab.js';
import { loadLabs } from './loader.js';

/**
 * `npm run labs:check`: validates every lab (its YAML against the format, its topologies, every node and
 * metric its checks and commands name) and prints each mistake with its file and step.
 */
const root = process.argv[2] ?? LABS_DIR;
const { labs, problems } = loadLabs(root);
for (const problem of problems) {
  console.error(`✖ ${problem.file}${problem.step ? ` › step "${problem.step}"` : ''}: ${problem.error}`);
}
if (problems.length) {
  console.error(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the labs under ${root}`);
  process.exit(1);
}
console.log(`✔ ${labs.length} labs OK: ${labs.map((l) => l.lab.id).join(', ')}`);
