import '@fontsource-variable/inter';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startAutosave } from './api/autosave';
import { workspaceBase } from './api/base';
import { connectLive } from './live/client';
import { followServerTopology } from './live/topology-sync';
import { openReplay } from './replay/player';
import { replayRequested } from './replay/source';
import { openSharedLink } from './topology/open-shared';

// On a shared server each tab names its workspace, so two attendees' tabs (or the instructor's) stay apart.
const workspace = workspaceBase().slice('/w/'.length);
if (workspace) document.title = `${workspace} · ${document.title}`;

const replay = replayRequested();
if (replay) {
  // A replay is fed by its recording alone: no live feed, and nothing is ever saved.
  void openReplay(replay);
} else {
  connectLive();
  followServerTopology();
  // A share link applies on top of the saved topology, so it is opened once that has loaded.
  startAutosave(openSharedLink);
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
