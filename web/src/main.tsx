import './classroom/classroom.css';
import '@fontsource-variable/inter';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startAutosave } from './api/autosave';
import { workspaceBase } from './api/base';
import { followClassroom } from './classroom/attendee';
import { Dashboard } from './classroom/Dashboard';
import { JoinPage } from './classroom/JoinPage';
import { openSpotlight, spotlightRequested } from './classroom/Spotlight';
import { connectLive } from './live/client';
import { followServerTopology } from './live/topology-sync';
import { openReplay } from './replay/player';
import { replayRequested } from './replay/source';
import { openSharedLink } from './topology/open-shared';

// On a shared server each tab names its workspace, so two attendees' tabs (or the instructor's) stay apart.
const workspace = workspaceBase().slice('/w/'.length);
if (workspace) document.title = `${workspace} · ${document.title}`;

/** The classroom's own pages: the join form and the instructor's dashboard; every other path is a lab. */
function page(): ReactNode {
  if (location.pathname === '/join') return <JoinPage />;
  if (location.pathname === '/classroom') return <Dashboard />;
  const replay = replayRequested();
  const spotlight = spotlightRequested();
  if (replay) {
    // A replay is fed by its recording alone: no live feed, and nothing is ever saved.
    void openReplay(replay);
  } else if (spotlight !== undefined && workspace) {
    openSpotlight(spotlight);
  } else {
    connectLive();
    followServerTopology();
    // A share link applies on top of the saved topology, so it is opened once that has loaded.
    startAutosave(openSharedLink);
    // An attendee's workspace: the instructor's messages, and their help request.
    if (workspace) followClassroom();
  }
  return <App />;
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(<StrictMode>{page()}</StrictMode>);
